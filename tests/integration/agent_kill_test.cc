// Issue 8's agent fault test, with the real binaries: `mamori-agent` is killed with SIGKILL at
// random moments (before, during and after it spools and sends a record), part of the time while
// the collector is down, and restarted each time. Afterwards every id its spool ever issued is in
// the collector's database exactly once, with no gap, and nothing is left in the spool. A second
// agent on the same data directory is refused while the first runs. (The torn tail at every byte
// offset is tested on the spool itself: tests/platform/spool.)
#include <signal.h>
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <boost/process.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "platform/spool/spool.h"
#include "tests/integration/process_harness.h"

namespace {

namespace bp = boost::process;
namespace fs = std::filesystem;

using mamori::testing::CommandResult;
using mamori::testing::RunCommand;

class CollectorProcess : public mamori::testing::CollectorProcess {
 public:
  CollectorProcess(const fs::path& data_dir, const fs::path& log)
      : mamori::testing::CollectorProcess({MAMORI_COLLECTOR_BIN, "serve", "--listen", "127.0.0.1:0",
                                           "--data-dir", data_dir.string()},
                                          log) {}
};

// Integers of a one-column query against the collector's database, opened read-only.
std::vector<std::int64_t> QueryInts(const fs::path& db, const std::string& sql) {
  sqlite3* raw = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK) << db;
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> conn(raw, &sqlite3_close);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(conn.get(), sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> owned(stmt, &sqlite3_finalize);
  std::vector<std::int64_t> rows;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    rows.push_back(sqlite3_column_int64(stmt, 0));
  }
  return rows;
}

class AgentKill : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) /
            ("agent-kill-" +
             std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override {
    if (!HasFailure()) {
      fs::remove_all(root_);
    } else {
      std::cout << "kept for inspection: " << root_ << "\n";
    }
  }

  fs::path collector_dir() const { return root_ / "collector"; }
  fs::path agent_dir() const { return root_ / "agent"; }
  fs::path db() const { return collector_dir() / "mamori.db"; }

  // Enrolls the agent with one --once run (seq 1).
  void Enroll(const std::string& address) {
    const CommandResult fingerprint =
        RunCommand({MAMORI_COLLECTOR_BIN, "ca", "show", "--data-dir", collector_dir().string()});
    ASSERT_EQ(fingerprint.exit_code, 0) << fingerprint.err;
    const CommandResult token =
        RunCommand({MAMORI_COLLECTOR_BIN, "token", "create", "--uses", "1", "--ttl", "1h",
                    "--label", "kill", "--data-dir", collector_dir().string()});
    ASSERT_EQ(token.exit_code, 0) << token.err;
    const CommandResult agent = RunCommand(
        {MAMORI_AGENT_BIN, "--collector", address, "--once", "--data-dir", agent_dir().string(),
         "--enroll-token", token.out.substr(0, token.out.find('\n')), "--ca-fingerprint",
         fingerprint.out.substr(0, fingerprint.out.find('\n'))});
    ASSERT_EQ(agent.exit_code, 0) << agent.err;
  }

  // The long-running agent (a snapshot or, facts unchanged, a heartbeat at once, then every 10 s).
  bp::child StartAgent(const std::string& address, int run) {
    return bp::child(std::vector<std::string>{MAMORI_AGENT_BIN, "--collector", address,
                                              "--data-dir", agent_dir().string(), "--interval",
                                              "1h", "--heartbeat-interval", "10s"},
                     bp::std_out > bp::null,
                     bp::std_err > (root_ / ("agent-" + std::to_string(run) + ".log")).string());
  }

  fs::path root_;
};

// The size of each of the spool's segments, by name. A record appended grows the newest segment
// or starts a new one; an acknowledged segment is deleted, so the total alone can shrink.
std::map<std::string, std::uintmax_t> SegmentSizes(const fs::path& spool_dir) {
  std::map<std::string, std::uintmax_t> sizes;
  std::error_code ec;
  for (fs::directory_iterator it(spool_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.starts_with("segment-")) {
      std::error_code size_ec;
      const std::uintmax_t size = it->file_size(size_ec);
      if (!size_ec) {
        sizes[name] = size;
      }
    }
  }
  return sizes;
}

bool GrewSince(const std::map<std::string, std::uintmax_t>& before, const fs::path& spool_dir) {
  for (const auto& [name, size] : SegmentSizes(spool_dir)) {
    const auto old = before.find(name);
    if (size > (old == before.end() ? 0 : old->second)) {
      return true;
    }
  }
  return false;
}

