// Reads small text files (/etc, /proc, /sys) whole, with a size cap, saying why when it cannot.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace mamori::platform {

// No file a probe reads legitimately comes near this; a bigger one is refused, not truncated.
inline constexpr std::size_t kMaxProbeFileBytes = 1024 * 1024;

struct FileText {
  std::string text;
  std::string error;     // empty when read; otherwise why not ("No such file or directory")
  bool missing = false;  // the file (or a directory on its path) does not exist
  bool ok() const { return error.empty(); }
};

// Reads a regular file of at most max_bytes. Never blocks on FIFOs or devices: they are refused.
// /proc and /sys files, which report a size of 0, are read to their end.
FileText ReadBoundedFile(const std::filesystem::path& path,
                         std::size_t max_bytes = kMaxProbeFileBytes);

// The first `bytes` of a regular file of any size (the header of a 200 MB signature database), or
// the whole file when it is shorter. Same refusals as ReadBoundedFile.
FileText ReadFileHead(const std::filesystem::path& path, std::size_t bytes);

// The last `bytes` of a regular file of any size (the recent end of a log that grows for months),
// or the whole file when it is shorter. Same refusals as ReadBoundedFile.
FileText ReadFileTail(const std::filesystem::path& path, std::size_t bytes);

}  // namespace mamori::platform
