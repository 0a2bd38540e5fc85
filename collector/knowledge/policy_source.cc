// Loading the clinic's policy file: bounded read, SHA-256 of the exact bytes (so a restart notices
// an edit made while the collector was down), then the rules engine's own parser.
#include "collector/knowledge/policy_source.h"

#include <cstddef>
#include <fstream>
#include <string_view>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "collector/pki/x509.h"

namespace mamori::collector {
namespace {

// A policy is a few dozen lines; anything near this bound is not a policy file.
constexpr std::uintmax_t kMaxPolicyFileBytes = 1024 * 1024;

}  // namespace

std::string PolicySha256(std::string_view bytes) {
  return pki::Sha256Hex(absl::string_view(bytes.data(), bytes.size()));
}

LoadedPolicy DefaultLoadedPolicy() {
  return LoadedPolicy{rules::Policy{}, pki::Sha256Hex(""), std::string(kDefaultPolicySource)};
}

namespace {

absl::Status TooLarge(const std::filesystem::path& path) {
  return absl::InvalidArgumentError(absl::StrCat(
      path.string(), ": larger than ", kMaxPolicyFileBytes, " bytes; this is not a policy file"));
}

absl::StatusOr<std::string> ReadPolicyBytes(const std::filesystem::path& path) {
  std::error_code error;
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  if (error) {
    return absl::NotFoundError(
        absl::StrCat("cannot read the policy file ", path.string(), ": ", error.message()));
  }
  if (size > kMaxPolicyFileBytes) {
    return TooLarge(path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot open the policy file ", path.string()));
  }
  // Read at most one byte past the bound: the file may have grown since file_size().
  std::string bytes(static_cast<std::size_t>(kMaxPolicyFileBytes) + 1, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (in.bad()) {
    return absl::InternalError(absl::StrCat("reading the policy file ", path.string(), " failed"));
  }
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  if (bytes.size() > kMaxPolicyFileBytes) {
    return TooLarge(path);
  }
  return bytes;
}

absl::StatusOr<LoadedPolicy> ParsePolicyBytes(const std::string& bytes,
                                              const std::filesystem::path& path) {
  const std::string source = path.string();
  rules::PolicyParseResult parsed = rules::ParsePolicy(bytes, source);
  if (!parsed.errors.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(parsed.errors, "\n"));
  }
  if (!parsed.policy.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": not a valid policy"));
  }
  return LoadedPolicy{*std::move(parsed.policy), pki::Sha256Hex(bytes), source};
}

}  // namespace

absl::StatusOr<LoadedPolicy> LoadPolicyFile(const std::filesystem::path& path) {
  absl::StatusOr<std::string> bytes = ReadPolicyBytes(path);
  if (!bytes.ok()) {
    return bytes.status();
  }
  return ParsePolicyBytes(*bytes, path);
}

PolicyFileWatcher::PolicyFileWatcher(std::filesystem::path path, std::string loaded_sha256)
    : path_(std::move(path)), seen_sha256_(std::move(loaded_sha256)) {}

std::optional<absl::StatusOr<LoadedPolicy>> PolicyFileWatcher::Poll() {
  std::error_code size_error;
  std::error_code time_error;
  const std::uintmax_t size = std::filesystem::file_size(path_, size_error);
  const std::filesystem::file_time_type modified =
      std::filesystem::last_write_time(path_, time_error);
  if (size_error || time_error) {
    if (missing_reported_) {
      return std::nullopt;
    }
    missing_reported_ = true;
    stamp_.reset();
    return absl::StatusOr<LoadedPolicy>(absl::NotFoundError(absl::StrCat(
        "cannot read the policy file ", path_.string(), ": ",
        (size_error ? size_error : time_error).message(), "; the policy in force stays")));
  }
  missing_reported_ = false;
  const FileStamp stamp{size, modified};
  if (stamp_ == stamp) {
    return std::nullopt;
  }
  absl::StatusOr<std::string> bytes = ReadPolicyBytes(path_);
  if (!bytes.ok()) {
    // A file too large stays refused until it changes; anything else is read again at the next
    // poll.
    if (absl::IsInvalidArgument(bytes.status())) {
      stamp_ = stamp;
    } else {
      stamp_.reset();
    }
    return absl::StatusOr<LoadedPolicy>(bytes.status());
  }
  stamp_ = stamp;
  std::string sha256 = pki::Sha256Hex(*bytes);
  if (sha256 == seen_sha256_) {
    return std::nullopt;
  }
  seen_sha256_ = std::move(sha256);
  return ParsePolicyBytes(*bytes, path_);
}

}  // namespace mamori::collector
