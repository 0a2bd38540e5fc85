// The collector killed with SIGKILL at random moments, 20 times, under 200 simulated agents
// (mamori-fleetsim): each time it is started again on the same data directory and port and the
// agents reconnect and resend what was not acknowledged. Afterwards the database, read with SQLite
// directly, must hold every (agent, seq) the simulator produced exactly once, as the kind it was,
// and nothing else: nothing lost, nothing stored twice.
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <boost/process.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "tests/collector/temp_dir.h"
#include "tests/integration/process_harness.h"

namespace {

using mamori::collector::testing::TempDir;
using mamori::testing::CollectorProcess;
using mamori::testing::CommandResult;
using mamori::testing::RunCommand;

constexpr int kAgents = 200;
constexpr int kKills = 20;

std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

// How many agents the simulator last reported connected (its progress lines on stderr:
// "... connected=N/M ...").
int ConnectedAgents(const std::filesystem::path& progress_log) {
  std::ifstream in(progress_log);
  const std::string text(std::istreambuf_iterator<char>(in), {});
  const std::size_t at = text.rfind("connected=");
  return at == std::string::npos ? 0
                                 : std::atoi(text.c_str() + at + std::string("connected=").size());
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

using RecordKey = std::pair<std::string, std::int64_t>;  // (agent id, seq)

struct ProducedRecord {
  std::string kind;
  bool acked = false;
};

std::map<RecordKey, ProducedRecord> ReadRecordLog(const std::filesystem::path& path) {
  std::map<RecordKey, ProducedRecord> records;
  std::ifstream in(path);
  std::string agent_id;
  std::int64_t seq = 0;
  std::string kind;
  int acked = 0;
  while (in >> agent_id >> seq >> kind >> acked) {
    const bool inserted =
        records.emplace(RecordKey{agent_id, seq}, ProducedRecord{kind, acked == 1}).second;
    EXPECT_TRUE(inserted) << "the simulator logged " << agent_id << " seq " << seq << " twice";
  }
  return records;
}

struct StoredRecord {
  std::string kind;
  int copies = 0;
};

std::map<RecordKey, StoredRecord> ReadStoredRecords(const std::filesystem::path& database,
                                                    std::int64_t& gaps) {
  std::map<RecordKey, StoredRecord> stored;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(database.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db(raw, &sqlite3_close);
  EXPECT_EQ(rc, SQLITE_OK) << database;
  if (rc != SQLITE_OK) {
    return stored;
  }
  sqlite3_stmt* raw_statement = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db.get(),
                               "SELECT agent_id, seq, 'snapshot' FROM snapshots "
                               "UNION ALL SELECT agent_id, seq, 'heartbeat' FROM heartbeats",
                               -1, &raw_statement, nullptr),
            SQLITE_OK);
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> rows(raw_statement, &sqlite3_finalize);
  while (sqlite3_step(rows.get()) == SQLITE_ROW) {
    const RecordKey key{reinterpret_cast<const char*>(sqlite3_column_text(rows.get(), 0)),
                        sqlite3_column_int64(rows.get(), 1)};
    StoredRecord& record = stored[key];
    record.kind = reinterpret_cast<const char*>(sqlite3_column_text(rows.get(), 2));
    ++record.copies;
  }
  sqlite3_stmt* raw_gaps = nullptr;
  EXPECT_EQ(
      sqlite3_prepare_v2(db.get(), "SELECT count(*) FROM sequence_gaps", -1, &raw_gaps, nullptr),
      SQLITE_OK);
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> gap_rows(raw_gaps, &sqlite3_finalize);
  gaps = sqlite3_step(gap_rows.get()) == SQLITE_ROW ? sqlite3_column_int64(gap_rows.get(), 0) : -1;
  return stored;
}

std::vector<std::string> ServeArgs(const std::filesystem::path& data_dir,
                                   const std::string& listen) {
  return {MAMORI_COLLECTOR_BIN, "serve", "--listen", listen, "--data-dir", data_dir.string()};
}

// The same data directory and port as before the kill (gRPC binds with SO_REUSEADDR, so the
// killed process's connections in TIME_WAIT do not hold the port); retried briefly in case the
// kernel has not released the listening socket yet.
std::unique_ptr<CollectorProcess> Restart(const std::filesystem::path& data_dir,
                                          const std::string& address,
                                          const std::filesystem::path& log) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    auto collector = std::make_unique<CollectorProcess>(ServeArgs(data_dir, address), log);
    if (collector->address() == address) {
      return collector;
    }
    collector->Kill();
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return nullptr;
}

