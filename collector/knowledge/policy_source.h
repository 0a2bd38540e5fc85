// The clinic's policy as the collector holds it: loaded from a TOML file, validated by the rules
// engine's own parser (line-numbered errors), and swapped atomically when the file changes, so a
// broken edit is refused and the previous policy stays in force.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

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

// Reads and parses `path` (at most 1 MiB). INVALID_ARGUMENT with every error, one per line, each
// "policy.toml:12: ...", when the file is not a valid policy.
absl::StatusOr<LoadedPolicy> LoadPolicyFile(const std::filesystem::path& path);

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
