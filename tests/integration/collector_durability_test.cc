// Issue 8's collector fault tests, end to end with the real binaries: a damaged database page stops
// `serve` with a clear message and `restore` brings the backup back; a backup taken while fixture
// agents send is consistent and restores to a prefix of the live database. (Disk full is tested
// in-process through the real gateway, with an injected full disk: tests/collector/disk_full_test.)
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tests/collector/damaged_database.h"
#include "tests/integration/process_harness.h"

namespace mamori::testing {
namespace {

namespace fs = std::filesystem;

using Rows = std::set<std::pair<std::string, std::int64_t>>;

// (agent_id, seq) of every row of `table` ("snapshots" or "heartbeats") in the database at `path`.
Rows AgentSeqs(const fs::path& path, const std::string& table) {
  Rows rows;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  // The table name is one of two constants of this test, never input.
  const std::string sql = "SELECT agent_id, seq FROM " + table;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr), SQLITE_OK);
  while (sqlite3_step(statement) == SQLITE_ROW) {
    rows.emplace(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)),
                 sqlite3_column_int64(statement, 1));
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return rows;
}

class CollectorDurability : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) /
            ("durability-" +
             std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(root_);
    fs::create_directories(root_);
    data_ = (root_ / "collector").string();
    const CommandResult fingerprint = Collector({"ca", "show", "--data-dir", data_});
    ASSERT_EQ(fingerprint.exit_code, 0) << fingerprint.err;
    fingerprint_ = fingerprint.out.substr(0, fingerprint.out.find('\n'));
    const CommandResult token =
        Collector({"token", "create", "--uses", "20", "--ttl", "1h", "--data-dir", data_});
    ASSERT_EQ(token.exit_code, 0) << token.err;
    token_ = token.out.substr(0, token.out.find('\n'));
  }

  void TearDown() override {
    collector_.reset();
    if (!HasFailure() && std::getenv("MAMORI_KEEP_TEST_DIR") == nullptr) {
      fs::remove_all(root_);
    }
  }

  fs::path Database() const { return fs::path(data_) / "mamori.db"; }

  CommandResult Collector(const std::vector<std::string>& args) {
    std::vector<std::string> full{MAMORI_COLLECTOR_BIN};
    full.insert(full.end(), args.begin(), args.end());
    return RunCommand(full);
  }

  void StartCollector() {
    collector_ = std::make_unique<CollectorProcess>(
        std::vector<std::string>{MAMORI_COLLECTOR_BIN, "serve", "--listen", "127.0.0.1:0",
                                 "--data-dir", data_},
        root_ / ("collector-" + std::to_string(++starts_) + ".log"));
  }

  // The fixture agent `name` (a Windows 11 PC of that host name) sends `sends`.
  CommandResult FixtureAgent(const std::string& name, const std::vector<std::string>& sends) {
    std::vector<std::string> full{MAMORI_FIXTURE_AGENT_BIN,
                                  "--collector",
                                  collector_->address(),
                                  "--data-dir",
                                  (root_ / "agents" / name).string(),
                                  "--enroll-token",
                                  token_,
                                  "--ca-fingerprint",
                                  fingerprint_,
                                  "--facts",
                                  "builtin:windows11",
                                  "--hostname",
                                  name};
    for (const std::string& send : sends) {
      full.push_back("--send");
      full.push_back(send);
    }
    return RunCommand(full);
  }

  fs::path root_;
  std::string data_;
  std::string fingerprint_;
  std::string token_;
  std::unique_ptr<CollectorProcess> collector_;
  int starts_ = 0;
};

