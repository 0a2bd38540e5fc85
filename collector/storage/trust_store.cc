#include "collector/storage/trust_store.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "collector/storage/agent_record_store.h"
#include "collector/storage/schema.h"
#include "collector/storage/stored_time.h"

namespace mamori::collector {
namespace {

constexpr std::size_t kTokenSecretBytes = 20;  // 160 bits

absl::StatusOr<std::string> RandomBytes(std::size_t count) {
  std::string bytes(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1) {
    return absl::InternalError("OpenSSL RAND_bytes failed");
  }
  return bytes;
}

// RFC 4648 base32, lowercase, no padding: unambiguous to read aloud and safe in a shell.
std::string Base32(absl::string_view bytes) {
  constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::string out;
  unsigned int buffer = 0;
  int bits = 0;
  for (const char c : bytes) {
    buffer = (buffer << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 5) {
      out.push_back(kAlphabet[(buffer >> (bits - 5)) & 31u]);
      bits -= 5;
    }
  }
  if (bits > 0) {
    out.push_back(kAlphabet[(buffer << (5 - bits)) & 31u]);
  }
  return out;
}

// Steps a statement that returns at most one row to its end, so that it is complete before the
// transaction commits. Returns whether there was a row.
absl::StatusOr<bool> StepToEnd(Statement& statement) {
  absl::StatusOr<bool> row = statement.Step();
  if (!row.ok() || !*row) {
    return row;
  }
  absl::StatusOr<bool> more = statement.Step();
  if (!more.ok()) {
    return more.status();
  }
  return true;
}

absl::Status InsertCertificate(Database& db, const AgentCertificateRecord& certificate) {
  return db.Run(
      "INSERT INTO agent_certificates (serial, agent_id, not_before, not_after, issued_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5)",
      {certificate.serial, certificate.agent_id, FormatTrustTime(certificate.not_before),
       FormatTrustTime(certificate.not_after), FormatTrustTime(certificate.issued_at)});
}

}  // namespace

std::string HashEnrollmentToken(absl::string_view token) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(token.data(), token.size(), digest.data(), &length, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest.data()), length);
}

std::string FormatTrustTime(absl::Time time) {
  return FormatStoredTime(absl::FromUnixSeconds(absl::ToUnixSeconds(time)));
}

absl::StatusOr<std::unique_ptr<TrustStore>> TrustStore::Open(const std::filesystem::path& path,
                                                             Database::OpenMode mode) {
  absl::StatusOr<Database> db = Database::Open(path, mode, CollectorSchema());
  if (!db.ok()) {
    return db.status();
  }
  return std::unique_ptr<TrustStore>(new TrustStore(*std::move(db)));
}

absl::StatusOr<NewEnrollmentToken> TrustStore::CreateToken(absl::string_view label,
                                                           absl::Duration ttl, std::int64_t uses,
                                                           absl::Time now) {
  if (uses < 1 || uses > 10'000) {
    return absl::InvalidArgumentError("--uses must be from 1 to 10000");
  }
  if (ttl < absl::Minutes(1) || ttl > absl::Hours(24 * 30)) {
    return absl::InvalidArgumentError("--ttl must be from 1m to 720h (30 days)");
  }
  if (label.size() > 200) {
    return absl::InvalidArgumentError("--label must be at most 200 bytes");
  }
  absl::StatusOr<std::string> secret = RandomBytes(kTokenSecretBytes);
  absl::StatusOr<std::string> id = RandomBytes(4);
  if (!secret.ok() || !id.ok()) {
    return absl::InternalError("cannot draw a random token");
  }
  NewEnrollmentToken token;
  token.token_id = absl::BytesToHexString(*id);
  token.token = absl::StrCat(kEnrollmentTokenPrefix, Base32(*secret));
  token.expires_at = absl::FromUnixSeconds(absl::ToUnixSeconds(now + ttl));
  token.uses = uses;
  absl::MutexLock lock(&mu_);
  if (absl::Status status = db_.Run(
          "INSERT INTO enrollment_tokens (token_id, token_hash, label, created_at, expires_at, "
          "uses_left) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
          {token.token_id, Blob{HashEnrollmentToken(token.token)}, label, FormatTrustTime(now),
           FormatTrustTime(token.expires_at), uses});
      !status.ok()) {
    return status;
  }
  return token;
}

absl::StatusOr<std::vector<EnrollmentTokenInfo>> TrustStore::ListTokens() {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<Statement> query = db_.Prepare(
      "SELECT token_id, label, created_at, expires_at, uses_left, revoked_at "
      "FROM enrollment_tokens ORDER BY created_at DESC, token_id");
  if (!query.ok()) {
    return query.status();
  }
  std::vector<EnrollmentTokenInfo> tokens;
  if (absl::Status status = query->ForEachRow([&](const Statement& row) -> absl::Status {
        EnrollmentTokenInfo info;
        info.token_id = row.ColumnText(0);
        info.label = row.ColumnText(1);
        absl::StatusOr<absl::Time> created = ParseStoredTime(row.ColumnText(2));
        absl::StatusOr<absl::Time> expires = ParseStoredTime(row.ColumnText(3));
        absl::StatusOr<std::optional<absl::Time>> revoked = OptionalStoredTime(row, 5);
        if (!created.ok() || !expires.ok() || !revoked.ok()) {
          return absl::DataLossError(absl::StrCat("token ", info.token_id, ": damaged times"));
        }
        info.created_at = *created;
        info.expires_at = *expires;
        info.uses_left = row.ColumnInt64(4);
        info.revoked_at = *revoked;
        tokens.push_back(std::move(info));
        return absl::OkStatus();
      });
      !status.ok()) {
    return status;
  }
  return tokens;
}

