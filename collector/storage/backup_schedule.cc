#include "collector/storage/backup_schedule.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <system_error>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"

namespace mamori::collector {
namespace {

namespace fs = std::filesystem;

constexpr char kStagingSuffix[] = ".tmp";

// The time in a generation's name, or nullopt when the name is not one of ours.
std::optional<absl::Time> GenerationTime(const std::string& name) {
  if (!absl::StartsWith(name, kBackupGenerationPrefix)) {
    return std::nullopt;
  }
  const std::string text = name.substr(std::string(kBackupGenerationPrefix).size());
  // YYYYMMDDTHHMMSSZ, read field by field: %Y in a format would swallow every digit.
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') {
    return std::nullopt;
  }
  auto number = [&text](std::size_t from, std::size_t length) -> std::optional<int> {
    int value = 0;
    for (std::size_t i = from; i < from + length; ++i) {
      if (text[i] < '0' || text[i] > '9') {
        return std::nullopt;
      }
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const std::optional<int> fields[] = {number(0, 4), number(4, 2),  number(6, 2),
                                       number(9, 2), number(11, 2), number(13, 2)};
  for (const std::optional<int>& field : fields) {
    if (!field.has_value()) {
      return std::nullopt;
    }
  }
  const absl::CivilSecond civil(*fields[0], *fields[1], *fields[2], *fields[3], *fields[4],
                                *fields[5]);
  // The civil types normalise 20261399 into a real date: only a name that round-trips is ours.
  const absl::Time at = absl::FromCivil(civil, absl::UTCTimeZone());
  if (BackupTimeText(at) != text) {
    return std::nullopt;
  }
  return at;
}

}  // namespace

absl::StatusOr<std::vector<BackupGeneration>> ListBackupGenerations(const fs::path& dir) {
  std::error_code error;
  std::vector<BackupGeneration> generations;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    if (!it->is_directory(error) || it->is_symlink(error)) {
      continue;
    }
    if (std::optional<absl::Time> at = GenerationTime(it->path().filename().string())) {
      generations.push_back({it->path(), *at});
    }
  }
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot list ", dir.string(), ": ", error.message()));
  }
  std::sort(generations.begin(), generations.end(),
            [](const BackupGeneration& a, const BackupGeneration& b) { return a.at < b.at; });
  return generations;
}

absl::StatusOr<std::vector<fs::path>> PruneBackupGenerations(const fs::path& dir, int keep) {
  std::vector<fs::path> deleted;
  std::error_code error;
  // Staging directories of interrupted runs: only ours (prefix, valid time, ".tmp").
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (absl::EndsWith(name, kStagingSuffix) && !it->is_symlink(error) &&
        GenerationTime(name.substr(0, name.size() - std::string(kStagingSuffix).size()))) {
      deleted.push_back(it->path());
    }
  }
  absl::StatusOr<std::vector<BackupGeneration>> generations = ListBackupGenerations(dir);
  if (!generations.ok()) {
    return generations.status();
  }
  const std::size_t kept = static_cast<std::size_t>(std::max(keep, 1));
  for (std::size_t i = 0; i + kept < generations->size(); ++i) {
    deleted.push_back((*generations)[i].path);
  }
  for (const fs::path& path : deleted) {
    fs::remove_all(path, error);
    if (error) {
      return absl::UnavailableError(
          absl::StrCat("cannot delete the old backup ", path.string(), ": ", error.message()));
    }
  }
  return deleted;
}

ScheduledBackup RunScheduledBackup(const BackupScheduleOptions& options, absl::Time now) {
  const fs::path to =
      options.backup_dir / absl::StrCat(kBackupGenerationPrefix, BackupTimeText(now));
  ScheduledBackup run{.backup = BackUpDataDir(options.data_dir, to), .deleted = {}};
  if (run.backup.ok()) {
    absl::StatusOr<std::vector<fs::path>> deleted =
        PruneBackupGenerations(options.backup_dir, options.keep);
    if (deleted.ok()) {
      run.deleted = *std::move(deleted);
    } else {
      run.backup = absl::Status(deleted.status().code(),
                                absl::StrCat("the backup ", run.backup->path.string(),
                                             " was written, but ", deleted.status().message()));
    }
  }
  return run;
}

absl::StatusOr<std::unique_ptr<BackupSchedule>> BackupSchedule::Start(BackupScheduleOptions options,
                                                                      OnBackup on_backup) {
  if (options.interval < absl::Minutes(1)) {
    return absl::InvalidArgumentError("the backup interval must be at least 1m");
  }
  if (options.keep < 1) {
    return absl::InvalidArgumentError("at least one backup generation must be kept");
  }
  std::error_code error;
  if (!fs::exists(options.backup_dir, error)) {
    const fs::path parent =
        options.backup_dir.parent_path().empty() ? fs::path(".") : options.backup_dir.parent_path();
    if (!fs::is_directory(parent, error)) {
      return absl::FailedPreconditionError(
          absl::StrCat("the backup directory's parent ", parent.string(),
                       " does not exist (is the backup disk mounted?)"));
    }
    if (mkdir(options.backup_dir.c_str(), 0700) != 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot create ", options.backup_dir.string(), ": ", std::strerror(errno)));
    }
  } else if (!fs::is_directory(options.backup_dir, error)) {
    return absl::FailedPreconditionError(
        absl::StrCat(options.backup_dir.string(), " is not a directory"));
  }
  return std::unique_ptr<BackupSchedule>(
      new BackupSchedule(std::move(options), std::move(on_backup)));
}

BackupSchedule::BackupSchedule(BackupScheduleOptions options, OnBackup on_backup)
    : options_(std::move(options)), on_backup_(std::move(on_backup)) {
  thread_ = std::thread([this] { Loop(); });
}

BackupSchedule::~BackupSchedule() { Stop(); }

void BackupSchedule::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) {
    thread_.join();
  }
}

void BackupSchedule::Loop() {
  // Due at once unless a recent generation exists (a restart must not add one each time).
  absl::Time next = absl::Now();
  if (absl::StatusOr<std::vector<BackupGeneration>> generations =
          ListBackupGenerations(options_.backup_dir);
      generations.ok() && !generations->empty()) {
    next = std::min(generations->back().at + options_.interval, absl::Now() + options_.interval);
  }
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      const absl::Duration wait = std::max(next - absl::Now(), absl::ZeroDuration());
      mu_.AwaitWithTimeout(absl::Condition(&stopping_), wait);
      if (stopping_) {
        return;
      }
    }
    if (absl::Now() < next) {
      continue;
    }
    const absl::Time now = absl::Now();
    ScheduledBackup run = RunScheduledBackup(options_, now);
    next = now + (run.backup.ok() ? options_.interval
                                  : std::min(options_.interval, kBackupRetryAfterFailure));
    on_backup_(run);
  }
}

}  // namespace mamori::collector