TEST(CollectorKillNine, EveryRecordProducedIsStoredExactlyOnceAcrossTwentyKills) {
  TempDir dir;
  const std::filesystem::path data_dir = dir.path() / "collector";
  const std::filesystem::path state_dir = dir.path() / "fleet";
  const std::filesystem::path record_log = dir.path() / "records.tsv";
  const std::filesystem::path collector_log = dir.path() / "collector.log";

  const CommandResult ca =
      RunCommand({MAMORI_COLLECTOR_BIN, "ca", "show", "--data-dir", data_dir.string()});
  ASSERT_EQ(ca.exit_code, 0) << ca.err;
  const CommandResult token =
      RunCommand({MAMORI_COLLECTOR_BIN, "token", "create", "--uses", std::to_string(kAgents),
                  "--ttl", "1h", "--data-dir", data_dir.string()});
  ASSERT_EQ(token.exit_code, 0) << token.err;

  auto collector =
      std::make_unique<CollectorProcess>(ServeArgs(data_dir, "127.0.0.1:0"), collector_log);
  const std::string address = collector->address();
  ASSERT_FALSE(address.empty()) << collector->Log();

  const std::vector<std::string> common = {"--collector",       address,
                                           "--state-dir",       state_dir.string(),
                                           "--agents",          std::to_string(kAgents),
                                           "--ca-fingerprint",  FirstLine(ca.out),
                                           "--token",           FirstLine(token.out),
                                           "--enroll-parallel", "2"};
  std::vector<std::string> enroll = {MAMORI_FLEETSIM_BIN, "--enroll-only"};
  enroll.insert(enroll.end(), common.begin(), common.end());
  const CommandResult enrolled = RunCommand(enroll);
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err;

  // A heartbeat every 15 s and a changed snapshot every minute per agent (about 16 records/s:
  // well within what the ASan collector commits on a busy 2-core machine, so each restart is
  // followed by the agents' resent windows, not by an ever longer backlog); reconnects paced by
  // the agent's backoff shortened (0.2 s, x1.6, at most 1 s) so the run fits in minutes.
  std::vector<std::string> run = {MAMORI_FLEETSIM_BIN,
                                  "--duration",
                                  "10m",
                                  "--heartbeat-interval",
                                  "15s",
                                  "--snapshot-interval",
                                  "60s",
                                  "--ramp",
                                  "2s",
                                  "--backoff-initial",
                                  "200ms",
                                  "--backoff-cap",
                                  "1s",
                                  "--backoff-healthy-after",
                                  "1s",
                                  "--drain-timeout",
                                  "120s",
                                  "--progress-interval",
                                  "250ms",
                                  "--record-log",
                                  record_log.string(),
                                  "--json"};
  run.insert(run.end(), common.begin(), common.end());
  boost::process::ipstream sim_out;
  const std::filesystem::path progress_log = dir.path() / "fleetsim.log";
  boost::process::child sim(run, boost::process::std_out > sim_out,
                            boost::process::std_err > progress_log.string());
  std::string sim_summary;
  std::thread sim_reader([&] { sim_summary.assign(std::istreambuf_iterator<char>(sim_out), {}); });

  const unsigned seed = std::random_device{}();
  std::cout << "kill schedule seed " << seed << std::endl;
  std::mt19937 rng(seed);
  // Each kill lands while records are being committed: once at least half the agents are back on
  // their streams and resending (bounded: at most 20 s; 200 TLS handshakes with the ASan collector
  // take 2 s on an idle machine and over 10 s on a loaded one), after a random 0.2 to 2.5 s more.
  // The worst case, 20 x 22.5 s, stays within the simulator's 10 minutes.
  std::uniform_int_distribution<int> pause_ms(200, 2'500);
  int kills = 0;
  int kills_with_half_connected = 0;
  for (; kills < kKills && sim.running(); ++kills) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (ConnectedAgents(progress_log) < kAgents / 2 &&
           std::chrono::steady_clock::now() < give_up && sim.running()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    kills_with_half_connected += ConnectedAgents(progress_log) >= kAgents / 2 ? 1 : 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(rng)));
    collector->Kill();
    collector = Restart(data_dir, address, collector_log);
    ASSERT_NE(collector, nullptr) << "the collector could not listen on " << address
                                  << " again after kill " << kills + 1;
  }
  // Production ends a few seconds after the last restart; the simulator then waits for every
  // record's Ack (its --drain-timeout) and exits.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  ::kill(sim.id(), SIGINT);
  sim.wait();
  sim_reader.join();
  std::cout << sim_summary << std::endl;
  EXPECT_EQ(sim.exit_code(), 0) << "the simulator did not see every record acknowledged:\n"
                                << sim_summary << ReadFile(dir.path() / "fleetsim.log");
  EXPECT_EQ(collector->Stop(), 0) << collector->Log();
  EXPECT_EQ(kills, kKills) << "the simulator ended before all kills";
  // Kills into a collector whose agents had not come back would test little.
  EXPECT_GE(kills_with_half_connected, kKills / 2);

  const std::map<RecordKey, ProducedRecord> produced = ReadRecordLog(record_log);
  std::int64_t gaps = 0;
  const std::map<RecordKey, StoredRecord> stored = ReadStoredRecords(data_dir / "mamori.db", gaps);
  ASSERT_GT(produced.size(), 500u) << "too few records for the test to mean anything";

  int not_acked = 0;
  int missing = 0;
  int wrong_kind = 0;
  int duplicated = 0;
  int unexpected = 0;
  for (const auto& [key, record] : produced) {
    not_acked += record.acked ? 0 : 1;
    const auto found = stored.find(key);
    if (found == stored.end()) {
      ++missing;
      ADD_FAILURE_AT(__FILE__, __LINE__) << "lost: " << key.first << " seq " << key.second;
      continue;
    }
    wrong_kind += found->second.kind == record.kind ? 0 : 1;
  }
  for (const auto& [key, record] : stored) {
    duplicated += record.copies > 1 ? 1 : 0;
    unexpected += produced.contains(key) ? 0 : 1;
  }
  std::cout << "kills " << kills << " (" << kills_with_half_connected
            << " with half the agents or more connected), records produced " << produced.size()
            << ", stored " << stored.size() << ", missing " << missing << ", stored twice "
            << duplicated << ", not produced " << unexpected << ", gaps " << gaps << std::endl;
  EXPECT_EQ(not_acked, 0);
  EXPECT_EQ(missing, 0);
  EXPECT_EQ(wrong_kind, 0);
  EXPECT_EQ(duplicated, 0);
  EXPECT_EQ(unexpected, 0);
  EXPECT_EQ(gaps, 0);
}

}  // namespace