absl::Status TrustStore::RevokeToken(absl::string_view token_id, absl::Time now) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<Statement> update = db_.Query(
      "UPDATE enrollment_tokens SET revoked_at = COALESCE(revoked_at, ?2) WHERE token_id = ?1 "
      "RETURNING token_id",
      {token_id, FormatTrustTime(now)});
  if (!update.ok()) {
    return update.status();
  }
  absl::StatusOr<bool> found = StepToEnd(*update);
  if (!found.ok()) {
    return found.status();
  }
  if (!*found) {
    return absl::NotFoundError(
        absl::StrCat("no enrollment token with id '", token_id, "' (see `token list`)"));
  }
  return absl::OkStatus();
}

absl::Status TrustStore::ExplainRejectedToken(absl::string_view hash, absl::Time now) {
  absl::StatusOr<Statement> query = db_.Query(
      "SELECT token_id, label, uses_left, revoked_at IS NOT NULL, expires_at <= ?2 "
      "FROM enrollment_tokens WHERE token_hash = ?1",
      {Blob{hash}, FormatTrustTime(now)});
  if (!query.ok()) {
    return query.status();
  }
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) {
    return row.status();
  }
  if (!*row) {
    return absl::UnauthenticatedError("no such enrollment token");
  }
  const std::string name =
      absl::StrCat("enrollment token ", query->ColumnText(0), " (", query->ColumnText(1), ")");
  if (query->ColumnInt64(3) != 0) {
    return absl::UnauthenticatedError(absl::StrCat(name, " is revoked"));
  }
  if (query->ColumnInt64(4) != 0) {
    return absl::UnauthenticatedError(absl::StrCat(name, " has expired"));
  }
  return absl::UnauthenticatedError(absl::StrCat(name, " is used up"));
}

absl::Status TrustStore::EnrollAgent(absl::string_view token, const EnrolledAgent& agent,
                                     const AgentCertificateRecord& certificate, absl::Time now) {
  const std::string hash = HashEnrollmentToken(token);
  const std::string now_text = FormatTrustTime(now);
  absl::MutexLock lock(&mu_);
  absl::StatusOr<Transaction> transaction = Transaction::Begin(db_);
  if (!transaction.ok()) {
    return transaction.status();
  }
  // The conditions and the decrement are one statement inside a write transaction: of two agents
  // racing for the last use, exactly one sees uses_left > 0.
  absl::StatusOr<Statement> redeem = db_.Query(
      "UPDATE enrollment_tokens SET uses_left = uses_left - 1 "
      "WHERE token_hash = ?1 AND uses_left > 0 AND revoked_at IS NULL AND expires_at > ?2 "
      "RETURNING token_id, token_hash",
      {Blob{hash}, now_text});
  if (!redeem.ok()) {
    return redeem.status();
  }
  absl::StatusOr<bool> redeemed = redeem->Step();
  if (!redeemed.ok()) {
    return redeemed.status();
  }
  if (!*redeemed) {
    return ExplainRejectedToken(hash, now);
  }
  const std::string token_id = redeem->ColumnText(0);
  const std::string stored_hash = redeem->ColumnText(1);
  if (absl::StatusOr<bool> more = redeem->Step(); !more.ok()) {
    return more.status();
  }
  // SQLite matched on the hash already; this repeats the check in constant time so that no code
  // path of ours compares token material byte by byte.
  if (stored_hash.size() != hash.size() ||
      CRYPTO_memcmp(stored_hash.data(), hash.data(), hash.size()) != 0) {
    return absl::UnauthenticatedError("no such enrollment token");
  }
  if (absl::Status status = db_.Run(
          "INSERT INTO agents (agent_id, hostname, agent_version, first_seen, last_seen, "
          "machine_id, enrolled_at, enrollment_token_id) VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?4, ?6)",
          {agent.agent_id, agent.hostname, agent.agent_version, now_text, agent.machine_id,
           token_id});
      !status.ok()) {
    return status;
  }
  if (absl::Status status = InsertCertificate(db_, certificate); !status.ok()) {
    return status;
  }
  return transaction->Commit();
}

absl::Status TrustStore::RecordCertificate(const AgentCertificateRecord& certificate) {
  absl::MutexLock lock(&mu_);
  return InsertCertificate(db_, certificate);
}

