#include "collector/ctl/report_pull.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "collector/pki/x509.h"

namespace mamori::ctl {
namespace {

namespace v1 = mamori::v1;

// Closes a file descriptor and removes the temporary file unless it was renamed into place.
class TemporaryFile {
 public:
  TemporaryFile(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  ~TemporaryFile() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    if (!kept_) {
      std::error_code ignored;
      std::filesystem::remove(path_, ignored);
    }
  }
  int fd() const { return fd_; }
  // Closes the file, reporting a failed close (the last chance to see a failed write).
  bool Close() {
    const int fd = std::exchange(fd_, -1);
    return ::close(fd) == 0;
  }
  void Keep() { kept_ = true; }

 private:
  int fd_;
  std::filesystem::path path_;
  bool kept_ = false;
};

absl::Status ErrnoError(absl::string_view what, const std::filesystem::path& path, int error) {
  return absl::UnavailableError(
      absl::StrCat("cannot ", what, " ", path.string(), ": ", std::strerror(error)));
}

}  // namespace

absl::StatusOr<PulledReport> AssembleReport(const ReadChunk& read) {
  PulledReport pulled;
  v1::ReportChunk chunk;
  if (!read(chunk)) {
    return absl::DataLossError("the collector sent no report");
  }
  if (!chunk.has_header()) {
    return absl::DataLossError("the collector's report did not start with its header");
  }
  pulled.header = chunk.header();
  const std::int64_t expected = pulled.header.size_bytes();
  if (expected < 0 || static_cast<std::uint64_t>(expected) > kMaxPulledReportBytes) {
    return absl::DataLossError(absl::StrCat("the report's announced size ", expected,
                                            " is outside 0..", kMaxPulledReportBytes, " bytes"));
  }
  pulled.document.reserve(static_cast<std::size_t>(expected));
  while (read(chunk)) {
    if (chunk.has_header()) {
      return absl::DataLossError("the collector sent a second header");
    }
    if (pulled.document.size() + chunk.data().size() > static_cast<std::size_t>(expected)) {
      return absl::DataLossError(
          absl::StrCat("the report is longer than the ", expected, " bytes announced"));
    }
    pulled.document.append(chunk.data());
  }
  if (pulled.document.size() != static_cast<std::size_t>(expected)) {
    return absl::DataLossError(absl::StrCat("the report stopped after ", pulled.document.size(),
                                            " of ", expected, " bytes"));
  }
  if (pki::Sha256Hex(pulled.document) != pulled.header.sha256()) {
    return absl::DataLossError("the report's SHA-256 does not match the collector's header");
  }
  return pulled;
}

absl::Status WriteReportFile(const std::filesystem::path& path, std::string_view document) {
  if (path == "-") {
    std::cout.write(document.data(), static_cast<std::streamsize>(document.size()));
    std::cout.flush();
    return std::cout ? absl::OkStatus() : absl::UnavailableError("cannot write to stdout");
  }
  const std::filesystem::path directory =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::string name = (directory / ("." + path.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkstemp(name.data());  // 0600
  if (fd < 0) {
    return ErrnoError("create a file in", directory, errno);
  }
  TemporaryFile temporary(fd, name);
  std::size_t written = 0;
  while (written < document.size()) {
    const ssize_t n = ::write(fd, document.data() + written, document.size() - written);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return ErrnoError("write", name, errno);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    return ErrnoError("sync", name, errno);
  }
  if (!temporary.Close()) {
    return ErrnoError("write", name, errno);
  }
  if (::rename(name.c_str(), path.c_str()) != 0) {
    return ErrnoError("write", path, errno);
  }
  temporary.Keep();
  return absl::OkStatus();
}

}  // namespace mamori::ctl
