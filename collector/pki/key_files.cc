#include "collector/pki/key_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "platform/linux/unique_fd.h"

namespace mamori::pki {
namespace {

absl::Status ErrnoError(absl::string_view what, const std::filesystem::path& path) {
  const int error = errno;
  const std::string text = absl::StrCat(what, " ", path.string(), ": ", std::strerror(error));
  if (error == EEXIST) {
    return absl::AlreadyExistsError(text);
  }
  if (error == ENOENT) {
    return absl::NotFoundError(text);
  }
  return absl::FailedPreconditionError(text);
}

absl::Status WriteExclusive(const std::filesystem::path& path, absl::string_view content,
                            mode_t mode) {
  platform::UniqueFd fd(
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
  if (fd.get() < 0) {
    return ErrnoError("cannot create", path);
  }
  size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd.get(), content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return ErrnoError("cannot write", path);
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd.get()) != 0) {
    return ErrnoError("cannot fsync", path);
  }
  return absl::OkStatus();
}

absl::Status SyncDirectoryOf(const std::filesystem::path& path) {
  const std::filesystem::path dir =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  platform::UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) {
    return ErrnoError("cannot fsync directory", dir);
  }
  return absl::OkStatus();
}

absl::Status Replace(const std::filesystem::path& path, absl::string_view content, mode_t mode) {
  const std::filesystem::path staged = path.string() + ".new";
  // A leftover from a crash mid-write: it was never renamed into place, so nothing relies on it.
  if (::unlink(staged.c_str()) != 0 && errno != ENOENT) {
    return ErrnoError("cannot remove stale", staged);
  }
  if (absl::Status status = WriteExclusive(staged, content, mode); !status.ok()) {
    return status;
  }
  if (::rename(staged.c_str(), path.c_str()) != 0) {
    return ErrnoError("cannot rename into", path);
  }
  return SyncDirectoryOf(path);
}

}  // namespace

absl::Status WriteNewSecretFile(const std::filesystem::path& path, absl::string_view content) {
  if (absl::Status status = WriteExclusive(path, content, 0600); !status.ok()) {
    return status;
  }
  return SyncDirectoryOf(path);
}

absl::Status ReplaceSecretFile(const std::filesystem::path& path, absl::string_view content) {
  return Replace(path, content, 0600);
}

absl::Status ReplacePublicFile(const std::filesystem::path& path, absl::string_view content) {
  return Replace(path, content, 0644);
}

absl::StatusOr<std::string> ReadSmallFile(const std::filesystem::path& path,
                                          std::size_t max_bytes) {
  platform::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    return ErrnoError("cannot open", path);
  }
  std::string content;
  std::array<char, 4096> buffer{};
  while (true) {
    const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return ErrnoError("cannot read", path);
    }
    if (n == 0) {
      break;
    }
    content.append(buffer.data(), static_cast<size_t>(n));
    if (content.size() > max_bytes) {
      return absl::FailedPreconditionError(
          absl::StrCat(path.string(), " is larger than ", max_bytes, " bytes"));
    }
  }
  return content;
}

absl::Status MakeOwnerOnlyDirectory(const std::filesystem::path& dir) {
  std::error_code error;
  if (std::filesystem::is_directory(dir, error)) {
    return absl::OkStatus();
  }
  if (dir.has_parent_path()) {
    std::filesystem::create_directories(dir.parent_path(), error);
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return ErrnoError("cannot create directory", dir);
  }
  return absl::OkStatus();
}

}  // namespace mamori::pki
