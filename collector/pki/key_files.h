// Writing keys and certificates to disk: private keys are created owner-only from the first byte
// (O_CREAT|O_EXCL, mode 0600; never chmod-ed afterwards, so there is no moment another user could
// open them), every file is fsync-ed and replaced by rename so a power cut leaves old or new.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mamori::pki {

// Creates `path` (which must not exist) with mode 0600 and writes `content`. ALREADY_EXISTS if it
// does.
absl::Status WriteNewSecretFile(const std::filesystem::path& path, absl::string_view content);

// Replaces `path` atomically with a 0600 file holding `content` (written as path + ".new" first).
absl::Status ReplaceSecretFile(const std::filesystem::path& path, absl::string_view content);

// Replaces `path` atomically with a 0644 file (certificates: public, but still never torn).
absl::Status ReplacePublicFile(const std::filesystem::path& path, absl::string_view content);

// The whole file, refused (FAILED_PRECONDITION) when larger than `max_bytes`; NOT_FOUND when
// absent.
absl::StatusOr<std::string> ReadSmallFile(const std::filesystem::path& path,
                                          std::size_t max_bytes = 64 * 1024);

// Creates `dir` (and parents) owner-only (0700) if missing.
absl::Status MakeOwnerOnlyDirectory(const std::filesystem::path& dir);

}  // namespace mamori::pki
