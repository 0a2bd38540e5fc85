#include "collector/storage/database_backup.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <atomic>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "collector/storage/agent_record_store.h"
#include "collector/storage/backup_schedule.h"
#include "collector/storage/data_dir_lock.h"
#include "collector/storage/schema.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/collector/damaged_database.h"
#include "tests/collector/temp_dir.h"
#include "tests/collector/test_messages.h"

namespace mamori::collector {
namespace {

namespace fs = std::filesystem;
using ::mamori::collector::testing::HeartbeatMessage;
using ::mamori::collector::testing::HelloMessage;
using ::mamori::collector::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const absl::Time kNow = absl::FromUnixSeconds(1'700'000'000);  // 2023-11-14T22:13:20Z

int LatestSchema() { return static_cast<int>(CollectorSchema().size()); }

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

unsigned Mode(const fs::path& path) {
  struct stat info {};
  stat(path.c_str(), &info);
  return info.st_mode & 0777;
}

std::int64_t QueryInt(const fs::path& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  const std::int64_t value = mamori::testing::PragmaInt(db, sql.c_str());
  sqlite3_close(db);
  return value;
}

// A data directory as `serve` leaves it: a database with one agent and its heartbeats, the CA pair
// and a policy file.
class DataDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_dir_ = dir_.path() / "data";
    fs::create_directory(data_dir_);
    fs::create_directory(data_dir_ / "pki");
    WriteFile(data_dir_ / "pki" / "ca.crt", "CA CERTIFICATE 1");
    WriteFile(data_dir_ / "pki" / "ca.key", "CA KEY 1");
    WriteFile(data_dir_ / "pki" / "server.crt", "SERVER CERTIFICATE 1");
    WriteFile(data_dir_ / "policy.toml", "# policy 1\n");
    store_.emplace(*AgentRecordStore::Open(Database(), Database::OpenMode::kCreateIfMissing));
    Store(HelloMessage("agent-1"));
    for (std::uint64_t seq = 1; seq <= heartbeats_; ++seq) {
      Store(HeartbeatMessage(seq));
    }
  }

  fs::path Database() const { return data_dir_ / "mamori.db"; }

  void Store(mamori::v1::AgentMessage message) {
    const std::vector<AgentRecord> batch{AgentRecord{"agent-1", std::move(message), kNow}};
    absl::StatusOr<std::vector<absl::StatusOr<RecordOutcome>>> outcomes = store_->Commit(batch);
    ASSERT_TRUE(outcomes.ok()) << outcomes.status();
    ASSERT_TRUE((*outcomes)[0].ok()) << (*outcomes)[0].status();
  }

