// Files below a probe's root.
#include "platform/linux/rooted_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <algorithm>
#include <chrono>
#include <system_error>

namespace mamori::platform {
namespace {

// One pread() of a regular file; never reads what it was not asked for.
FileText ReadRegularFileRange(const std::filesystem::path& path, uint64_t offset,
                              std::size_t size) {
  FileText result;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    result.missing = errno == ENOENT || errno == ENOTDIR;
    result.error = std::strerror(errno);
    return result;
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    result.error = "not a regular file";
  } else if (size > kMaxProbeFileBytes) {
    result.error = "range larger than " + std::to_string(kMaxProbeFileBytes) + " bytes";
  } else if (offset < static_cast<uint64_t>(info.st_size)) {
    result.text.resize(size);
    ssize_t got = -1;
    do {
      got = ::pread(fd, result.text.data(), size, static_cast<off_t>(offset));
    } while (got < 0 && errno == EINTR);
    if (got < 0) {
      result.error = std::strerror(errno);
      result.text.clear();
    } else {
      result.text.resize(static_cast<std::size_t>(got));
    }
  }
  ::close(fd);
  return result;
}

}  // namespace

std::filesystem::path RootedFiles::Resolve(std::string_view path) const {
  while (!path.empty() && path.front() == '/') {
    path.remove_prefix(1);
  }
  return root_ / path;
}

bool RootedFiles::IsLiveRoot() const {
  return root_.lexically_normal() == std::filesystem::path("/");
}

FileText RootedFiles::Read(std::string_view path, std::size_t max_bytes) const {
  return ReadBoundedFile(Resolve(path), max_bytes);
}

FileText RootedFiles::ReadRange(std::string_view path, uint64_t offset, std::size_t size) const {
  return ReadRegularFileRange(Resolve(path), offset, size);
}

std::string RootedFiles::Describe(std::string_view path) const {
  std::string described(path);
  if (described.empty() || described.front() != '/') {
    described.insert(0, "/");
  }
  if (!IsLiveRoot()) {
    described += " under root " + root_.string();
  }
  return described;
}

std::vector<std::string> RootedFiles::List(std::string_view directory,
                                           std::size_t max_entries) const {
  std::vector<std::string> names;
  std::error_code error;
  std::filesystem::directory_iterator entries(Resolve(directory), error);
  for (; !error && entries != std::filesystem::directory_iterator(); entries.increment(error)) {
    if (names.size() >= max_entries) {
      break;
    }
    names.push_back(entries->path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool RootedFiles::Exists(std::string_view path) const {
  std::error_code error;
  return std::filesystem::exists(std::filesystem::symlink_status(Resolve(path), error));
}

bool RootedFiles::IsDirectory(std::string_view path) const {
  std::error_code error;
  return std::filesystem::is_directory(Resolve(path), error);
}

std::optional<std::string> RootedFiles::LinkTarget(std::string_view path) const {
  std::error_code error;
  const std::filesystem::path target = std::filesystem::read_symlink(Resolve(path), error);
  if (error) {
    return std::nullopt;
  }
  return target.string();
}

std::optional<facts::Timestamp> RootedFiles::AccessTime(std::string_view path) const {
  struct stat info {};
  if (::stat(Resolve(path).c_str(), &info) != 0) {
    return std::nullopt;
  }
  return facts::Timestamp(std::chrono::seconds(info.st_atim.tv_sec));
}

bool UnitEnabled(const RootedFiles& files, std::string_view unit) {
  // systemctl enable links a unit into the .wants directory of its WantedBy= target, under /etc.
  for (const std::string& directory : files.List("etc/systemd/system")) {
    if (directory.size() > 6 && directory.substr(directory.size() - 6) == ".wants" &&
        files.Exists("etc/systemd/system/" + directory + "/" + std::string(unit))) {
      return true;
    }
  }
  return false;
}

}  // namespace mamori::platform
