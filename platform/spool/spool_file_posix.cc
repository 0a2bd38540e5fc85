// The spool's durable writes on Linux: write(2) loops, fsync(2), rename(2) and fsync of the
// directory.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "platform/linux/unique_fd.h"
#include "platform/spool/spool_file.h"

namespace mamori::platform::spool {
namespace {

IoOutcome Failed(std::string_view call, const std::filesystem::path& file, int error) {
  return {std::string(call) + " " + PathText(file) + ": " + std::system_category().message(error)};
}

UniqueFd OpenRetrying(const std::filesystem::path& file, int flags, mode_t mode = 0) {
  int fd = -1;
  do {
    fd = ::open(file.c_str(), flags | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  return UniqueFd(fd);
}

IoOutcome WriteAllAndSync(int fd, const std::filesystem::path& file, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      return Failed("write", file, errno);
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  if (::fsync(fd) != 0) {
    return Failed("fsync", file, errno);
  }
  return {};
}

}  // namespace

IoOutcome AppendDurably(const std::filesystem::path& file, std::string_view bytes) {
  const UniqueFd fd = OpenRetrying(file, O_WRONLY | O_APPEND);
  if (fd.get() < 0) {
    return Failed("open", file, errno);
  }
  return WriteAllAndSync(fd.get(), file, bytes);
}

IoOutcome WriteNewDurably(const std::filesystem::path& file, std::string_view bytes) {
  // 0600: the records describe the PC's security state.
  const UniqueFd fd = OpenRetrying(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd.get() < 0) {
    return Failed("open", file, errno);
  }
  return WriteAllAndSync(fd.get(), file, bytes);
}

IoOutcome TruncateDurably(const std::filesystem::path& file, std::uint64_t size) {
  const UniqueFd fd = OpenRetrying(file, O_WRONLY);
  if (fd.get() < 0) {
    return Failed("open", file, errno);
  }
  if (::ftruncate(fd.get(), static_cast<off_t>(size)) != 0) {
    return Failed("ftruncate", file, errno);
  }
  if (::fsync(fd.get()) != 0) {
    return Failed("fsync", file, errno);
  }
  return {};
}

IoOutcome ReplaceDurably(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    return Failed("rename", from, errno);
  }
  return SyncDirectory(to.parent_path());
}

IoOutcome SyncDirectory(const std::filesystem::path& dir) {
  const UniqueFd fd = OpenRetrying(dir, O_RDONLY | O_DIRECTORY);
  if (fd.get() < 0) {
    return Failed("open directory", dir, errno);
  }
  if (::fsync(fd.get()) != 0) {
    return Failed("fsync directory", dir, errno);
  }
  return {};
}

FileLock::~FileLock() {
  if (handle_ != kNone) {
    // Closing the descriptor releases the flock.
    ::close(static_cast<int>(handle_));
  }
}

FileLockResult LockFileExclusively(const std::filesystem::path& file) {
  FileLockResult result;
  UniqueFd fd = OpenRetrying(file, O_RDWR | O_CREAT, 0600);
  if (fd.get() < 0) {
    result.error = Failed("open", file, errno).error;
    return result;
  }
  int locked = -1;
  do {
    locked = ::flock(fd.get(), LOCK_EX | LOCK_NB);
  } while (locked != 0 && errno == EINTR);
  if (locked != 0) {
    result.busy = errno == EWOULDBLOCK;
    result.error = Failed("flock", file, errno).error;
    return result;
  }
  result.lock = FileLock(fd.release());
  return result;
}

}  // namespace mamori::platform::spool
