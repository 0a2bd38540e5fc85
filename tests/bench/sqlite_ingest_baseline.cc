// The raw SQLite baseline of the collector's ingest benchmark (scripts/bench-collector): the same
// snapshot and heartbeat rows the fleet simulator sends (tests/load/fleet_facts.h), inserted
// straight into the collector's own schema with prepared statements reused and one transaction
// per batch, under the collector's pragmas (WAL, synchronous=FULL, foreign keys). Nothing else:
// no gRPC, no validation, no sequence bookkeeping, no rules. Rows are built before the clock
// starts. Prints one JSON object.
//
//   collector_sqlite_baseline --dir DIR [--agents 200] [--snapshots 20000] [--heartbeats 100000]
//       [--batch 200]
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/time/clock.h"
#include "collector/storage/database.h"
#include "collector/storage/schema.h"
#include "collector/storage/stored_time.h"
#include "nlohmann/json.hpp"
#include "tests/load/fleet_facts.h"

namespace {

using mamori::collector::FormatStoredTime;

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using StatementPtr = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::cerr << "collector_sqlite_baseline: " << what << ": " << sqlite3_errmsg(db) << "\n";
    std::exit(1);
  }
}

StatementPtr Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  Check(sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr), db, sql);
  return StatementPtr(raw);
}

void Exec(sqlite3* db, const char* sql) {
  Check(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db, sql);
}

struct SnapshotRow {
  std::string agent_id;
  std::int64_t seq;
  std::string collected_at;
  std::string facts;
};

struct HeartbeatRow {
  std::string agent_id;
  std::int64_t seq;
  std::string sent_at;
  std::int64_t uptime_s;
  std::int64_t idle_s;
  bool has_locked;
  bool locked;
  std::int64_t sessions;
};

