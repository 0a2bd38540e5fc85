// The files of the host a Linux probe inspects, all below ProbeEnvironment::root ("/" on a live
// host, a fixture tree in tests): bounded reads, directory listings, symlinks and access times,
// each saying nothing rather than throwing when a path is absent or unreadable.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/facts/host_facts.h"
#include "platform/linux/bounded_file.h"

namespace mamori::platform {

class RootedFiles {
 public:
  explicit RootedFiles(std::filesystem::path root) : root_(std::move(root)) {}

  // "etc/passwd" or "/etc/passwd" -> <root>/etc/passwd.
  std::filesystem::path Resolve(std::string_view path) const;
  // True when the root is the real one: only then may a probe ask the running system (processes it
  // cannot see in files, commands).
  bool IsLiveRoot() const;

  FileText Read(std::string_view path, std::size_t max_bytes = kMaxProbeFileBytes) const;
  // size bytes at offset (fewer at the end of the file) without reading the rest: for files indexed
  // by record, such as the sparse /var/log/lastlog.
  FileText ReadRange(std::string_view path, uint64_t offset, std::size_t size) const;

  // "/etc/passwd", plus " under root /tmp/x" unless the root is the real one.
  std::string Describe(std::string_view path) const;

  // Entry names of a directory, sorted, at most max_entries; empty when it is absent or unreadable.
  std::vector<std::string> List(std::string_view directory, std::size_t max_entries = 4096) const;
  // The path exists (a dangling symlink counts: it is something someone put there).
  bool Exists(std::string_view path) const;
  bool IsDirectory(std::string_view path) const;
  // The target of a symlink as written ("/dev/null"); nullopt when path is not a symlink.
  std::optional<std::string> LinkTarget(std::string_view path) const;
  // When the file was last read (a terminal's atime moves with keyboard input, which `w` relies
  // on).
  std::optional<facts::Timestamp> AccessTime(std::string_view path) const;

 private:
  std::filesystem::path root_;
};

// True when `systemctl enable` linked unit into some .wants directory under /etc/systemd/system,
// e.g. "etc/systemd/system/multi-user.target.wants/ssh.service".
bool UnitEnabled(const RootedFiles& files, std::string_view unit);

}  // namespace mamori::platform