TEST_F(CollectorDurability, ADamagedPageStopsServeAndTheBackupRestoresIt) {
  StartCollector();
  ASSERT_FALSE(collector_->address().empty()) << collector_->Log();
  for (const char* host : {"受付PC-1", "診察室PC-2", "事務PC-3"}) {
    const CommandResult sent =
        FixtureAgent(host, {"snapshot", "heartbeat", "heartbeat", "heartbeat"});
    ASSERT_EQ(sent.exit_code, 0) << sent.err;
  }
  const fs::path backup = root_ / "backup-1";
  const CommandResult backed_up =
      Collector({"backup", "--data-dir", data_, "--to", backup.string()});
  ASSERT_EQ(backed_up.exit_code, 0) << backed_up.err;
  ASSERT_EQ(collector_->Stop(), 0) << collector_->Log();
  const Rows snapshots = AgentSeqs(Database(), "snapshots");
  const Rows heartbeats = AgentSeqs(Database(), "heartbeats");
  ASSERT_EQ(snapshots.size(), 3u);
  ASSERT_EQ(heartbeats.size(), 9u);

  ASSERT_GT(DamageMiddlePage(Database()), 0);
  const CommandResult check = Collector({"check", "--data-dir", data_});
  EXPECT_EQ(check.exit_code, 1) << check.out << check.err;

  // `timeout` ends a collector that served anyway (exit 124) instead of hanging the test.
  const CommandResult refused =
      RunCommand({boost::process::search_path("timeout").string(), "30", MAMORI_COLLECTOR_BIN,
                  "serve", "--listen", "127.0.0.1:0", "--data-dir", data_});
  EXPECT_EQ(refused.exit_code, 1) << "serve did not refuse the damaged database";
  EXPECT_EQ(refused.out.find("listening on"), std::string::npos) << refused.out;
  const std::string& refusal = refused.err;
  EXPECT_NE(refusal.find(Database().string() + " is damaged"), std::string::npos) << refusal;
  EXPECT_NE(refusal.find("quick_check says:"), std::string::npos) << refusal;
  EXPECT_NE(refusal.find("mamori-collector restore --data-dir " + data_), std::string::npos)
      << refusal;
  EXPECT_NE(refusal.find("バックアップから復元"), std::string::npos) << refusal;

  const CommandResult restored =
      Collector({"restore", "--data-dir", data_, "--from", backup.string()});
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_NE(restored.out.find("before-restore-"), std::string::npos) << restored.out;
  const CommandResult healthy = Collector({"check", "--data-dir", data_, "--full"});
  EXPECT_EQ(healthy.exit_code, 0) << healthy.err;

  StartCollector();
  ASSERT_FALSE(collector_->address().empty()) << collector_->Log();
  const CommandResult hosts = Collector({"hosts", "--data-dir", data_});
  EXPECT_NE(hosts.out.find("診察室PC-2"), std::string::npos) << hosts.out;
  // The agents still hold their certificates from the restored CA: they connect and deliver.
  const CommandResult after = FixtureAgent("受付PC-1", {"heartbeat"});
  EXPECT_EQ(after.exit_code, 0) << after.err;
  ASSERT_EQ(collector_->Stop(), 0);
  EXPECT_EQ(AgentSeqs(Database(), "snapshots"), snapshots);
  EXPECT_EQ(AgentSeqs(Database(), "heartbeats").size(), heartbeats.size() + 1);
}

TEST_F(CollectorDurability, ABackupTakenUnderLoadIsConsistentAndRestoresToAPrefix) {
  StartCollector();
  ASSERT_FALSE(collector_->address().empty()) << collector_->Log();
  // Four agents send a snapshot and 60 heartbeats each while backups are taken.
  std::vector<std::future<CommandResult>> agents;
  for (int i = 1; i <= 4; ++i) {
    agents.push_back(std::async(std::launch::async, [this, i] {
      std::vector<std::string> sends{"snapshot"};
      sends.insert(sends.end(), 60, "heartbeat");
      return FixtureAgent("PC-" + std::to_string(i), sends);
    }));
  }
  std::vector<fs::path> backups;
  for (int i = 0; i < 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    const fs::path backup = root_ / ("under-load-" + std::to_string(i));
    const CommandResult backed_up =
        Collector({"backup", "--data-dir", data_, "--to", backup.string()});
    ASSERT_EQ(backed_up.exit_code, 0) << backed_up.err;
    EXPECT_NE(backed_up.out.find("quick_check ok"), std::string::npos) << backed_up.out;
    backups.push_back(backup);
  }
  for (std::future<CommandResult>& agent : agents) {
    const CommandResult result = agent.get();
    EXPECT_EQ(result.exit_code, 0) << result.err;
  }
  ASSERT_EQ(collector_->Stop(), 0) << collector_->Log();
  const Rows live_snapshots = AgentSeqs(Database(), "snapshots");
  const Rows live_heartbeats = AgentSeqs(Database(), "heartbeats");
  EXPECT_EQ(live_heartbeats.size(), 240u);

  std::size_t largest = 0;
  for (const fs::path& backup : backups) {
    // Restored into a fresh data directory, as on a replacement server PC.
    const fs::path restored_dir = root_ / ("restored-" + backup.filename().string());
    fs::create_directories(restored_dir);
    const CommandResult restored =
        Collector({"restore", "--data-dir", restored_dir.string(), "--from", backup.string()});
    ASSERT_EQ(restored.exit_code, 0) << restored.err;
    const CommandResult check = Collector({"check", "--data-dir", restored_dir.string(), "--full"});
    EXPECT_EQ(check.exit_code, 0) << check.err;
    const fs::path db = restored_dir / "mamori.db";
    const Rows heartbeats = AgentSeqs(db, "heartbeats");
    // A prefix: everything in the backup is in the live database, and each agent's seqs
    // (snapshots and heartbeats share them) are 1..n without a hole: one consistent instant, not
    // a mix of before and after.
    std::map<std::string, std::int64_t> count;
    std::map<std::string, std::int64_t> highest;
    for (const auto& [table, live] :
         {std::pair{"snapshots", &live_snapshots}, std::pair{"heartbeats", &live_heartbeats}}) {
      for (const auto& row : AgentSeqs(db, table)) {
        EXPECT_TRUE(live->contains(row)) << table << " " << row.first << " " << row.second;
        ++count[row.first];
        highest[row.first] = std::max(highest[row.first], row.second);
      }
    }
    for (const auto& [agent, n] : count) {
      EXPECT_EQ(highest[agent], n) << agent << " has a hole in " << backup;
    }
    largest = std::max(largest, heartbeats.size());
  }
  EXPECT_GT(largest, 0u) << "no backup saw a heartbeat: the agents were not sending meanwhile";
}

}  // namespace
}  // namespace mamori::testing
