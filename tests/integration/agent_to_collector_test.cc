// Runs the real binaries: a collector on an ephemeral loopback port and `mamori-agent --once` on
// this host, enrolled the way an installer does it (`token create`, `ca show`), then checks what
// reached the collector's SQLite database over mutual TLS and its `hosts` command.
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <boost/process.hpp>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "nlohmann/json.hpp"
#include "platform/probe.h"
#include "tests/integration/process_harness.h"

namespace {

namespace bp = boost::process;

using mamori::testing::CommandResult;
using mamori::testing::RunCommand;

// `serve` on an ephemeral loopback port with `data_dir`, stopped with SIGTERM at the end.
class CollectorProcess : public mamori::testing::CollectorProcess {
 public:
  explicit CollectorProcess(const std::filesystem::path& data_dir)
      : mamori::testing::CollectorProcess(
            {MAMORI_COLLECTOR_BIN, "serve", "--listen", "127.0.0.1:0", "--data-dir",
             data_dir.string()},
            std::filesystem::path(::testing::TempDir()) / "collector-stderr.log") {}
};

class AgentToCollector : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::path(::testing::TempDir()) /
            ("e2e-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::filesystem::path collector_dir() const { return root_ / "collector"; }
  std::filesystem::path agent_dir() const { return root_ / "agent"; }

  // What an installer is given: a one-use token and the CA fingerprint, from the collector's CLI.
  void PrepareEnrollment() {
    const CommandResult fingerprint =
        RunCommand({MAMORI_COLLECTOR_BIN, "ca", "show", "--data-dir", collector_dir().string()});
    ASSERT_EQ(fingerprint.exit_code, 0) << fingerprint.err;
    fingerprint_ = fingerprint.out.substr(0, fingerprint.out.find('\n'));
    ASSERT_EQ(fingerprint_.rfind("SHA256:", 0), 0u) << fingerprint.out;
    const CommandResult token =
        RunCommand({MAMORI_COLLECTOR_BIN, "token", "create", "--uses", "1", "--ttl", "1h",
                    "--label", "e2e", "--data-dir", collector_dir().string()});
    ASSERT_EQ(token.exit_code, 0) << token.err;
    token_ = token.out.substr(0, token.out.find('\n'));
    ASSERT_EQ(token_.rfind("mmr1.", 0), 0u) << token.out;
  }

  // The first run enrolls; later runs find agent.crt and ignore the token.
  CommandResult RunAgentOnce(const std::string& address) {
    if (token_.empty()) {
      PrepareEnrollment();
    }
    return RunCommand({MAMORI_AGENT_BIN, "--collector", address, "--once", "--data-dir",
                       agent_dir().string(), "--enroll-token", token_, "--ca-fingerprint",
                       fingerprint_});
  }

  // Rows of a one-column query against the collector's database, opened read-only.
  std::vector<std::string> Query(const std::string& sql) {
    sqlite3* raw = nullptr;
    const std::string db = (collector_dir() / "mamori.db").string();
    EXPECT_EQ(sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK) << db;
    std::unique_ptr<sqlite3, decltype(&sqlite3_close)> conn(raw, &sqlite3_close);
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(conn.get(), sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
    std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> owned(stmt, &sqlite3_finalize);
    std::vector<std::string> rows;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      rows.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
    }
    return rows;
  }

  std::filesystem::path root_;
  std::string token_;
  std::string fingerprint_;
};

// What the agent should have reported: the same probes, run here.
mamori::facts::Inventory ThisHost() {
  const mamori::platform::ProbeEnvironment env;
  mamori::platform::ProbeRegistry probes = mamori::platform::MakeHostProbes(env);
  return mamori::platform::CollectHostFacts(probes, env).inventory;
}

TEST_F(AgentToCollector, AgentOnceStoresThisHostWithItsOs) {
  CollectorProcess collector(collector_dir());
  ASSERT_FALSE(collector.address().empty()) << "collector did not start";

  const CommandResult agent = RunAgentOnce(collector.address());
  ASSERT_EQ(agent.exit_code, 0) << agent.err;
  EXPECT_NE(agent.out.find("delivered snapshot seq 1"), std::string::npos) << agent.out;

  const mamori::facts::Inventory host = ThisHost();
  ASSERT_FALSE(host.hostname.empty());
  EXPECT_EQ(Query("SELECT hostname FROM hosts"), std::vector<std::string>{host.hostname});
  EXPECT_EQ(Query("SELECT os_name FROM hosts"), std::vector<std::string>{host.os_name});
  EXPECT_EQ(Query("SELECT os_version FROM hosts"), std::vector<std::string>{host.os_version});
  EXPECT_EQ(Query("SELECT seq FROM snapshots"), std::vector<std::string>{"1"});
  EXPECT_EQ(collector.Stop(), 0) << "collector should exit cleanly on SIGTERM";
}

TEST_F(AgentToCollector, HostsCommandPrintsThisHostAsJson) {
  {
    CollectorProcess collector(collector_dir());
    ASSERT_FALSE(collector.address().empty());
    ASSERT_EQ(RunAgentOnce(collector.address()).exit_code, 0);
  }
  const CommandResult hosts = RunCommand(
      {MAMORI_COLLECTOR_BIN, "hosts", "--data-dir", collector_dir().string(), "--format", "json"});
  ASSERT_EQ(hosts.exit_code, 0) << hosts.err;
  const nlohmann::json json = nlohmann::json::parse(hosts.out);
  ASSERT_TRUE(json.is_array());
  ASSERT_EQ(json.size(), 1u);
  const mamori::facts::Inventory host = ThisHost();
  EXPECT_EQ(json[0]["hostname"], host.hostname);
  EXPECT_EQ(json[0]["os_name"], host.os_name);
  EXPECT_EQ(json[0]["os_version"], host.os_version);
  EXPECT_FALSE(json[0]["last_seen"].get<std::string>().empty());
}

TEST_F(AgentToCollector, SecondRunContinuesTheSequenceWithoutGaps) {
  CollectorProcess collector(collector_dir());
  ASSERT_FALSE(collector.address().empty());
  ASSERT_EQ(RunAgentOnce(collector.address()).exit_code, 0);
  ASSERT_EQ(RunAgentOnce(collector.address()).exit_code, 0);
  EXPECT_EQ(Query("SELECT seq FROM snapshots ORDER BY seq"), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(Query("SELECT count(*) FROM sequence_gaps"), std::vector<std::string>{"0"});
  EXPECT_EQ(Query("SELECT count(*) FROM hosts"), std::vector<std::string>{"1"});
}

TEST_F(AgentToCollector, AgentRefusesToEnrollWithAWrongCaFingerprint) {
  CollectorProcess collector(collector_dir());
  ASSERT_FALSE(collector.address().empty());
  PrepareEnrollment();
  const std::string wrong = "SHA256:" + std::string(64, 'a');
  ASSERT_NE(wrong, fingerprint_);
  const CommandResult agent =
      RunCommand({MAMORI_AGENT_BIN, "--collector", collector.address(), "--once", "--data-dir",
                  agent_dir().string(), "--enroll-token", token_, "--ca-fingerprint", wrong});
  EXPECT_EQ(agent.exit_code, 2);
  EXPECT_NE(agent.err.find("refusing to enroll"), std::string::npos) << agent.err;
  EXPECT_NE(agent.err.find("nothing was sent"), std::string::npos) << agent.err;
  EXPECT_FALSE(std::filesystem::exists(agent_dir())) << "nothing is created for a refused run";
  // The collector saw no Enroll: the token's one use is still there and no agent exists.
  EXPECT_EQ(Query("SELECT uses_left FROM enrollment_tokens"), std::vector<std::string>{"1"});
  EXPECT_EQ(Query("SELECT count(*) FROM agents"), std::vector<std::string>{"0"});
  EXPECT_EQ(Query("SELECT count(*) FROM agent_certificates"), std::vector<std::string>{"0"});

  // The same token with the right fingerprint still enrolls.
  ASSERT_EQ(RunAgentOnce(collector.address()).exit_code, 0);
  EXPECT_EQ(Query("SELECT uses_left FROM enrollment_tokens"), std::vector<std::string>{"0"});
}

TEST_F(AgentToCollector, AgentRefusesToStartUnenrolledWithoutATokenAndFingerprint) {
  const CommandResult agent = RunCommand({MAMORI_AGENT_BIN, "--collector", "127.0.0.1:7443",
                                          "--once", "--data-dir", agent_dir().string()});
  EXPECT_EQ(agent.exit_code, 2);
  EXPECT_NE(agent.err.find("not enrolled yet"), std::string::npos) << agent.err;
}

TEST_F(AgentToCollector, AgentReportsClearErrorWhenCollectorIsAway) {
  {
    CollectorProcess collector(collector_dir());
    ASSERT_FALSE(collector.address().empty());
    ASSERT_EQ(RunAgentOnce(collector.address()).exit_code, 0);
  }
  // Port 1 on loopback: nothing listens there.
  const CommandResult agent = RunAgentOnce("127.0.0.1:1");
  EXPECT_EQ(agent.exit_code, 1);
  EXPECT_NE(agent.err.find("could not deliver to 127.0.0.1:1"), std::string::npos) << agent.err;
}

}  // namespace
