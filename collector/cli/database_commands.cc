#include "collector/cli/database_commands.h"

#include <iostream>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "collector/cli/audit_commands.h"
#include "collector/storage/audit_log.h"
#include "collector/storage/database_backup.h"
#include "collector/storage/schema.h"
#include "spdlog/spdlog.h"

namespace mamori::collector {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitRuntimeError = 1;

int Fail(const absl::Status& status) {
  spdlog::error("{}", std::string(status.message()));
  return kExitRuntimeError;
}

// What a person must read when the database is damaged: which file, what SQLite said, what to do
// (in English and in Japanese for the clinic's vendor).
std::string DamagedMessage(const std::filesystem::path& data_dir, const std::filesystem::path& db,
                           const IntegrityReport& report, absl::string_view check) {
  return absl::StrCat(
      "the collector database ", db.string(), " is damaged. SQLite's ", check,
      " says: ", absl::StrJoin(report.problems, "; "),
      ". Restore the newest good backup: mamori-collector restore --data-dir ", data_dir.string(),
      " --from BACKUP (the damaged file is kept aside; agents send again what was not "
      "acknowledged). See docs/collector.md, Durability. / データベースが壊れています。"
      "最新のバックアップから復元してください: mamori-collector restore --data-dir ",
      data_dir.string(), " --from バックアップのパス");
}

}  // namespace

absl::Status CheckDatabaseBeforeServing(const std::filesystem::path& data_dir) {
  const std::filesystem::path db = data_dir / kCollectorDatabaseFile;
  std::error_code error;
  if (!std::filesystem::exists(db, error)) {
    return absl::OkStatus();  // a fresh data directory: `serve` creates the database
  }
  const absl::Time started = absl::Now();
  absl::StatusOr<IntegrityReport> report = CheckDatabaseFile(db, IntegrityDepth::kQuick);
  if (!report.ok()) {
    return absl::Status(report.status().code(), absl::StrCat("cannot check ", db.string(), ": ",
                                                             report.status().message()));
  }
  if (!report->ok) {
    return absl::DataLossError(DamagedMessage(data_dir, db, *report, "quick_check"));
  }
  spdlog::info("{}: quick_check ok ({})", db.string(),
               absl::FormatDuration(absl::Trunc(absl::Now() - started, absl::Milliseconds(1))));
  return absl::OkStatus();
}

DatabaseCommands::DatabaseCommands(CLI::App& app) {
  check_ = app.add_subcommand(
      "check", "Check the database for damage (SQLite quick_check; --full: integrity_check)");
  check_->add_option("--data-dir", data_dir_, "The directory `serve` uses")->required();
  check_->add_flag("--full", full_,
                   "Also check every index against its table (slower: about 10x quick_check)");

  backup_ = app.add_subcommand(
      "backup",
      "Back up the database, the CA and the policy into a new directory (safe while serving)");
  backup_->add_option("--data-dir", data_dir_, "The directory `serve` uses")->required();
  backup_->add_option("--to", to_, "The backup directory to create (must not exist)")->required();

  restore_ = app.add_subcommand(
      "restore", "Put a backup back (stop the collector first; what it replaces is kept aside)");
  restore_->add_option("--data-dir", data_dir_, "The directory `serve` uses")->required();
  restore_->add_option("--from", from_, "A backup directory (or a bare mamori.db file)")
      ->required();
}

int DatabaseCommands::Run() const {
  if (check_->parsed()) {
    return Check();
  }
  if (backup_->parsed()) {
    return Backup();
  }
  return Restore();
}

int DatabaseCommands::Check() const {
  const std::filesystem::path data_dir = data_dir_;
  const std::filesystem::path db = data_dir / kCollectorDatabaseFile;
  const absl::Time started = absl::Now();
  const absl::string_view check = full_ ? "integrity_check" : "quick_check";
  absl::StatusOr<IntegrityReport> report =
      CheckDatabaseFile(db, full_ ? IntegrityDepth::kFull : IntegrityDepth::kQuick);
  if (!report.ok()) {
    return Fail(report.status());
  }
  if (!report->ok) {
    spdlog::error("{}", DamagedMessage(data_dir, db, *report, check));
    return kExitRuntimeError;
  }
  std::cout << db.string() << ": ok (" << check << ", schema version " << report->schema_version
            << ", "
            << absl::FormatDuration(absl::Trunc(absl::Now() - started, absl::Milliseconds(1)))
            << ")" << std::endl;
  return std::cout ? kExitOk : kExitRuntimeError;
}

int DatabaseCommands::Backup() const {
  const std::filesystem::path data_dir = data_dir_;
  absl::StatusOr<BackupSummary> backup = BackUpDataDir(data_dir, to_);
  if (!backup.ok()) {
    RecordLocalAction(data_dir, "backup.create", to_, std::string(backup.status().message()),
                      AuditOutcome::kFailed);
    return Fail(backup.status());
  }
  const std::string files = absl::StrJoin(backup->files, ", ");
  RecordLocalAction(data_dir, "backup.create", backup->path.string(),
                    absl::StrCat("files=", files, " bytes=", backup->database_bytes,
                                 " schema=", backup->schema_version),
                    AuditOutcome::kOk);
  std::cout << "backup written to " << backup->path.string() << " (" << files << "; database "
            << backup->database_bytes << " bytes, schema version " << backup->schema_version
            << ", quick_check ok)" << std::endl;
  if (backup->files.size() > 1) {
    std::cerr << "the backup holds the CA's private key: keep it where only the clinic's "
                 "administrators can read it\n";
  }
  return std::cout ? kExitOk : kExitRuntimeError;
}

int DatabaseCommands::Restore() const {
  const std::filesystem::path data_dir = data_dir_;
  absl::StatusOr<RestoreSummary> restored =
      RestoreDataDir(data_dir, from_, static_cast<int>(CollectorSchema().size()), absl::Now());
  if (!restored.ok()) {
    return Fail(restored.status());
  }
  // Recorded in the restored database: its log then says where it came from.
  RecordLocalAction(data_dir, "backup.restore", from_,
                    absl::StrCat("restored=", absl::StrJoin(restored->restored, ","),
                                 " kept_aside=", restored->kept_aside.string()),
                    AuditOutcome::kOk);
  std::cout << "restored " << absl::StrJoin(restored->restored, ", ") << " from " << from_
            << " (schema version " << restored->schema_version << ")" << std::endl;
  if (!restored->kept_aside.empty()) {
    std::cout << "what it replaced is kept in " << restored->kept_aside.string() << std::endl;
  }
  std::cout << "start the collector again. Records that agents delivered after this backup was "
               "taken are not in it: the collector records them as a gap per agent"
            << std::endl;
  return std::cout ? kExitOk : kExitRuntimeError;
}

}  // namespace mamori::collector
