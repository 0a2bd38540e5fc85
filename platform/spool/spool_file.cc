// The spool's file operations that need no OS call: reading (std::ifstream) and removal
// (std::filesystem plus the per-OS SyncDirectory).
#include <fstream>
#include <system_error>

#include "platform/spool/spool_file.h"

namespace mamori::platform::spool {
namespace {

std::string Describe(std::string_view what, const std::filesystem::path& file) {
  return std::string(what) + " " + PathText(file);
}

FileBytes ReadAt(const std::filesystem::path& file, std::uint64_t offset, std::uint64_t size,
                 bool allow_short) {
  FileBytes result;
  std::error_code ec;
  result.file_size = std::filesystem::file_size(file, ec);
  if (ec) {
    result.error = Describe("cannot stat", file) + ": " + ec.message();
    return result;
  }
  if (offset > result.file_size) {
    result.error = Describe("offset past the end of", file);
    return result;
  }
  const std::uint64_t available = result.file_size - offset;
  if (available < size) {
    if (!allow_short) {
      result.error = Describe("file shorter than expected:", file);
      return result;
    }
    size = available;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    result.error = Describe("cannot open", file);
    return result;
  }
  in.seekg(static_cast<std::streamoff>(offset));
  result.bytes.resize(static_cast<std::size_t>(size));
  in.read(result.bytes.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::uint64_t>(in.gcount()) != size) {
    result.error = Describe("cannot read", file);
    result.bytes.clear();
  }
  return result;
}

}  // namespace

std::string PathText(const std::filesystem::path& path) {
  try {
    const std::u8string text = path.u8string();
    return std::string(text.begin(), text.end());
  } catch (...) {
    return "(unprintable path)";
  }
}

FileBytes ReadFilePrefix(const std::filesystem::path& file, std::uint64_t max_bytes) {
  return ReadAt(file, 0, max_bytes, /*allow_short=*/true);
}

FileBytes ReadFileRange(const std::filesystem::path& file, std::uint64_t offset,
                        std::uint64_t size) {
  return ReadAt(file, offset, size, /*allow_short=*/false);
}

IoOutcome RemoveDurably(const std::filesystem::path& file) {
  std::error_code ec;
  std::filesystem::remove(file, ec);
  if (ec) {
    return {Describe("cannot remove", file) + ": " + ec.message()};
  }
  return SyncDirectory(file.parent_path());
}

}  // namespace mamori::platform::spool