  TempDir dir_;
  fs::path data_dir_;
  std::optional<AgentRecordStore> store_;
  std::uint64_t heartbeats_ = 200;
};

TEST_F(DataDirTest, AHealthyDatabasePassesBothChecksWithItsSchemaVersion) {
  for (IntegrityDepth depth : {IntegrityDepth::kQuick, IntegrityDepth::kFull}) {
    absl::StatusOr<IntegrityReport> report = CheckDatabaseFile(Database(), depth);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_TRUE(report->ok);
    EXPECT_THAT(report->problems, IsEmpty());
    EXPECT_EQ(report->schema_version, LatestSchema());
  }
}

TEST_F(DataDirTest, ADamagedPageFailsTheQuickCheckWithSqlitesWords) {
  store_.reset();
  ASSERT_GT(mamori::testing::DamageMiddlePage(Database()), 0);
  absl::StatusOr<IntegrityReport> report = CheckDatabaseFile(Database(), IntegrityDepth::kQuick);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(report->ok);
  ASSERT_THAT(report->problems, Not(IsEmpty()));
  EXPECT_LE(report->problems.size(), static_cast<std::size_t>(kMaxIntegrityProblems));
}

TEST_F(DataDirTest, AFileThatIsNotADatabaseIsReportedDamagedAndAMissingOneIsNotFound) {
  WriteFile(dir_.path() / "garbage.db", std::string(8192, 'g'));
  absl::StatusOr<IntegrityReport> report =
      CheckDatabaseFile(dir_.path() / "garbage.db", IntegrityDepth::kQuick);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(report->ok);
  EXPECT_THAT(report->problems, ElementsAre(HasSubstr("not a database")));

  EXPECT_TRUE(absl::IsNotFound(
      CheckDatabaseFile(dir_.path() / "missing.db", IntegrityDepth::kQuick).status()));
  EXPECT_FALSE(fs::exists(dir_.path() / "missing.db"));
}

TEST_F(DataDirTest, ABackupIsAPrivateDirectoryWithTheDatabaseTheCaAndThePolicy) {
  const fs::path to = dir_.path() / "backup-1";
  absl::StatusOr<BackupSummary> backup = BackUpDataDir(data_dir_, to);
  ASSERT_TRUE(backup.ok()) << backup.status();
  EXPECT_THAT(backup->files, ElementsAre("mamori.db", "pki/ca.crt", "pki/ca.key", "policy.toml"));
  EXPECT_EQ(backup->schema_version, LatestSchema());
  EXPECT_EQ(Mode(to), 0700u);
  EXPECT_EQ(Mode(to / "mamori.db"), 0600u);
  EXPECT_EQ(Mode(to / "pki" / "ca.key"), 0600u);
  EXPECT_EQ(ReadFile(to / "pki" / "ca.key"), "CA KEY 1");
  EXPECT_EQ(ReadFile(to / "policy.toml"), "# policy 1\n");
  EXPECT_FALSE(fs::exists(to / "pki" / "server.crt")) << "the server certificate is re-issued";
  EXPECT_FALSE(fs::exists(dir_.path() / "backup-1.tmp"));
  // One self-contained file: no WAL beside it, rollback journal mode.
  EXPECT_FALSE(fs::exists(to / "mamori.db-wal"));
  EXPECT_EQ(ReadFile(to / "mamori.db").substr(18, 2), std::string("\x01\x01", 2));
  EXPECT_EQ(QueryInt(to / "mamori.db", "SELECT count(*) FROM heartbeats"), 200);
}

TEST_F(DataDirTest, ABackupNeverOverwritesAndNeedsAnExistingParent) {
  fs::create_directory(dir_.path() / "taken");
  EXPECT_TRUE(absl::IsFailedPrecondition(BackUpDataDir(data_dir_, dir_.path() / "taken").status()));
  absl::Status unmounted = BackUpDataDir(data_dir_, dir_.path() / "usb" / "backup").status();
  EXPECT_TRUE(absl::IsFailedPrecondition(unmounted)) << unmounted;
  EXPECT_THAT(unmounted.message(), HasSubstr("mounted"));
  EXPECT_FALSE(fs::exists(dir_.path() / "usb"));
  EXPECT_TRUE(absl::IsNotFound(BackUpDataDir(dir_.path() / "nowhere", dir_.path() / "b").status()));
}

TEST_F(DataDirTest, ADamagedDatabaseIsNotBackedUpAndLeavesNothingBehind) {
  store_.reset();
  ASSERT_GT(mamori::testing::DamageMiddlePage(Database()), 0);
  absl::Status status = BackUpDataDir(data_dir_, dir_.path() / "backup").status();
  EXPECT_FALSE(status.ok());
  EXPECT_FALSE(fs::exists(dir_.path() / "backup"));
  EXPECT_FALSE(fs::exists(dir_.path() / "backup.tmp"));
}

TEST_F(DataDirTest, ABackupTakenWhileTheWriterCommitsIsConsistentAndAPrefix) {
  // The writer keeps committing heartbeats, one per transaction, while backups are taken.
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> committed{heartbeats_};
  std::thread writer([&] {
    for (std::uint64_t seq = heartbeats_ + 1; !stop; ++seq) {
      const std::vector<AgentRecord> batch{AgentRecord{"agent-1", HeartbeatMessage(seq), kNow}};
      absl::StatusOr<std::vector<absl::StatusOr<RecordOutcome>>> outcomes = store_->Commit(batch);
      ASSERT_TRUE(outcomes.ok() && (*outcomes)[0].ok());
      committed = seq;
    }
  });
  std::vector<std::int64_t> counts;
  for (int i = 0; i < 5; ++i) {
    const fs::path to = dir_.path() / ("under-load-" + std::to_string(i));
    absl::StatusOr<BackupSummary> backup = BackUpDataDir(data_dir_, to);
    ASSERT_TRUE(backup.ok()) << backup.status();
    absl::StatusOr<IntegrityReport> report =
        CheckDatabaseFile(to / "mamori.db", IntegrityDepth::kFull);
    ASSERT_TRUE(report.ok() && report->ok);
    const fs::path copy = to / "mamori.db";
    const std::int64_t count = QueryInt(copy, "SELECT count(*) FROM heartbeats");
    // A prefix: seq 1..count, no hole, and the agent's bookkeeping says the same.
    EXPECT_EQ(QueryInt(copy, "SELECT max(seq) FROM heartbeats"), count);
    EXPECT_EQ(QueryInt(copy, "SELECT last_committed_seq FROM agents"), count);
    counts.push_back(count);
  }
  stop = true;
  writer.join();
  EXPECT_GE(counts.front(), 200);
  EXPECT_GT(static_cast<std::int64_t>(committed.load()), counts.front())
      << "the writer never committed during the backups: this test tested nothing";
}

TEST_F(DataDirTest, RestorePutsTheBackupBackAndKeepsTheReplacedDatabaseAside) {
  const fs::path backup = dir_.path() / "backup";
  ASSERT_TRUE(BackUpDataDir(data_dir_, backup).ok());
  for (std::uint64_t seq = heartbeats_ + 1; seq <= heartbeats_ + 50; ++seq) {
    Store(HeartbeatMessage(seq));
  }
  // The writer's connection stays open, so the newest heartbeats are still in the WAL beside the
  // database, as after a kill -9 of `serve`.
  ASSERT_GT(fs::file_size(data_dir_ / "mamori.db-wal"), 0u);

  absl::StatusOr<RestoreSummary> restored = RestoreDataDir(data_dir_, backup, LatestSchema(), kNow);
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_THAT(restored->restored, ElementsAre("mamori.db")) << "the CA and policy are the same";
  EXPECT_EQ(restored->kept_aside, data_dir_ / "before-restore-20231114T221320Z");
  EXPECT_EQ(Mode(restored->kept_aside), 0700u);
  EXPECT_EQ(Mode(Database()), 0600u);
  EXPECT_EQ(QueryInt(Database(), "SELECT count(*) FROM heartbeats"), 200);
  EXPECT_FALSE(fs::exists(data_dir_ / "mamori.db-wal"));
  EXPECT_FALSE(fs::exists(data_dir_ / "mamori.db.restoring"));
  // The replaced database is whole, WAL included: 250 heartbeats.
  EXPECT_EQ(QueryInt(restored->kept_aside / "mamori.db", "SELECT count(*) FROM heartbeats"), 250);
  EXPECT_EQ(ReadFile(data_dir_ / "pki" / "server.crt"), "SERVER CERTIFICATE 1");
  // And the collector opens it.
  EXPECT_TRUE(AgentRecordStore::Open(Database(), Database::OpenMode::kExistingOnly).ok());
}

TEST_F(DataDirTest, RestoringOntoAnotherCaPutsTheBackupsCaBackAndKeepsTheOtherAside) {
  const fs::path backup = dir_.path() / "backup";
  ASSERT_TRUE(BackUpDataDir(data_dir_, backup).ok());
  store_.reset();
  // A reinstalled server PC: a new CA was created meanwhile.
  WriteFile(data_dir_ / "pki" / "ca.key", "CA KEY 2");
  WriteFile(data_dir_ / "policy.toml", "# policy 2\n");

  absl::StatusOr<RestoreSummary> restored = RestoreDataDir(data_dir_, backup, LatestSchema(), kNow);
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_THAT(restored->restored,
              ElementsAre("mamori.db", "pki/ca.crt", "pki/ca.key", "policy.toml"));
  EXPECT_EQ(ReadFile(data_dir_ / "pki" / "ca.key"), "CA KEY 1");
  EXPECT_EQ(Mode(data_dir_ / "pki" / "ca.key"), 0600u);
  EXPECT_EQ(ReadFile(data_dir_ / "policy.toml"), "# policy 1\n");
  EXPECT_EQ(ReadFile(restored->kept_aside / "pki" / "ca.key"), "CA KEY 2");
  EXPECT_EQ(ReadFile(restored->kept_aside / "policy.toml"), "# policy 2\n");
  // Issued by the other CA: set aside so that `serve` issues a new one.
  EXPECT_FALSE(fs::exists(data_dir_ / "pki" / "server.crt"));
  EXPECT_TRUE(fs::exists(restored->kept_aside / "pki" / "server.crt"));
}

TEST_F(DataDirTest, RestoreRefusesWhileACollectorRunsAndTouchesNothing) {
  const fs::path backup = dir_.path() / "backup";
  ASSERT_TRUE(BackUpDataDir(data_dir_, backup).ok());
  absl::StatusOr<DataDirLock> serving = DataDirLock::Acquire(data_dir_);
  ASSERT_TRUE(serving.ok());
  absl::Status status = RestoreDataDir(data_dir_, backup, LatestSchema(), kNow).status();
  EXPECT_TRUE(absl::IsFailedPrecondition(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr("stop it first"));
  EXPECT_FALSE(fs::exists(data_dir_ / "before-restore-20231114T221320Z"));
  EXPECT_EQ(QueryInt(Database(), "SELECT count(*) FROM heartbeats"), 200);
}

TEST_F(DataDirTest, RestoreRefusesADamagedANewerOrAForeignBackup) {
  const fs::path backup = dir_.path() / "backup";
  ASSERT_TRUE(BackUpDataDir(data_dir_, backup).ok());
  store_.reset();

  absl::Status newer = RestoreDataDir(data_dir_, backup, LatestSchema() - 1, kNow).status();
  EXPECT_TRUE(absl::IsFailedPrecondition(newer)) << newer;
  EXPECT_THAT(newer.message(), HasSubstr("newer collector"));

  sqlite3* foreign = nullptr;
  sqlite3_open((dir_.path() / "foreign.db").c_str(), &foreign);
  sqlite3_exec(foreign, "CREATE TABLE patients (name TEXT); PRAGMA user_version=3", nullptr,
               nullptr, nullptr);
  sqlite3_close(foreign);
  absl::Status not_ours =
      RestoreDataDir(data_dir_, dir_.path() / "foreign.db", LatestSchema(), kNow).status();
  EXPECT_THAT(not_ours.message(), HasSubstr("not a mamori collector database"));

  ASSERT_GT(mamori::testing::DamageMiddlePage(backup / "mamori.db"), 0);
  absl::Status damaged = RestoreDataDir(data_dir_, backup, LatestSchema(), kNow).status();
  EXPECT_TRUE(absl::IsDataLoss(damaged)) << damaged;
  EXPECT_THAT(damaged.message(), HasSubstr("older backup"));

  EXPECT_EQ(QueryInt(Database(), "SELECT count(*) FROM heartbeats"), 200);
  EXPECT_FALSE(fs::exists(data_dir_ / "mamori.db.restoring"));
}

TEST(BackupGenerations, PruningKeepsTheNewestAndIgnoresWhatIsNotOurs) {
  TempDir dir;
  for (const char* name : {"mamori-backup-20260101T030000Z", "mamori-backup-20260102T030000Z",
                           "mamori-backup-20260103T030000Z", "mamori-backup-20260104T030000Z.tmp",
                           "mamori-backup-notatime", "clinic-files"}) {
    fs::create_directory(dir.path() / name);
  }
  absl::StatusOr<std::vector<fs::path>> deleted = PruneBackupGenerations(dir.path(), 2);
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(deleted->size(), 2u);
  EXPECT_FALSE(fs::exists(dir.path() / "mamori-backup-20260101T030000Z"));
  EXPECT_FALSE(fs::exists(dir.path() / "mamori-backup-20260104T030000Z.tmp"));
  EXPECT_TRUE(fs::exists(dir.path() / "mamori-backup-20260102T030000Z"));
  EXPECT_TRUE(fs::exists(dir.path() / "mamori-backup-20260103T030000Z"));
  EXPECT_TRUE(fs::exists(dir.path() / "mamori-backup-notatime"));
  EXPECT_TRUE(fs::exists(dir.path() / "clinic-files"));
}

TEST_F(DataDirTest, ScheduledRunsNameGenerationsByUtcTimeAndKeepN) {
  const BackupScheduleOptions options{.data_dir = data_dir_,
                                      .backup_dir = dir_.path() / "backups",
                                      .interval = absl::Hours(24),
                                      .keep = 2};
  fs::create_directory(options.backup_dir);
  for (int day = 0; day < 3; ++day) {
    ScheduledBackup run = RunScheduledBackup(options, kNow + absl::Hours(24 * day));
    ASSERT_TRUE(run.backup.ok()) << run.backup.status();
    EXPECT_EQ(run.deleted.size(), day < 2 ? 0u : 1u);
  }
  absl::StatusOr<std::vector<BackupGeneration>> kept = ListBackupGenerations(options.backup_dir);
  ASSERT_TRUE(kept.ok());
  ASSERT_EQ(kept->size(), 2u);
  EXPECT_EQ((*kept)[0].path.filename(), "mamori-backup-20231115T221320Z");
  EXPECT_EQ((*kept)[1].path.filename(), "mamori-backup-20231116T221320Z");
}

TEST_F(DataDirTest, TheScheduleBacksUpAtOnceWhenNoRecentBackupExistsAndReportsFailures) {
  const fs::path backups = dir_.path() / "backups";
  absl::Notification ran;
  std::optional<ScheduledBackup> result;
  absl::StatusOr<std::unique_ptr<BackupSchedule>> schedule = BackupSchedule::Start(
      {.data_dir = data_dir_, .backup_dir = backups, .interval = absl::Hours(24), .keep = 7},
      [&](const ScheduledBackup& run) {
        if (!ran.HasBeenNotified()) {
          result = run;
          ran.Notify();
        }
      });
  ASSERT_TRUE(schedule.ok()) << schedule.status();
  EXPECT_EQ(Mode(backups), 0700u);
  ASSERT_TRUE(ran.WaitForNotificationWithTimeout(absl::Seconds(30)));
  (*schedule)->Stop();
  ASSERT_TRUE(result->backup.ok()) << result->backup.status();
  EXPECT_EQ(ListBackupGenerations(backups)->size(), 1u);

  // Restarted within the interval: no new backup at start.
  std::atomic<int> runs{0};
  schedule = BackupSchedule::Start(
      {.data_dir = data_dir_, .backup_dir = backups, .interval = absl::Hours(24), .keep = 7},
      [&](const ScheduledBackup&) { ++runs; });
  ASSERT_TRUE(schedule.ok());
  absl::SleepFor(absl::Milliseconds(500));
  (*schedule)->Stop();
  EXPECT_EQ(runs, 0);

  // A data directory without a database: the failure is reported, the schedule goes on.
  absl::Notification failed;
  std::optional<absl::Status> failure;
  schedule = BackupSchedule::Start({.data_dir = dir_.path() / "empty",
                                    .backup_dir = dir_.path() / "other-backups",
                                    .interval = absl::Hours(24),
                                    .keep = 7},
                                   [&](const ScheduledBackup& run) {
                                     if (!failed.HasBeenNotified()) {
                                       failure = run.backup.status();
                                       failed.Notify();
                                     }
                                   });
  ASSERT_TRUE(schedule.ok());
  ASSERT_TRUE(failed.WaitForNotificationWithTimeout(absl::Seconds(30)));
  EXPECT_TRUE(absl::IsNotFound(*failure)) << *failure;
}

TEST(BackupSchedule, RefusesAnIntervalUnderAMinuteAndAMissingParent) {
  TempDir dir;
  EXPECT_TRUE(absl::IsInvalidArgument(BackupSchedule::Start({.data_dir = dir.path(),
                                                             .backup_dir = dir.path(),
                                                             .interval = absl::Seconds(5),
                                                             .keep = 7},
                                                            [](const ScheduledBackup&) {})
                                          .status()));
  EXPECT_TRUE(
      absl::IsFailedPrecondition(BackupSchedule::Start({.data_dir = dir.path(),
                                                        .backup_dir = dir.path() / "usb" / "mamori",
                                                        .interval = absl::Hours(24),
                                                        .keep = 7},
                                                       [](const ScheduledBackup&) {})
                                     .status()));
}

}  // namespace
}  // namespace mamori::collector
