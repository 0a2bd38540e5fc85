#include "collector/storage/database_backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <system_error>
#include <thread>
#include <utility>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "collector/storage/data_dir_lock.h"

namespace mamori::collector {
namespace {

namespace fs = std::filesystem;

constexpr char kPkiDir[] = "pki";
constexpr std::array<const char*, 2> kCaFiles = {"ca.crt", "ca.key"};
// Issued by the CA: set aside with it when the CA changes, so `serve` issues new ones.
constexpr std::array<const char*, 2> kServerFiles = {"server.crt", "server.key"};
constexpr char kPolicyFile[] = "policy.toml";
// The CA, its key and the policy are small; anything bigger is not ours.
constexpr std::uintmax_t kMaxSmallFileBytes = 1 << 20;
// 1024 pages (4 MiB at SQLite's default page size) per step: progress between steps, and a bound
// on how long one step holds the source's page cache.
constexpr int kPagesPerStep = 1024;
constexpr int kBusyTimeoutMs = 5000;
constexpr int kMaxBusyRetries = 500;  // 10 s at 20 ms
// The database's files besides itself: the WAL, its index, a rollback journal.
constexpr std::array<const char*, 4> kDatabaseSuffixes = {"", "-wal", "-shm", "-journal"};

struct Closer {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Connection = std::unique_ptr<sqlite3, Closer>;

bool IsDamage(int rc) {
  const int primary = rc & 0xff;
  return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

absl::Status SqliteStatus(sqlite3* db, int rc, absl::string_view what) {
  const std::string text =
      absl::StrCat(what, ": ", db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if (IsDamage(rc)) {
    return absl::DataLossError(text);
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
      return absl::UnavailableError(text);
    case SQLITE_CANTOPEN:
      return absl::NotFoundError(text);
    default:
      return absl::InternalError(text);
  }
}

std::string ErrnoText() { return std::strerror(errno); }

// Never creates the file: a mistyped path must not become an empty database.
absl::StatusOr<Connection> OpenExisting(const fs::path& path) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
  Connection db(raw);
  if (rc != SQLITE_OK) {
    return SqliteStatus(raw, rc, absl::StrCat("open ", path.string()));
  }
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  return db;
}

// For fixed SQL text only.
absl::Status Exec(sqlite3* db, const char* sql) {
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    return SqliteStatus(db, rc, sql);
  }
  return absl::OkStatus();
}

// Runs a fixed query that returns one integer.
absl::StatusOr<std::int64_t> QueryInt(sqlite3* db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &raw, nullptr);
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> statement(raw, &sqlite3_finalize);
  if (rc != SQLITE_OK) {
    return SqliteStatus(db, rc, sql);
  }
  rc = sqlite3_step(raw);
  if (rc != SQLITE_ROW) {
    return SqliteStatus(db, rc == SQLITE_DONE ? SQLITE_INTERNAL : rc, sql);
  }
  return sqlite3_column_int64(raw, 0);
}

absl::StatusOr<IntegrityReport> CheckConnection(sqlite3* db, IntegrityDepth depth) {
  // The limit is our own constant, not input: PRAGMA takes no bound parameters.
  const std::string sql = absl::StrCat(
      depth == IntegrityDepth::kQuick ? "PRAGMA quick_check(" : "PRAGMA integrity_check(",
      kMaxIntegrityProblems, ")");
  IntegrityReport report;
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr);
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> statement(raw, &sqlite3_finalize);
  if (IsDamage(rc)) {
    report.problems.push_back(sqlite3_errmsg(db));
    return report;
  }
  if (rc != SQLITE_OK) {
    return SqliteStatus(db, rc, sql);
  }
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(raw, 0);
    std::string line = text != nullptr ? reinterpret_cast<const char*>(text) : "";
    if (line != "ok" && report.problems.size() < kMaxIntegrityProblems) {
      report.problems.push_back(std::move(line));
    }
  }
  if (IsDamage(rc)) {
    report.problems.push_back(sqlite3_errmsg(db));
    return report;
  }
  if (rc != SQLITE_DONE) {
    return SqliteStatus(db, rc, sql);
  }
  report.ok = report.problems.empty();
  if (report.ok) {
    absl::StatusOr<std::int64_t> version = QueryInt(db, "PRAGMA user_version");
    if (!version.ok()) {
      return version.status();
    }
    report.schema_version = static_cast<int>(*version);
  }
  return report;
}

