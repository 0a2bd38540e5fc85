// `mamorictl report`: pulls one document the collector renders (GenerateReport, a stream of a
// header and chunks), checks it against the header's size and SHA-256, and writes it to a file
// atomically (a temporary file in the same directory, then a rename), or to stdout with "-o -".
// A failed or short pull leaves no file behind and never replaces an older report with a partial
// one.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "mamori/v1/report.pb.h"

namespace mamori::ctl {

// The most mamorictl accepts, whatever the header says (the collector sends at most 64 MiB).
inline constexpr std::size_t kMaxPulledReportBytes = 64u * 1024 * 1024;

// Reads the next message of the stream into `chunk`; false at its end.
using ReadChunk = std::function<bool(mamori::v1::ReportChunk& chunk)>;

struct PulledReport {
  mamori::v1::ReportHeader header;
  std::string document;
};

// Assembles the stream: the first message must be the header and only the first; the bytes must
// add up to header.size_bytes (at most kMaxPulledReportBytes) and hash to header.sha256.
// DATA_LOSS otherwise, saying what did not match. `read` returning false early (the stream ended
// or failed) gives what arrived so far checked the same way; the caller reports the stream's own
// status first when it failed.
absl::StatusOr<PulledReport> AssembleReport(const ReadChunk& read);

// Writes `document` to `path` atomically, readable by the owner only (reports name accounts and
// machines); "-" writes to stdout.
absl::Status WriteReportFile(const std::filesystem::path& path, std::string_view document);

}  // namespace mamori::ctl
