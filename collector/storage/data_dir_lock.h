// The lock on a data directory (DATA_DIR/serve.lock, flock): held by `serve` for its whole life and
// by `restore` while it swaps files, so that neither runs while the other does.
#pragma once

#include <filesystem>

#include "absl/status/statusor.h"

namespace mamori::collector {

class DataDirLock {
 public:
  // Fails at once (never waits) when another process holds the lock. The kernel drops the lock
  // when the holder ends, however it ends, so a crashed collector never leaves it stuck.
  static absl::StatusOr<DataDirLock> Acquire(const std::filesystem::path& data_dir);

  DataDirLock(DataDirLock&& other) noexcept;
  DataDirLock& operator=(DataDirLock&&) = delete;
  ~DataDirLock();

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace mamori::collector
