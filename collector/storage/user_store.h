// The people who may use mamorictl (admins and vendors) and the client certificates issued to them:
// what the Authorizer checks a person's certificate against, and what `user add|list|revoke`
// change.
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

// vendor = read-only (hosts, findings, accounts, reports); admin = also manages tokens, hosts and
// account reviews. The names are also the OU of the person's certificate.
enum class UserRole { kAdmin, kVendor };

absl::string_view UserRoleName(UserRole role);
// "admin" or "vendor"; INVALID_ARGUMENT otherwise.
absl::StatusOr<UserRole> ParseUserRole(absl::string_view text);

// A user name becomes a certificate CN, an audit actor and a column in a terminal table: 1..64
// bytes of UTF-8 (Japanese names welcome), no control characters, no ':' (reserved for
// "local:<os user>" actors in the audit log), no '/' or '\', no leading or trailing space.
// INVALID_ARGUMENT "--name: <reason>" otherwise.
absl::Status ValidateUserName(absl::string_view name);

inline constexpr std::size_t kMaxUserNameBytes = 64;

// One certificate issued to a person.
struct UserCertificateRecord {
  std::string serial;  // lowercase hex, as pki::Certificate::SerialHex
  std::string user_name;
  UserRole role = UserRole::kVendor;
  absl::Time not_before;
  absl::Time not_after;
  absl::Time issued_at;
  std::optional<absl::Time> revoked_at;       // this certificate
  std::optional<absl::Time> user_revoked_at;  // its person
};

// A person as `user list` shows them.
struct UserInfo {
  std::string name;
  UserRole role = UserRole::kVendor;
  absl::Time created_at;
  std::optional<absl::Time> revoked_at;
  // Latest not_after among the person's unrevoked certificates; nullopt when none.
  std::optional<absl::Time> certificate_expires_at;
  // Has a console password set since they were last added (schema version 6).
  bool console_password = false;
};

// What the console needs to log a person in (schema version 6): an active person with a password
// set since they were last (re)added.
struct ConsoleLogin {
  std::string name;
  UserRole role = UserRole::kVendor;
  std::string password_hash;  // collector/people/console_password.h
  absl::Time password_set_at;
};

class UserStore {
 public:
  static absl::StatusOr<std::unique_ptr<UserStore>> Open(const std::filesystem::path& path,
                                                         Database::OpenMode mode);

  // Records the person (new, or revoked before: they start again with this role) and their first
  // certificate in one transaction. ALREADY_EXISTS when an active person already has this name.
  absl::Status AddUser(const UserCertificateRecord& certificate, absl::Time now);

  // Ordered by name.
  absl::StatusOr<std::vector<UserInfo>> ListUsers();

  // Revokes the person and every certificate of theirs; returns how many certificates were
  // revoked now. NOT_FOUND for an unknown name; revoking twice keeps the first time.
  absl::StatusOr<int> RevokeUser(absl::string_view name, absl::Time now);

  // Records a person who uses the console only (no certificate) with their password hash, in one
  // transaction; like AddUser, a revoked name starts again. ALREADY_EXISTS for an active person.
  absl::Status AddConsoleUser(absl::string_view name, UserRole role,
                              absl::string_view password_hash, absl::Time now);

  // Sets or replaces the console password hash of the active person `name`. NOT_FOUND when there
  // is no such active person.
  absl::Status SetConsolePassword(absl::string_view name, absl::string_view password_hash,
                                  absl::Time now);

  // The active person `name` with their console password; nullopt when there is no such active
  // person or they have no password (set since they were last added).
  absl::StatusOr<std::optional<ConsoleLogin>> FindConsoleLogin(absl::string_view name);

  // The certificate with `serial`, with its person's revocation; nullopt when unknown.
  absl::StatusOr<std::optional<UserCertificateRecord>> FindCertificate(absl::string_view serial);

 private:
  explicit UserStore(Database db) : db_(std::move(db)) {}

  absl::Mutex mu_;
  Database db_ ABSL_GUARDED_BY(mu_);
};

}  // namespace mamori::collector