absl::StatusOr<std::optional<AgentCertificateRecord>> TrustStore::FindCertificate(
    absl::string_view serial) {
  absl::MutexLock lock(&mu_);
  return db_.QueryOptionalRow<AgentCertificateRecord>(
      "SELECT c.serial, c.agent_id, c.not_before, c.not_after, c.issued_at, c.revoked_at, "
      "a.removed_at FROM agent_certificates AS c JOIN agents AS a USING (agent_id) "
      "WHERE c.serial = ?1",
      {serial}, [](const Statement& row) -> absl::StatusOr<AgentCertificateRecord> {
        AgentCertificateRecord record;
        record.serial = row.ColumnText(0);
        record.agent_id = row.ColumnText(1);
        absl::StatusOr<absl::Time> not_before = ParseStoredTime(row.ColumnText(2));
        absl::StatusOr<absl::Time> not_after = ParseStoredTime(row.ColumnText(3));
        absl::StatusOr<absl::Time> issued_at = ParseStoredTime(row.ColumnText(4));
        absl::StatusOr<std::optional<absl::Time>> revoked = OptionalStoredTime(row, 5);
        absl::StatusOr<std::optional<absl::Time>> removed = OptionalStoredTime(row, 6);
        if (!not_before.ok() || !not_after.ok() || !issued_at.ok() || !revoked.ok() ||
            !removed.ok()) {
          return absl::DataLossError(
              absl::StrCat("certificate ", record.serial, ": damaged times"));
        }
        record.not_before = *not_before;
        record.not_after = *not_after;
        record.issued_at = *issued_at;
        record.revoked_at = *revoked;
        record.agent_removed_at = *removed;
        return record;
      });
}

absl::StatusOr<RemovedHost> TrustStore::RemoveHost(absl::string_view host_or_agent_id,
                                                   absl::Time now) {
  const std::string now_text = FormatTrustTime(now);
  absl::MutexLock lock(&mu_);
  absl::StatusOr<Transaction> transaction = Transaction::Begin(db_);
  if (!transaction.ok()) {
    return transaction.status();
  }
  std::vector<RemovedHost> found;
  bool exact_id = false;
  {
    // Scoped so the query is finalized before the updates below.
    absl::StatusOr<Statement> matches = db_.Query(
        "SELECT a.agent_id, COALESCE(h.hostname, a.hostname) FROM agents AS a "
        "LEFT JOIN hosts AS h USING (agent_id) WHERE a.removed_at IS NULL AND "
        "(a.agent_id = ?1 OR a.hostname = ?1 OR h.hostname = ?1) ORDER BY a.agent_id",
        {host_or_agent_id});
    if (!matches.ok()) {
      return matches.status();
    }
    while (true) {
      absl::StatusOr<bool> row = matches->Step();
      if (!row.ok()) {
        return row.status();
      }
      if (!*row) {
        break;
      }
      RemovedHost host{matches->ColumnText(0), matches->ColumnText(1), 0};
      if (host.agent_id == host_or_agent_id) {
        // An agent id is unambiguous even if some host happens to be called the same.
        found = {host};
        exact_id = true;
        break;
      }
      found.push_back(std::move(host));
    }
  }
  if (found.empty()) {
    return absl::NotFoundError(absl::StrCat("no host or agent id '", host_or_agent_id,
                                            "' (see `mamori-collector hosts`)"));
  }
  if (found.size() > 1 && !exact_id) {
    std::vector<std::string> ids;
    for (const RemovedHost& host : found) {
      ids.push_back(host.agent_id);
    }
    return absl::FailedPreconditionError(absl::StrCat("host name '", host_or_agent_id,
                                                      "' matches agents ", absl::StrJoin(ids, ", "),
                                                      ": remove one by its agent id"));
  }
  RemovedHost removed = found.front();
  if (absl::Status status = db_.Run("UPDATE agents SET removed_at = ?2 WHERE agent_id = ?1",
                                    {removed.agent_id, now_text});
      !status.ok()) {
    return status;
  }
  absl::StatusOr<Statement> revoke = db_.Query(
      "UPDATE agent_certificates SET revoked_at = ?2 WHERE agent_id = ?1 AND revoked_at IS NULL "
      "RETURNING serial",
      {removed.agent_id, now_text});
  if (!revoke.ok()) {
    return revoke.status();
  }
  if (absl::Status status = revoke->ForEachRow([&](const Statement&) {
        ++removed.certificates_revoked;
        return absl::OkStatus();
      });
      !status.ok()) {
    return status;
  }
  if (absl::Status status =
          db_.Execute("UPDATE trust_state SET revocation_generation = revocation_generation + 1");
      !status.ok()) {
    return status;
  }
  if (absl::Status status = transaction->Commit(); !status.ok()) {
    return status;
  }
  return removed;
}

absl::StatusOr<std::int64_t> TrustStore::RevocationGeneration() {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<Statement> query =
      db_.Prepare("SELECT revocation_generation FROM trust_state WHERE singleton = 1");
  if (!query.ok()) {
    return query.status();
  }
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) {
    return row.status();
  }
  if (!*row) {
    return absl::DataLossError("trust_state has no row");
  }
  return query->ColumnInt64(0);
}

}  // namespace mamori::collector
