// Reads small text files with a size cap. POSIX calls rather than iostreams: the reason a read
// failed (errno) goes into the report.
#include "platform/linux/bounded_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "platform/linux/unique_fd.h"

namespace mamori::platform {
namespace {

FileText Failure(int error_number) {
  FileText result;
  result.error = std::strerror(error_number);
  result.missing = error_number == ENOENT || error_number == ENOTDIR;
  return result;
}

// Opens a regular file for reading, refusing directories, FIFOs and devices.
FileText OpenRegular(const std::filesystem::path& path, int& fd_out) {
  // O_NONBLOCK: opening a FIFO planted where a config file should be must not hang the probe.
  fd_out = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd_out < 0) {
    return Failure(errno);
  }
  struct stat info {};
  if (::fstat(fd_out, &info) != 0) {
    return Failure(errno);
  }
  if (S_ISDIR(info.st_mode)) {
    return Failure(EISDIR);
  }
  if (!S_ISREG(info.st_mode)) {
    FileText result;
    result.error = "not a regular file";
    return result;
  }
  return {};
}

// Reads from the current offset until `bytes` are read or the file ends.
FileText ReadUpTo(int fd, std::size_t bytes) {
  FileText result;
  char buffer[8192];
  while (result.text.size() < bytes) {
    const std::size_t want = std::min(sizeof(buffer), bytes - result.text.size());
    const ssize_t got = ::read(fd, buffer, want);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      return Failure(errno);
    }
    if (got == 0) {
      break;
    }
    result.text.append(buffer, static_cast<std::size_t>(got));
  }
  return result;
}

}  // namespace

FileText ReadFileHead(const std::filesystem::path& path, std::size_t bytes) {
  int fd = -1;
  FileText opened = OpenRegular(path, fd);
  const UniqueFd file(fd);
  if (!opened.ok()) {
    return opened;
  }
  return ReadUpTo(file.get(), bytes);
}

FileText ReadFileTail(const std::filesystem::path& path, std::size_t bytes) {
  int fd = -1;
  FileText opened = OpenRegular(path, fd);
  const UniqueFd file(fd);
  if (!opened.ok()) {
    return opened;
  }
  const off_t end = ::lseek(file.get(), 0, SEEK_END);
  if (end < 0) {
    return Failure(errno);
  }
  const auto size = static_cast<std::size_t>(end);
  const off_t start = size > bytes ? static_cast<off_t>(size - bytes) : 0;
  if (::lseek(file.get(), start, SEEK_SET) < 0) {
    return Failure(errno);
  }
  return ReadUpTo(file.get(), bytes);
}

FileText ReadBoundedFile(const std::filesystem::path& path, std::size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO planted where a config file should be must not hang the probe.
  const UniqueFd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (file.get() < 0) {
    return Failure(errno);
  }
  struct stat info {};
  if (::fstat(file.get(), &info) != 0) {
    return Failure(errno);
  }
  if (S_ISDIR(info.st_mode)) {
    return Failure(EISDIR);
  }
  if (!S_ISREG(info.st_mode)) {
    FileText result;
    result.error = "not a regular file";
    return result;
  }
  FileText result;
  char buffer[8192];
  while (true) {
    const ssize_t got = ::read(file.get(), buffer, sizeof(buffer));
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      return Failure(errno);
    }
    if (got == 0) {
      break;
    }
    const auto count = static_cast<std::size_t>(got);
    if (result.text.size() + count > max_bytes) {
      FileText too_big;
      too_big.error = "larger than " + std::to_string(max_bytes) + " bytes";
      return too_big;
    }
    result.text.append(buffer, count);
  }
  return result;
}

}  // namespace mamori::platform
