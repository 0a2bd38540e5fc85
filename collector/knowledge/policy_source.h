// The clinic's policy as the collector holds it: loaded from a TOML file, validated by the rules
// engine's own parser (line-numbered errors), and swapped atomically when the file changes, so a
// broken edit is refused and the previous policy stays in force.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "platform/rules/policy.h"

namespace mamori::collector {

struct LoadedPolicy {
  rules::Policy policy;
  std::string sha256;  // of the file's bytes; of "" for the built-in defaults
  std::string source;  // the file's path, or "(defaults)"
};

inline constexpr std::string_view kDefaultPolicySource = "(defaults)";

// The built-in defaults (rules::Policy{}), hashed as the empty file.
LoadedPolicy DefaultLoadedPolicy();

// Lowercase hex SHA-256 of `bytes`, as LoadedPolicy::sha256 and policy_state.sha256 hold it.
std::string PolicySha256(std::string_view bytes);

// Reads and parses `path` (at most 1 MiB). INVALID_ARGUMENT with every error, one per line, each
// "policy.toml:12: ...", when the file is not a valid policy; NOT_FOUND when it cannot be read.
absl::StatusOr<LoadedPolicy> LoadPolicyFile(const std::filesystem::path& path);

// Notices edits of a policy file. Each Poll() compares size and modification time first (cheap,
// every few seconds), then the SHA-256 of the bytes, so touching a file or rewriting it with the
// same content is not a change. Not thread-safe: one poller.
class PolicyFileWatcher {
 public:
  // `loaded_sha256`: the hash of the content already in force (no change is reported for it).
  PolicyFileWatcher(std::filesystem::path path, std::string loaded_sha256);

  // nullopt while the content is unchanged since the last poll that reported something. Otherwise
  // the outcome of loading the new content: a valid policy, or its errors (a broken edit, a file
  // that vanished), reported once per distinct content.
  std::optional<absl::StatusOr<LoadedPolicy>> Poll();

 private:
  struct FileStamp {
    std::uintmax_t size = 0;
    std::filesystem::file_time_type modified;
    friend bool operator==(const FileStamp&, const FileStamp&) = default;
  };

  std::filesystem::path path_;
  std::string seen_sha256_;         // of the last content reported (or in force at start)
  std::optional<FileStamp> stamp_;  // of the file when it was last read; nullopt: not yet read
  bool missing_reported_ = false;   // the file is gone and that was reported
};

// The policy in force, shared by the writer thread, the sweeper and the query service.
class PolicySource {
 public:
  explicit PolicySource(LoadedPolicy initial)
      : current_(std::make_shared<const LoadedPolicy>(std::move(initial))) {}

  std::shared_ptr<const LoadedPolicy> Current() const {
    absl::MutexLock lock(&mu_);
    return current_;
  }
  void Replace(LoadedPolicy next) {
    auto replacement = std::make_shared<const LoadedPolicy>(std::move(next));
    absl::MutexLock lock(&mu_);
    current_ = std::move(replacement);
  }

 private:
  mutable absl::Mutex mu_;
  std::shared_ptr<const LoadedPolicy> current_ ABSL_GUARDED_BY(mu_);
};

}  // namespace mamori::collector