// mkdir with mode 0700, whatever the umask says.
absl::Status MakePrivateDir(const fs::path& path) {
  if (mkdir(path.c_str(), 0700) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create ", path.string(), ": ", ErrnoText()));
  }
  if (chmod(path.c_str(), 0700) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot restrict ", path.string(), ": ", ErrnoText()));
  }
  return absl::OkStatus();
}

absl::Status FsyncPath(const fs::path& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return absl::UnavailableError(absl::StrCat("cannot open ", path.string(), ": ", ErrnoText()));
  }
  const int rc = fsync(fd);
  const std::string error = rc != 0 ? ErrnoText() : "";
  close(fd);
  if (rc != 0) {
    return absl::UnavailableError(absl::StrCat("fsync ", path.string(), ": ", error));
  }
  return absl::OkStatus();
}

// Creates `path` (it must not exist; never through a symlink) with mode 0600, writes `bytes` and
// fsyncs it.
absl::Status WriteNewPrivateFile(const fs::path& path, absl::string_view bytes) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create ", path.string(), ": ", ErrnoText()));
  }
  absl::Cleanup close_fd = [fd] { close(fd); };
  if (fchmod(fd, 0600) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot restrict ", path.string(), ": ", ErrnoText()));
  }
  while (!bytes.empty()) {
    const ssize_t written = write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      return absl::UnavailableError(absl::StrCat("write ", path.string(), ": ", ErrnoText()));
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  if (fsync(fd) != 0) {
    return absl::UnavailableError(absl::StrCat("fsync ", path.string(), ": ", ErrnoText()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadSmallFile(const fs::path& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read ", path.string(), ": ", ErrnoText()));
  }
  absl::Cleanup close_fd = [fd] { close(fd); };
  std::string bytes;
  char buffer[8192];
  while (true) {
    const ssize_t got = read(fd, buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      return absl::UnavailableError(absl::StrCat("read ", path.string(), ": ", ErrnoText()));
    }
    if (got == 0) {
      return bytes;
    }
    bytes.append(buffer, static_cast<std::size_t>(got));
    if (bytes.size() > kMaxSmallFileBytes) {
      return absl::FailedPreconditionError(
          absl::StrCat(path.string(), " is larger than ", kMaxSmallFileBytes, " bytes"));
    }
  }
}

absl::Status CopySmallFile(const fs::path& from, const fs::path& to) {
  absl::StatusOr<std::string> bytes = ReadSmallFile(from);
  if (!bytes.ok()) {
    return bytes.status();
  }
  return WriteNewPrivateFile(to, *bytes);
}

bool Exists(const fs::path& path) {
  std::error_code error;
  return fs::exists(fs::symlink_status(path, error));
}

// Whether `dir` holds the CA pair: both files or neither; one alone is refused.
absl::StatusOr<bool> HasCaPair(const fs::path& pki_dir) {
  const bool certificate = Exists(pki_dir / kCaFiles[0]);
  const bool key = Exists(pki_dir / kCaFiles[1]);
  if (certificate != key) {
    return absl::FailedPreconditionError(
        absl::StrCat(pki_dir.string(), " holds only one of ca.crt and ca.key: a CA needs both"));
  }
  return certificate;
}

// Copies the database at `from` into the new file `to` (created 0600) with SQLite's online backup,
// from one read snapshot of `from`, then makes `to` a self-contained file (rollback journal, no
// WAL), checks it and fsyncs it.
absl::StatusOr<IntegrityReport> CopyDatabase(const fs::path& from, const fs::path& to) {
  if (absl::Status status = WriteNewPrivateFile(to, ""); !status.ok()) {
    return status;
  }
  absl::StatusOr<Connection> source = OpenExisting(from);
  if (!source.ok()) {
    return source.status();
  }
  // One read transaction for the whole copy: every step reads the same snapshot, so the copy is
  // consistent at one instant and is never restarted by the collector's commits meanwhile. In WAL
  // mode a reader does not block the writer.
  if (absl::Status status = Exec(source->get(), "BEGIN"); !status.ok()) {
    return status;
  }
  absl::StatusOr<std::int64_t> tables =
      QueryInt(source->get(), "SELECT count(*) FROM sqlite_schema");
  if (!tables.ok()) {
    return tables.status();
  }
  absl::StatusOr<Connection> destination = OpenExisting(to);
  if (!destination.ok()) {
    return destination.status();
  }
  sqlite3_backup* backup = sqlite3_backup_init(destination->get(), "main", source->get(), "main");
  if (backup == nullptr) {
    return SqliteStatus(destination->get(), sqlite3_errcode(destination->get()),
                        "start the online backup");
  }
  int rc = SQLITE_OK;
  int busy_retries = 0;
  while (true) {
    rc = sqlite3_backup_step(backup, kPagesPerStep);
    if (rc == SQLITE_OK) {
      continue;
    }
    if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && ++busy_retries < kMaxBusyRetries) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    break;
  }
  const int finish_rc = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    return SqliteStatus(nullptr, rc, absl::StrCat("copy ", from.string()));
  }
  if (finish_rc != SQLITE_OK) {
    return SqliteStatus(destination->get(), finish_rc, absl::StrCat("copy ", from.string()));
  }
  (void)Exec(source->get(), "COMMIT");
  source->reset();
  // The copy took the source's WAL mode with its first page; a backup is one file to carry.
  if (absl::Status status = Exec(destination->get(), "PRAGMA journal_mode=DELETE"); !status.ok()) {
    return status;
  }
  absl::StatusOr<IntegrityReport> report =
      CheckConnection(destination->get(), IntegrityDepth::kQuick);
  destination->reset();
  if (!report.ok()) {
    return report.status();
  }
  if (!report->ok) {
    return absl::DataLossError(
        absl::StrCat("the copy of ", from.string(), " fails SQLite's quick_check (",
                     absl::StrJoin(report->problems, "; "), "): the database itself is damaged"));
  }
  if (absl::Status status = FsyncPath(to); !status.ok()) {
    return status;
  }
  return report;
}

absl::Status Rename(const fs::path& from, const fs::path& to) {
  if (rename(from.c_str(), to.c_str()) != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot move ", from.string(), " to ", to.string(), ": ", ErrnoText()));
  }
  return absl::OkStatus();
}

fs::path ParentOf(const fs::path& path) {
  const fs::path parent = path.parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

// Whether `current` is missing or holds other bytes than `wanted`.
absl::StatusOr<bool> Differs(const fs::path& current, const fs::path& wanted) {
  if (!Exists(current)) {
    return true;
  }
  absl::StatusOr<std::string> a = ReadSmallFile(current);
  if (!a.ok()) {
    return a.status();
  }
  absl::StatusOr<std::string> b = ReadSmallFile(wanted);
  if (!b.ok()) {
    return b.status();
  }
  return *a != *b;
}

}  // namespace

std::string BackupTimeText(absl::Time at) {
  return absl::FormatTime("%Y%m%dT%H%M%SZ", at, absl::UTCTimeZone());
}

absl::StatusOr<IntegrityReport> CheckDatabaseFile(const fs::path& path, IntegrityDepth depth) {
  std::error_code error;
  if (!fs::is_regular_file(path, error)) {
    return absl::NotFoundError(absl::StrCat("no database file at ", path.string()));
  }
  absl::StatusOr<Connection> db = OpenExisting(path);
  if (!db.ok()) {
    if (absl::IsDataLoss(db.status())) {
      IntegrityReport report;
      report.problems.push_back(std::string(db.status().message()));
      return report;
    }
    return db.status();
  }
  return CheckConnection(db->get(), depth);
}

absl::StatusOr<BackupSummary> BackUpDataDir(const fs::path& data_dir, const fs::path& to) {
  const fs::path source = data_dir / kCollectorDatabaseFile;
  std::error_code error;
  if (!fs::is_regular_file(source, error)) {
    return absl::NotFoundError(absl::StrCat("no collector database at ", source.string(),
                                            " (is --data-dir the directory `serve` uses?)"));
  }
  if (to.filename().empty()) {
    return absl::InvalidArgumentError("the backup needs a name, not a path ending in /");
  }
  if (Exists(to)) {
    return absl::FailedPreconditionError(
        absl::StrCat(to.string(), " already exists: a backup never overwrites anything"));
  }
  const fs::path parent = ParentOf(to);
  if (!fs::is_directory(parent, error)) {
    // Not created: a mistyped mount point must not quietly fill the system disk instead.
    return absl::FailedPreconditionError(
        absl::StrCat(parent.string(), " is not a directory (is the backup disk mounted?)"));
  }
  const fs::path staging = fs::path(to.string() + ".tmp");
  if (Exists(staging)) {
    return absl::FailedPreconditionError(absl::StrCat(
        staging.string(), " exists, left by an interrupted backup: remove it and try again"));
  }
  if (absl::Status status = MakePrivateDir(staging); !status.ok()) {
    return status;
  }
  absl::Cleanup remove_staging = [&staging] {
    std::error_code ignored;
    fs::remove_all(staging, ignored);
  };

  BackupSummary summary;
  summary.path = to;
  absl::StatusOr<IntegrityReport> copied = CopyDatabase(source, staging / kCollectorDatabaseFile);
  if (!copied.ok()) {
    return copied.status();
  }
  summary.schema_version = copied->schema_version;
  summary.database_bytes = fs::file_size(staging / kCollectorDatabaseFile, error);
  summary.files.push_back(kCollectorDatabaseFile);

  absl::StatusOr<bool> has_ca = HasCaPair(data_dir / kPkiDir);
  if (!has_ca.ok()) {
    return has_ca.status();
  }
  if (*has_ca) {
    if (absl::Status status = MakePrivateDir(staging / kPkiDir); !status.ok()) {
      return status;
    }
    for (const char* name : kCaFiles) {
      if (absl::Status status = CopySmallFile(data_dir / kPkiDir / name, staging / kPkiDir / name);
          !status.ok()) {
        return status;
      }
      summary.files.push_back(absl::StrCat(kPkiDir, "/", name));
    }
    if (absl::Status status = FsyncPath(staging / kPkiDir); !status.ok()) {
      return status;
    }
  }
  if (Exists(data_dir / kPolicyFile)) {
    if (absl::Status status = CopySmallFile(data_dir / kPolicyFile, staging / kPolicyFile);
        !status.ok()) {
      return status;
    }
    summary.files.push_back(kPolicyFile);
  }
  if (absl::Status status = FsyncPath(staging); !status.ok()) {
    return status;
  }
  if (absl::Status status = Rename(staging, to); !status.ok()) {
    return status;
  }
  std::move(remove_staging).Cancel();
  if (absl::Status status = FsyncPath(parent); !status.ok()) {
    return status;
  }
  return summary;
}

absl::StatusOr<RestoreSummary> RestoreDataDir(const fs::path& data_dir, const fs::path& from,
                                              int latest_schema_version, absl::Time now) {
  std::error_code error;
  if (!fs::is_directory(data_dir, error)) {
    return absl::NotFoundError(absl::StrCat(data_dir.string(), " is not a directory"));
  }
  absl::StatusOr<DataDirLock> lock = DataDirLock::Acquire(data_dir);
  if (!lock.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat(lock.status().message(),
                     ": stop it first (restore never replaces the database of a running "
                     "collector)"));
  }

  // What the backup holds.
  fs::path source_db = from;
  std::optional<fs::path> source_pki;
  std::optional<fs::path> source_policy;
  if (fs::is_directory(from, error)) {
    source_db = from / kCollectorDatabaseFile;
    absl::StatusOr<bool> has_ca = HasCaPair(from / kPkiDir);
    if (!has_ca.ok()) {
      return has_ca.status();
    }
    if (*has_ca) {
      source_pki = from / kPkiDir;
    }
    if (Exists(from / kPolicyFile)) {
      source_policy = from / kPolicyFile;
    }
  }
  absl::StatusOr<IntegrityReport> report = CheckDatabaseFile(source_db, IntegrityDepth::kFull);
  if (!report.ok()) {
    return report.status();
  }
  if (!report->ok) {
    return absl::DataLossError(absl::StrCat(
        "the backup ", source_db.string(), " is damaged too (SQLite's integrity_check: ",
        absl::StrJoin(report->problems, "; "), "): restore an older backup"));
  }
  {
    absl::StatusOr<Connection> db = OpenExisting(source_db);
    if (!db.ok()) {
      return db.status();
    }
    absl::StatusOr<std::int64_t> agents = QueryInt(
        db->get(), "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'agents'");
    if (!agents.ok()) {
      return agents.status();
    }
    if (*agents == 0 || report->schema_version < 1) {
      return absl::FailedPreconditionError(
          absl::StrCat(source_db.string(), " is not a mamori collector database"));
    }
  }
  if (report->schema_version > latest_schema_version) {
    return absl::FailedPreconditionError(
        absl::StrCat("the backup has schema version ", report->schema_version,
                     " but this mamori-collector knows only up to ", latest_schema_version,
                     ": it was written by a newer collector; restore it with that version"));
  }

  // The copy is made and checked beside the database before anything current is touched.
  const fs::path database = data_dir / kCollectorDatabaseFile;
  const fs::path staging = fs::path(database.string() + ".restoring");
  fs::remove(staging, error);  // only ever ours: left by an interrupted restore
  absl::Cleanup remove_staging = [&staging] {
    std::error_code ignored;
    fs::remove(staging, ignored);
  };
  absl::StatusOr<IntegrityReport> copied = CopyDatabase(source_db, staging);
  if (!copied.ok()) {
    return copied.status();
  }

  RestoreSummary summary;
  summary.kept_aside = data_dir / absl::StrCat("before-restore-", BackupTimeText(now));
  summary.schema_version = copied->schema_version;
  if (Exists(summary.kept_aside)) {
    return absl::FailedPreconditionError(
        absl::StrCat(summary.kept_aside.string(), " exists already: wait a second and retry"));
  }
  if (absl::Status status = MakePrivateDir(summary.kept_aside); !status.ok()) {
    return status;
  }
  bool kept_anything = false;
  for (const char* suffix : kDatabaseSuffixes) {
    const fs::path file = fs::path(database.string() + suffix);
    if (Exists(file)) {
      if (absl::Status status =
              Rename(file, summary.kept_aside / absl::StrCat(kCollectorDatabaseFile, suffix));
          !status.ok()) {
        return absl::Status(status.code(), absl::StrCat(status.message(), "; what was moved is in ",
                                                        summary.kept_aside.string()));
      }
      kept_anything = true;
    }
  }

  if (source_pki.has_value()) {
    bool ca_differs = false;
    for (const char* name : kCaFiles) {
      absl::StatusOr<bool> differs = Differs(data_dir / kPkiDir / name, *source_pki / name);
      if (!differs.ok()) {
        return differs.status();
      }
      ca_differs = ca_differs || *differs;
    }
    if (ca_differs) {
      const fs::path pki = data_dir / kPkiDir;
      if (!Exists(pki)) {
        if (absl::Status status = MakePrivateDir(pki); !status.ok()) {
          return status;
        }
      }
      if (absl::Status status = MakePrivateDir(summary.kept_aside / kPkiDir); !status.ok()) {
        return status;
      }
      std::vector<const char*> moved(kCaFiles.begin(), kCaFiles.end());
      moved.insert(moved.end(), kServerFiles.begin(), kServerFiles.end());
      for (const char* name : moved) {
        if (Exists(pki / name)) {
          if (absl::Status status = Rename(pki / name, summary.kept_aside / kPkiDir / name);
              !status.ok()) {
            return status;
          }
        }
      }
      for (const char* name : kCaFiles) {
        if (absl::Status status = CopySmallFile(*source_pki / name, pki / name); !status.ok()) {
          return status;
        }
        summary.restored.push_back(absl::StrCat(kPkiDir, "/", name));
      }
      if (absl::Status status = FsyncPath(pki); !status.ok()) {
        return status;
      }
      kept_anything = true;
    }
  }
  if (source_policy.has_value()) {
    absl::StatusOr<bool> differs = Differs(data_dir / kPolicyFile, *source_policy);
    if (!differs.ok()) {
      return differs.status();
    }
    if (*differs) {
      if (Exists(data_dir / kPolicyFile)) {
        if (absl::Status status = Rename(data_dir / kPolicyFile, summary.kept_aside / kPolicyFile);
            !status.ok()) {
          return status;
        }
        kept_anything = true;
      }
      if (absl::Status status = CopySmallFile(*source_policy, data_dir / kPolicyFile);
          !status.ok()) {
        return status;
      }
      summary.restored.push_back(kPolicyFile);
    }
  }

  if (absl::Status status = Rename(staging, database); !status.ok()) {
    return status;
  }
  std::move(remove_staging).Cancel();
  summary.restored.insert(summary.restored.begin(), kCollectorDatabaseFile);
  if (!kept_anything) {
    fs::remove(summary.kept_aside, error);
    summary.kept_aside.clear();
  } else if (absl::Status status = FsyncPath(summary.kept_aside); !status.ok()) {
    return status;
  }
  if (absl::Status status = FsyncPath(data_dir); !status.ok()) {
    return status;
  }
  return summary;
}

}  // namespace mamori::collector
