// What the collector's trust decisions rest on: enrollment tokens (stored as hashes), the
// certificates issued to agents, host removal and the revocation generation a running collector
// polls. One SQLite connection per TrustStore, guarded by a mutex, so gRPC threads may share one.
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

// Every token starts with this, so a token pasted into the wrong place is recognisable.
inline constexpr char kEnrollmentTokenPrefix[] = "mmr1.";
inline constexpr std::size_t kMaxEnrollmentTokenBytes = 128;

// A token as `token create` prints it, once. `token` is a secret: shown to the person creating it
// and never stored, logged or listed.
struct NewEnrollmentToken {
  std::string token_id;
  std::string token;
  absl::Time expires_at;
  std::int64_t uses = 0;
};

// A token as `token list` shows it: everything but the secret.
struct EnrollmentTokenInfo {
  std::string token_id;
  std::string label;
  absl::Time created_at;
  absl::Time expires_at;
  std::int64_t uses_left = 0;
  std::optional<absl::Time> revoked_at;
};

// One certificate issued to an agent.
struct AgentCertificateRecord {
  std::string serial;  // lowercase hex, as pki::Certificate::SerialHex
  std::string agent_id;
  absl::Time not_before;
  absl::Time not_after;
  absl::Time issued_at;
  std::optional<absl::Time> revoked_at;
  std::optional<absl::Time> agent_removed_at;
};

// What an enrollment records about the new agent.
struct EnrolledAgent {
  std::string agent_id;
  std::string hostname;
  std::string agent_version;
  std::string machine_id;
};

struct RemovedHost {
  std::string agent_id;
  std::string hostname;
  int certificates_revoked = 0;
};

class TrustStore {
 public:
  static absl::StatusOr<std::unique_ptr<TrustStore>> Open(const std::filesystem::path& path,
                                                          Database::OpenMode mode);

  // A new token: >= 160 random bits from RAND_bytes, "mmr1." + base32. Only its SHA-256 is stored.
  absl::StatusOr<NewEnrollmentToken> CreateToken(absl::string_view label, absl::Duration ttl,
                                                 std::int64_t uses, absl::Time now);
  // Newest first.
  absl::StatusOr<std::vector<EnrollmentTokenInfo>> ListTokens();
  // NOT_FOUND when no token has this id; revoking twice keeps the first revocation time.
  absl::Status RevokeToken(absl::string_view token_id, absl::Time now);

  // In one transaction: takes one use of `token` (only if it exists, is not revoked, not expired
  // and has a use left: two agents racing for the last use cannot both win), records the agent
  // and its first certificate. UNAUTHENTICATED naming the precise reason (for the collector's log;
  // the RPC answer is deliberately vaguer) when the token is not valid, with nothing changed.
  absl::Status EnrollAgent(absl::string_view token, const EnrolledAgent& agent,
                           const AgentCertificateRecord& certificate, absl::Time now);

  // Records a renewed certificate of an enrolled agent.
  absl::Status RecordCertificate(const AgentCertificateRecord& certificate);

  // The certificate with `serial`, with its agent's removal time; nullopt when unknown.
  absl::StatusOr<std::optional<AgentCertificateRecord>> FindCertificate(absl::string_view serial);

  // Marks the agent named by `host_or_agent_id` (an agent id, or a host name that names exactly one
  // agent) removed, revokes all its certificates and bumps the revocation generation.
  absl::StatusOr<RemovedHost> RemoveHost(absl::string_view host_or_agent_id, absl::Time now);

  absl::StatusOr<std::int64_t> RevocationGeneration();

 private:
  explicit TrustStore(Database db) : db_(std::move(db)) {}
  absl::Status ExplainRejectedToken(absl::string_view hash, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  Database db_ ABSL_GUARDED_BY(mu_);
};

// SHA-256 of the token text, as stored in enrollment_tokens.token_hash.
std::string HashEnrollmentToken(absl::string_view token);

// Trust times are stored in whole seconds (RFC 3339 UTC): fixed width, so SQL compares them as
// text.
std::string FormatTrustTime(absl::Time time);

}  // namespace mamori::collector
