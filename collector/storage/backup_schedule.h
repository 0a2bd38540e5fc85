// Scheduled backups while `serve` runs (`serve --backup-dir`): a background thread that backs the
// data directory up into BACKUP_DIR/mamori-backup-<UTC time>/ every interval and keeps the newest
// N generations. A failed backup is reported and retried; it never stops serving.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "collector/storage/database_backup.h"

namespace mamori::collector {

inline constexpr char kBackupGenerationPrefix[] = "mamori-backup-";
// After a failure the next attempt comes this soon (or at the interval, if that is shorter).
inline constexpr absl::Duration kBackupRetryAfterFailure = absl::Hours(1);

struct BackupScheduleOptions {
  std::filesystem::path data_dir;
  std::filesystem::path backup_dir;
  absl::Duration interval = absl::Hours(24);
  int keep = 7;  // generations kept, at least 1
};

// The outcome of one scheduled run, for the caller to log and audit.
struct ScheduledBackup {
  absl::StatusOr<BackupSummary> backup;
  std::vector<std::filesystem::path> deleted;  // older generations removed after it succeeded
};

// The generations in `dir` (directories named mamori-backup-<UTC time>), oldest first, with the
// time in their name. Anything else in `dir` is ignored and never deleted.
struct BackupGeneration {
  std::filesystem::path path;
  absl::Time at;
};
absl::StatusOr<std::vector<BackupGeneration>> ListBackupGenerations(
    const std::filesystem::path& dir);

// Deletes the oldest generations beyond `keep`, and staging directories (".tmp") that an
// interrupted backup left behind. Returns what it deleted.
absl::StatusOr<std::vector<std::filesystem::path>> PruneBackupGenerations(
    const std::filesystem::path& dir, int keep);

// One scheduled run at `now`: a new generation, then pruning when it succeeded.
ScheduledBackup RunScheduledBackup(const BackupScheduleOptions& options, absl::Time now);

class BackupSchedule {
 public:
  using OnBackup = absl::AnyInvocable<void(const ScheduledBackup&)>;

  // Checks the options (BACKUP_DIR is created 0700 when missing, but not its parent) and starts
  // the thread. The first backup runs at once when the newest generation is older than the
  // interval (or there is none): a server PC switched off every night would otherwise never
  // reach a 24 h timer. `on_backup` runs on the schedule's thread after every run.
  static absl::StatusOr<std::unique_ptr<BackupSchedule>> Start(BackupScheduleOptions options,
                                                               OnBackup on_backup);
  ~BackupSchedule();
  BackupSchedule(const BackupSchedule&) = delete;
  BackupSchedule& operator=(const BackupSchedule&) = delete;

  // Waits for a running backup to finish, then stops. Idempotent.
  void Stop();

 private:
  BackupSchedule(BackupScheduleOptions options, OnBackup on_backup);
  void Loop();

  const BackupScheduleOptions options_;
  OnBackup on_backup_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace mamori::collector