TEST_F(AgentKill, EveryIdTheSpoolIssuedIsStoredOnceAfterTwelveKills) {
  const unsigned seed = std::random_device{}();
  std::cout << "seed " << seed << "\n";
  std::mt19937 random(seed);
  // Even runs are killed 0 to 400 ms after the agent appended its record (while it sends it, waits
  // for the Ack or deletes it); odd runs at a random moment before their append is expected (during
  // the probes or the append itself). The agent's time to its first append (its probes: about 1 s
  // for an ASan agent on an idle machine, many more under load) is measured by the even runs, so
  // the kills land where they should whatever the machine's speed.
  std::uniform_int_distribution<int> after_append_ms(0, 400);
  std::uniform_real_distribution<double> before_append(0.1, 1.0);
  double append_ms = 1500;
  constexpr auto kAppendDeadline = std::chrono::seconds(90);

  std::optional<CollectorProcess> collector;
  collector.emplace(collector_dir(), root_ / "collector-0.log");
  ASSERT_FALSE(collector->address().empty()) << collector->Log();
  ASSERT_NO_FATAL_FAILURE(Enroll(collector->address()));
  std::string address = collector->address();

  constexpr int kRuns = 12;
  int appended_before_kill = 0;
  for (int run = 0; run < kRuns; ++run) {
    // Runs 4 to 7 with the collector away: records pile up in the spool.
    if (run == 4) {
      ASSERT_EQ(collector->Stop(), 0) << collector->Log();
      collector.reset();
    }
    if (run == 8) {
      collector.emplace(collector_dir(), root_ / "collector-1.log");
      ASSERT_FALSE(collector->address().empty()) << collector->Log();
      address = collector->address();
    }
    const std::map<std::string, std::uintmax_t> before = SegmentSizes(agent_dir() / "spool");
    const auto started = std::chrono::steady_clock::now();
    const bool after_append = run % 2 == 0;
    auto kill_time = after_append ? started + kAppendDeadline
                                  : started + std::chrono::milliseconds(static_cast<int>(
                                                  append_ms * before_append(random)));
    bp::child agent = StartAgent(address, run);
    std::optional<std::chrono::steady_clock::time_point> appended;
    while (std::chrono::steady_clock::now() < kill_time) {
      if (!appended && GrewSince(before, agent_dir() / "spool")) {
        appended = std::chrono::steady_clock::now();
        if (after_append) {
          kill_time = *appended + std::chrono::milliseconds(after_append_ms(random));
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_TRUE(agent.running()) << "run " << run << " ended by itself, see " << root_;
    ::kill(agent.id(), SIGKILL);
    agent.wait();
    if (after_append) {
      ASSERT_TRUE(appended) << "run " << run << " appended nothing in " << kAppendDeadline.count()
                            << " s, see " << root_;
      append_ms = std::chrono::duration<double, std::milli>(*appended - started).count();
    }
    if (appended) {
      ++appended_before_kill;
    }
  }
  std::cout << appended_before_kill << " of " << kRuns << " runs appended before their kill\n";

  {
    // A second agent on the same data directory while one runs: refused, and it leaves the
    // running one alone.
    bp::child first = StartAgent(address, kRuns);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const CommandResult second = RunCommand(
        {MAMORI_AGENT_BIN, "--collector", address, "--once", "--data-dir", agent_dir().string()});
    EXPECT_NE(second.exit_code, 0);
    EXPECT_NE(second.err.find("only one mamori-agent may run per data directory"),
              std::string::npos)
        << second.err;
    ::kill(first.id(), SIGKILL);
    first.wait();
  }

  // The last run delivers whatever the spool still holds, then one snapshot.
  const CommandResult last = RunCommand(
      {MAMORI_AGENT_BIN, "--collector", address, "--once", "--data-dir", agent_dir().string()});
  ASSERT_EQ(last.exit_code, 0) << last.err;
  ASSERT_EQ(collector->Stop(), 0) << collector->Log();

  mamori::platform::spool::SpoolOpenResult opened =
      mamori::platform::spool::Spool::Open(agent_dir() / "spool", {}, 1);
  ASSERT_NE(opened.spool, nullptr) << opened.error;
  const mamori::platform::spool::SpoolStats stats = opened.spool->Stats();
  EXPECT_EQ(stats.records, 0u) << "everything was acknowledged";
  const std::int64_t issued = static_cast<std::int64_t>(stats.next_id) - 1;

  const std::vector<std::int64_t> stored =
      QueryInts(db(), "SELECT seq FROM snapshots UNION ALL SELECT seq FROM heartbeats ORDER BY 1");
  std::vector<std::int64_t> expected(static_cast<std::size_t>(issued));
  for (std::int64_t seq = 1; seq <= issued; ++seq) {
    expected[static_cast<std::size_t>(seq - 1)] = seq;
  }
  // Exactly once: every id from 1 to the last one issued, none twice, none beyond.
  EXPECT_EQ(stored, expected) << "seed " << seed;
  // Enrollment's record, one per run that appended before its kill, and the last run's.
  EXPECT_GE(issued, 2 + appended_before_kill);
  EXPECT_EQ(QueryInts(db(), "SELECT count(*) FROM sequence_gaps"), std::vector<std::int64_t>{0});
  EXPECT_EQ(QueryInts(db(), "SELECT last_committed_seq FROM agents"),
            std::vector<std::int64_t>{issued});
}

}  // namespace
