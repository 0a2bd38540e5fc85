// The collector's append-only audit log: who (a person, an agent, or a local administrator on the
// server PC) did what to what, when, and whether it was allowed. SQLite triggers refuse any UPDATE
// or DELETE of a row (schema version 3).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "collector/storage/database.h"

namespace mamori::collector {

enum class AuditOutcome { kOk, kRefused, kFailed };
absl::string_view AuditOutcomeName(AuditOutcome outcome);

// Each text field is cut to this many bytes (on a UTF-8 boundary) when recorded: a hostile client
// must not be able to grow the log by more than a bounded amount per event.
inline constexpr std::size_t kMaxAuditFieldBytes = 512;

// What happened. Never put a secret here (an enrollment token, a key, a passphrase): the log is
// meant to be read, exported and kept.
struct AuditEntry {
  std::string actor;   // user name, agent id, or LocalActor()
  std::string role;    // admin, vendor, agent, enrollee, local
  std::string action;  // e.g. "user.add", "token.create", "CollectorAdmin/RemoveHost"
  std::string target;  // what it was done to: a user name, token id, agent id; may be empty
  std::string detail;  // e.g. a refusal's reason
  AuditOutcome outcome = AuditOutcome::kOk;
};

struct AuditEvent {
  std::int64_t id = 0;
  absl::Time at;
  AuditEntry entry;
};

class AuditLog {
 public:
  static absl::StatusOr<std::unique_ptr<AuditLog>> Open(const std::filesystem::path& path,
                                                        Database::OpenMode mode);

  // Appends one event at `at`. Control characters in the text are replaced by U+FFFD and each field
  // is bounded (kMaxAuditFieldBytes), so what a client sent cannot forge lines in a terminal.
  absl::Status Record(const AuditEntry& entry, absl::Time at);

  // Events at or after `since` (all when nullopt), oldest first, at most `limit` of the newest.
  absl::StatusOr<std::vector<AuditEvent>> List(std::optional<absl::Time> since, int limit);

 private:
  explicit AuditLog(Database db) : db_(std::move(db)) {}

  absl::Mutex mu_;
  Database db_ ABSL_GUARDED_BY(mu_);
};

// "local:<os user>": the actor for commands run on the server PC itself (the effective user, as
// that is whose file permissions let the command open the data directory).
std::string LocalActor();

// `text` with C0/C1 control characters and DEL replaced by U+FFFD, invalid UTF-8 bytes likewise,
// cut on a character boundary to at most `max_bytes`.
std::string SanitizeAuditText(absl::string_view text, std::size_t max_bytes);

}  // namespace mamori::collector
