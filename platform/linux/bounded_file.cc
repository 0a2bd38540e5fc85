// Reads small text files with a size cap. POSIX calls rather than iostreams: the reason a read
// failed (errno) goes into the report.
#include "platform/linux/bounded_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mamori::platform {
namespace {

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

FileText Failure(int error_number) {
  FileText result;
  result.error = std::strerror(error_number);
  result.missing = error_number == ENOENT || error_number == ENOTDIR;
  return result;
}

}  // namespace

FileText ReadBoundedFile(const std::filesystem::path& path, std::size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO planted where a config file should be must not hang the probe.
  const FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
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
