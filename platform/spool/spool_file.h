// The few durable file operations the spool needs, one implementation per OS (spool_file_posix.cc,
// spool_file_windows.cc, chosen by CMake). Each returns only after the data is on stable storage as
// far as the OS can promise it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

namespace mamori::platform::spool {

// Empty on success; otherwise what failed, on which file, and the OS error.
struct IoOutcome {
  std::string error;
  bool ok() const { return error.empty(); }
};

// The path as UTF-8 for messages and name checks. Never throws: path::string() may, on Windows, for
// a name that is not valid UTF-16; such a path shows as "(unprintable path)".
std::string PathText(const std::filesystem::path& path);

// Reads the whole file, or its first `max_bytes` when it is longer. `error` set when it cannot be
// read.
struct FileBytes {
  std::string bytes;
  std::uint64_t file_size = 0;
  std::string error;
};
FileBytes ReadFilePrefix(const std::filesystem::path& file, std::uint64_t max_bytes);

// Reads `size` bytes at `offset`; fails when fewer are there.
FileBytes ReadFileRange(const std::filesystem::path& file, std::uint64_t offset,
                        std::uint64_t size);

// Appends to an existing file and flushes it (fsync / FlushFileBuffers).
IoOutcome AppendDurably(const std::filesystem::path& file, std::string_view bytes);

// Creates the file (replacing one of that name), writes and flushes it. Does not sync the
// directory.
IoOutcome WriteNewDurably(const std::filesystem::path& file, std::string_view bytes);

// Cuts the file to `size` bytes and flushes it.
IoOutcome TruncateDurably(const std::filesystem::path& file, std::uint64_t size);

// Replaces `to` with `from` in one step: rename + fsync of the directory (POSIX), MoveFileExW with
// MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH (Windows).
IoOutcome ReplaceDurably(const std::filesystem::path& from, const std::filesystem::path& to);

// Deletes the file (absent is fine) and makes the deletion durable.
IoOutcome RemoveDurably(const std::filesystem::path& file);

// Makes the directory's entries (files created, renamed, removed) durable: fsync of the directory
// on POSIX; nothing on Windows, where NTFS journals its metadata and MOVEFILE_WRITE_THROUGH covers
// renames.
IoOutcome SyncDirectory(const std::filesystem::path& dir);

struct FileLockResult;

// An exclusive lock on a file, held until the object is destroyed (or moved from): flock on POSIX,
// a handle opened without sharing on Windows. The OS drops it when the process ends, however it
// ends, so a crashed holder never leaves it stuck.
class FileLock {
 public:
  FileLock() = default;
  FileLock(FileLock&& other) noexcept : handle_(std::exchange(other.handle_, kNone)) {}
  FileLock& operator=(FileLock&& other) noexcept {
    if (this != &other) {
      FileLock released(std::move(*this));
      handle_ = std::exchange(other.handle_, kNone);
    }
    return *this;
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

  bool held() const { return handle_ != kNone; }

 private:
  friend FileLockResult LockFileExclusively(const std::filesystem::path& file);
  static constexpr std::intptr_t kNone = -1;
  explicit FileLock(std::intptr_t handle) : handle_(handle) {}
  // A file descriptor (POSIX) or a HANDLE (Windows).
  std::intptr_t handle_ = kNone;
};

struct FileLockResult {
  FileLock lock;      // held on success
  bool busy = false;  // another holder has it (this process or another)
  std::string error;  // set on any failure, busy included
};

// Creates `file` (0600) if needed and locks it without waiting.
FileLockResult LockFileExclusively(const std::filesystem::path& file);

}  // namespace mamori::platform::spool