// Inserts `rows` in transactions of `batch` rows; returns the seconds it took.
template <typename Row, typename Bind>
double InsertBatched(sqlite3* db, sqlite3_stmt* insert, const std::vector<Row>& rows,
                     std::size_t batch, Bind bind) {
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t at = 0; at < rows.size(); at += batch) {
    Exec(db, "BEGIN IMMEDIATE");
    const std::size_t end = std::min(rows.size(), at + batch);
    for (std::size_t i = at; i < end; ++i) {
      bind(insert, rows[i]);
      Check(sqlite3_step(insert), db, "insert");
      sqlite3_reset(insert);
      sqlite3_clear_bindings(insert);
    }
    Exec(db, "COMMIT");
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Raw SQLite batched inserts of the fleet's snapshot and heartbeat rows"};
  std::string dir;
  int agents = 200;
  int snapshots = 20'000;
  int heartbeats = 100'000;
  int batch = 200;
  app.add_option("--dir", dir, "an empty directory for the database")->required();
  app.add_option("--agents", agents, "agents the rows are spread over (1 to 20000)")
      ->capture_default_str();
  app.add_option("--snapshots", snapshots, "snapshot rows (1 to 1000000)")->capture_default_str();
  app.add_option("--heartbeats", heartbeats, "heartbeat rows (1 to 10000000)")
      ->capture_default_str();
  app.add_option("--batch", batch, "rows per transaction (1 to 100000)")->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  }
  if (agents < 1 || agents > 20'000 || snapshots < 1 || snapshots > 1'000'000 || heartbeats < 1 ||
      heartbeats > 10'000'000 || batch < 1 || batch > 100'000) {
    std::cerr << "collector_sqlite_baseline: a value is out of range (see --help)\n";
    return 2;
  }
  const std::filesystem::path path = std::filesystem::path(dir) / "baseline.db";
  {
    // The collector's schema and migrations, exactly as `serve` creates them.
    absl::StatusOr<mamori::collector::Database> created = mamori::collector::Database::Open(
        path, mamori::collector::Database::OpenMode::kCreateIfMissing,
        mamori::collector::CollectorSchema());
    if (!created.ok()) {
      std::cerr << "collector_sqlite_baseline: " << created.status() << "\n";
      return 1;
    }
  }
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    std::cerr << "collector_sqlite_baseline: cannot open " << path << "\n";
    return 1;
  }
  std::unique_ptr<sqlite3, SqliteCloser> db(raw);
  // The collector's pragmas (collector/storage/database.cc).
  Exec(db.get(), "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");

  const absl::Time now = absl::Now();
  const std::string now_text = FormatStoredTime(now);
  std::vector<std::string> agent_ids;
  StatementPtr insert_agent =
      Prepare(db.get(),
              "INSERT INTO agents (agent_id, hostname, agent_version, first_seen, last_seen) "
              "VALUES (?1, ?2, 'fleetsim', ?3, ?3)");
  Exec(db.get(), "BEGIN");
  for (int i = 0; i < agents; ++i) {
    agent_ids.push_back("baseline-" + std::to_string(i));
    const std::string hostname = mamori::fleet::FleetHostname(static_cast<std::uint32_t>(i));
    sqlite3_bind_text(insert_agent.get(), 1, agent_ids.back().c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(insert_agent.get(), 2, hostname.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert_agent.get(), 3, now_text.c_str(), -1, SQLITE_STATIC);
    Check(sqlite3_step(insert_agent.get()), db.get(), "insert agent");
    sqlite3_reset(insert_agent.get());
  }
  Exec(db.get(), "COMMIT");

  // The rows, built before the clock starts: the agents take turns, as their streams do.
  std::vector<SnapshotRow> snapshot_rows;
  snapshot_rows.reserve(static_cast<std::size_t>(snapshots));
  std::vector<std::int64_t> next_seq(static_cast<std::size_t>(agents), 1);
  std::size_t facts_bytes = 0;
  for (int i = 0; i < snapshots; ++i) {
    const std::uint32_t agent = static_cast<std::uint32_t>(i % agents);
    const std::int64_t seq = next_seq[agent]++;
    const mamori::v1::Snapshot snapshot =
        mamori::fleet::FleetSnapshot(agent, static_cast<std::uint64_t>(seq), now);
    SnapshotRow row{agent_ids[agent], seq, now_text, ""};
    snapshot.facts().SerializeToString(&row.facts);
    facts_bytes += row.facts.size();
    snapshot_rows.push_back(std::move(row));
  }
  std::vector<HeartbeatRow> heartbeat_rows;
  heartbeat_rows.reserve(static_cast<std::size_t>(heartbeats));
  for (int i = 0; i < heartbeats; ++i) {
    const std::uint32_t agent = static_cast<std::uint32_t>(i % agents);
    const std::int64_t seq = next_seq[agent]++;
    const mamori::v1::Heartbeat heartbeat =
        mamori::fleet::FleetHeartbeat(agent, static_cast<std::uint64_t>(seq), now);
    heartbeat_rows.push_back({agent_ids[agent], seq, now_text, heartbeat.uptime().seconds(),
                              heartbeat.idle().seconds(), heartbeat.has_session_locked(),
                              heartbeat.session_locked(),
                              static_cast<std::int64_t>(heartbeat.sessions())});
  }

  StatementPtr insert_snapshot =
      Prepare(db.get(),
              "INSERT INTO snapshots (agent_id, seq, collected_at, received_at, facts) "
              "VALUES (?1, ?2, ?3, ?4, ?5)");
  const double snapshot_s =
      InsertBatched(db.get(), insert_snapshot.get(), snapshot_rows, static_cast<std::size_t>(batch),
                    [&](sqlite3_stmt* s, const SnapshotRow& row) {
                      sqlite3_bind_text(s, 1, row.agent_id.c_str(), -1, SQLITE_STATIC);
                      sqlite3_bind_int64(s, 2, row.seq);
                      sqlite3_bind_text(s, 3, row.collected_at.c_str(), -1, SQLITE_STATIC);
                      sqlite3_bind_text(s, 4, now_text.c_str(), -1, SQLITE_STATIC);
                      sqlite3_bind_blob(s, 5, row.facts.data(), static_cast<int>(row.facts.size()),
                                        SQLITE_STATIC);
                    });
  StatementPtr insert_heartbeat =
      Prepare(db.get(),
              "INSERT INTO heartbeats (agent_id, seq, sent_at, received_at, uptime_s, idle_s, "
              "session_locked, sessions) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  const double heartbeat_s =
      InsertBatched(db.get(), insert_heartbeat.get(), heartbeat_rows,
                    static_cast<std::size_t>(batch), [&](sqlite3_stmt* s, const HeartbeatRow& row) {
                      sqlite3_bind_text(s, 1, row.agent_id.c_str(), -1, SQLITE_STATIC);
                      sqlite3_bind_int64(s, 2, row.seq);
                      sqlite3_bind_text(s, 3, row.sent_at.c_str(), -1, SQLITE_STATIC);
                      sqlite3_bind_text(s, 4, now_text.c_str(), -1, SQLITE_STATIC);
                      sqlite3_bind_int64(s, 5, row.uptime_s);
                      sqlite3_bind_int64(s, 6, row.idle_s);
                      if (row.has_locked) {
                        sqlite3_bind_int64(s, 7, row.locked ? 1 : 0);
                      } else {
                        sqlite3_bind_null(s, 7);
                      }
                      sqlite3_bind_int64(s, 8, row.sessions);
                    });

  nlohmann::json result;
  result["agents"] = agents;
  result["batch"] = batch;
  result["snapshots"] = snapshots;
  result["heartbeats"] = heartbeats;
  result["snapshot_facts_mean_bytes"] = facts_bytes / static_cast<std::size_t>(snapshots);
  result["snapshots_per_s"] = snapshots / snapshot_s;
  result["heartbeats_per_s"] = heartbeats / heartbeat_s;
  std::cout << result.dump() << std::endl;
  return 0;
}
