// The collector's own durability tools: the integrity check `serve` runs before it serves (and
// `check` runs on demand), the online backup of a data directory (consistent while `serve` writes)
// and its restore. docs/collector.md ("Durability") says what each does and why.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace mamori::collector {

// The collector's database file in a data directory, and in a backup directory.
inline constexpr char kCollectorDatabaseFile[] = "mamori.db";
// At most this many of SQLite's problem lines are kept in a report: a badly damaged file can have
// thousands, and the first ones say enough.
inline constexpr int kMaxIntegrityProblems = 20;

enum class IntegrityDepth {
  kQuick,  // PRAGMA quick_check: every page and b-tree structure, not index-vs-table contents
  kFull,   // PRAGMA integrity_check: also every index against its table (about 10x slower)
};

struct IntegrityReport {
  bool ok = false;
  // SQLite's own words for what is wrong (at most kMaxIntegrityProblems); empty when ok.
  std::vector<std::string> problems;
  // PRAGMA user_version; 0 when the file could not be read that far.
  int schema_version = 0;
};

// Checks the database file at `path` without changing it. A damaged file is a report with ok =
// false, not an error; an error means the check itself could not run (no such file, no access).
absl::StatusOr<IntegrityReport> CheckDatabaseFile(const std::filesystem::path& path,
                                                  IntegrityDepth depth);

// What one backup holds. A backup is a directory (0700):
//   mamori.db        the database (0600), a self-contained file (rollback journal, no WAL)
//   pki/ca.crt       the collector's CA: without it every enrolled agent would be stranded
//   pki/ca.key       (0600) the CA's private key
//   policy.toml      the clinic's policy file, when DATA_DIR has one
struct BackupSummary {
  std::filesystem::path path;
  int schema_version = 0;
  std::uintmax_t database_bytes = 0;
  std::vector<std::string> files;  // relative to `path`
};

// Backs DATA_DIR up into the new directory `to` (which must not exist; its parent must). Safe
// while `serve` runs: the database is copied with SQLite's online backup API from one read
// snapshot, so it is consistent at one instant, and serving is not blocked (WAL). Everything is
// written to `to`.tmp first, the copy passes quick_check, every file is fsynced and only then is
// it renamed to `to`: a backup that exists is complete.
absl::StatusOr<BackupSummary> BackUpDataDir(const std::filesystem::path& data_dir,
                                            const std::filesystem::path& to);

struct RestoreSummary {
  std::filesystem::path kept_aside;  // DATA_DIR/before-restore-<UTC time>/
  int schema_version = 0;
  std::vector<std::string> restored;  // relative to DATA_DIR
};

// Puts the backup `from` (a backup directory, or a bare database file) back into DATA_DIR. Refuses
// while a collector runs on DATA_DIR (it takes the same lock as `serve`, and holds it throughout),
// and refuses a backup that is damaged, is not a collector database, or was written by a newer
// collector (schema version above `latest_schema_version`). What it replaces is moved, never
// deleted, into DATA_DIR/before-restore-<UTC time of `now`>/: the database with its -wal and -shm
// (a database without its WAL would be a different, possibly damaged, database), and the CA and
// policy files only when the backup's differ from the current ones.
absl::StatusOr<RestoreSummary> RestoreDataDir(const std::filesystem::path& data_dir,
                                              const std::filesystem::path& from,
                                              int latest_schema_version, absl::Time now);

// "20260131T030000Z": UTC, sortable, valid in a file name on every OS.
std::string BackupTimeText(absl::Time at);

}  // namespace mamori::collector
