#include "collector/storage/data_dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <utility>

namespace mamori::collector {

absl::StatusOr<DataDirLock> DataDirLock::Acquire(const std::filesystem::path& data_dir) {
  const std::filesystem::path path = data_dir / "serve.lock";
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return absl::FailedPreconditionError("cannot open " + path.string());
  }
  DataDirLock lock(fd);
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    return absl::FailedPreconditionError("a mamori-collector is running on " + data_dir.string() +
                                         " (it holds " + path.string() + ")");
  }
  return lock;
}

DataDirLock::DataDirLock(DataDirLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) {
    close(fd_);
  }
}

}  // namespace mamori::collector
