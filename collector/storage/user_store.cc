#include "collector/storage/user_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "collector/ingest/validate.h"
#include "collector/storage/schema.h"
#include "collector/storage/stored_time.h"
#include "collector/storage/trust_store.h"

namespace mamori::collector {
namespace {

// True for U+0000..U+001F, U+007F..U+009F given the UTF-8 bytes of one name.
bool HasControlCharacter(absl::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7f) {
      return true;
    }
    // C1 controls are encoded as C2 80..C2 9F.
    if (byte == 0xc2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9f) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

absl::string_view UserRoleName(UserRole role) {
  switch (role) {
    case UserRole::kAdmin:
      return "admin";
    case UserRole::kVendor:
      return "vendor";
  }
  return "vendor";
}

absl::StatusOr<UserRole> ParseUserRole(absl::string_view text) {
  if (text == "admin") {
    return UserRole::kAdmin;
  }
  if (text == "vendor") {
    return UserRole::kVendor;
  }
  return absl::InvalidArgumentError(absl::StrCat("--role: '", text, "' is not admin or vendor"));
}

absl::Status ValidateUserName(absl::string_view name) {
  if (name.empty() || name.size() > kMaxUserNameBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("--name: must be 1 to ", kMaxUserNameBytes, " bytes"));
  }
  if (!IsValidUtf8(name)) {
    return absl::InvalidArgumentError("--name: not valid UTF-8");
  }
  if (HasControlCharacter(name)) {
    return absl::InvalidArgumentError("--name: contains a control character");
  }
  if (name.find_first_of(":/\\") != absl::string_view::npos) {
    return absl::InvalidArgumentError("--name: may not contain ':', '/' or '\\'");
  }
  if (name.front() == ' ' || name.back() == ' ') {
    return absl::InvalidArgumentError("--name: may not start or end with a space");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<UserStore>> UserStore::Open(const std::filesystem::path& path,
                                                           Database::OpenMode mode) {
  absl::StatusOr<Database> db = Database::Open(path, mode, CollectorSchema());
  if (!db.ok()) {
    return db.status();
  }
  return std::unique_ptr<UserStore>(new UserStore(*std::move(db)));
}

absl::Status UserStore::AddUser(const UserCertificateRecord& certificate, absl::Time now) {
  if (absl::Status valid = ValidateUserName(certificate.user_name); !valid.ok()) {
    return valid;
  }
  const std::string role(UserRoleName(certificate.role));
  const std::string now_text = FormatTrustTime(now);
  absl::MutexLock lock(&mu_);
  absl::StatusOr<Transaction> transaction = Transaction::Begin(db_);
  if (!transaction.ok()) {
    return transaction.status();
  }
  {
    absl::StatusOr<Statement> existing =
        db_.Query("SELECT revoked_at IS NULL FROM users WHERE name = ?1", {certificate.user_name});
    if (!existing.ok()) {
      return existing.status();
    }
    absl::StatusOr<bool> row = existing->Step();
    if (!row.ok()) {
      return row.status();
    }
    if (*row && existing->ColumnInt64(0) != 0) {
      return absl::AlreadyExistsError(
          absl::StrCat("user '", certificate.user_name,
                       "' already exists; `user revoke` them first to issue a new certificate"));
    }
  }
  // A revoked person comes back with a fresh row state; their old certificates stay revoked.
  if (absl::Status status =
          db_.Run("INSERT INTO users (name, role, created_at) VALUES (?1, ?2, ?3) "
                  "ON CONFLICT (name) DO UPDATE SET role = excluded.role, created_at = "
                  "excluded.created_at, "
                  "revoked_at = NULL",
                  {certificate.user_name, role, now_text});
      !status.ok()) {
    return status;
  }
  if (absl::Status status = db_.Run(
          "INSERT INTO user_certificates (serial, user_name, role, not_before, not_after, "
          "issued_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
          {certificate.serial, certificate.user_name, role, FormatTrustTime(certificate.not_before),
           FormatTrustTime(certificate.not_after), FormatTrustTime(certificate.issued_at)});
      !status.ok()) {
    return status;
  }
  return transaction->Commit();
}

absl::StatusOr<std::vector<UserInfo>> UserStore::ListUsers() {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<Statement> query = db_.Prepare(
      "SELECT u.name, u.role, u.created_at, u.revoked_at, "
      "  (SELECT MAX(c.not_after) FROM user_certificates c "
      "   WHERE c.user_name = u.name AND c.revoked_at IS NULL), "
      "  EXISTS (SELECT 1 FROM user_passwords p WHERE p.user_name = u.name "
      "   AND julianday(p.set_at) >= julianday(u.created_at)) "
      "FROM users u ORDER BY u.name");
  if (!query.ok()) {
    return query.status();
  }
  std::vector<UserInfo> users;
  if (absl::Status status = query->ForEachRow([&](const Statement& row) -> absl::Status {
        UserInfo info;
        info.name = row.ColumnText(0);
        absl::StatusOr<UserRole> role = ParseUserRole(row.ColumnText(1));
        absl::StatusOr<absl::Time> created = ParseStoredTime(row.ColumnText(2));
        absl::StatusOr<std::optional<absl::Time>> revoked = OptionalStoredTime(row, 3);
        absl::StatusOr<std::optional<absl::Time>> expires = OptionalStoredTime(row, 4);
        if (!role.ok() || !created.ok() || !revoked.ok() || !expires.ok()) {
          return absl::DataLossError(absl::StrCat("user ", info.name, ": damaged row"));
        }
        info.role = *role;
        info.created_at = *created;
        info.revoked_at = *revoked;
        info.certificate_expires_at = *expires;
        info.console_password = row.ColumnInt64(5) != 0;
        users.push_back(std::move(info));
        return absl::OkStatus();
      });
      !status.ok()) {
    return status;
  }
  return users;
}

absl::StatusOr<int> UserStore::RevokeUser(absl::string_view name, absl::Time now) {
  const std::string now_text = FormatTrustTime(now);
  absl::MutexLock lock(&mu_);
  absl::StatusOr<Transaction> transaction = Transaction::Begin(db_);
  if (!transaction.ok()) {
    return transaction.status();
  }
  {
    absl::StatusOr<Statement> user = db_.Query(
        "UPDATE users SET revoked_at = COALESCE(revoked_at, ?2) WHERE name = ?1 RETURNING name",
        {name, now_text});
    if (!user.ok()) {
      return user.status();
    }
    absl::StatusOr<bool> found = user->Step();
    if (!found.ok()) {
      return found.status();
    }
    if (!*found) {
      return absl::NotFoundError(absl::StrCat("no user named '", name, "' (see `user list`)"));
    }
    if (absl::StatusOr<bool> done = user->Step(); !done.ok()) {
      return done.status();
    }
  }
  int revoked = 0;
  {
    absl::StatusOr<Statement> certificates = db_.Query(
        "UPDATE user_certificates SET revoked_at = ?2 WHERE user_name = ?1 AND revoked_at IS NULL "
        "RETURNING serial",
        {name, now_text});
    if (!certificates.ok()) {
      return certificates.status();
    }
    if (absl::Status status = certificates->ForEachRow([&](const Statement&) {
          ++revoked;
          return absl::OkStatus();
        });
        !status.ok()) {
      return status;
    }
  }
  if (absl::Status status = transaction->Commit(); !status.ok()) {
    return status;
  }
  return revoked;
}

absl::Status UserStore::AddConsoleUser(absl::string_view name, UserRole role,
                                       absl::string_view password_hash, absl::Time now) {
  if (absl::Status valid = ValidateUserName(name); !valid.ok()) {
    return valid;
  }
  const std::string now_text = FormatTrustTime(now);
  absl::MutexLock lock(&mu_);
  absl::StatusOr<Transaction> transaction = Transaction::Begin(db_);
  if (!transaction.ok()) {
    return transaction.status();
  }
  {
    absl::StatusOr<Statement> existing =
        db_.Query("SELECT revoked_at IS NULL FROM users WHERE name = ?1", {name});
    if (!existing.ok()) {
      return existing.status();
    }
    absl::StatusOr<bool> row = existing->Step();
    if (!row.ok()) {
      return row.status();
    }
    if (*row && existing->ColumnInt64(0) != 0) {
      return absl::AlreadyExistsError(absl::StrCat(
          "user '", name, "' already exists; use `user password` to change their password"));
    }
  }
  if (absl::Status status =
          db_.Run("INSERT INTO users (name, role, created_at) VALUES (?1, ?2, ?3) "
                  "ON CONFLICT (name) DO UPDATE SET role = excluded.role, "
                  "created_at = excluded.created_at, revoked_at = NULL",
                  {name, UserRoleName(role), now_text});
      !status.ok()) {
    return status;
  }
  if (absl::Status status =
          db_.Run("INSERT INTO user_passwords (user_name, hash, set_at) VALUES (?1, ?2, ?3) "
                  "ON CONFLICT (user_name) DO UPDATE SET hash = excluded.hash, "
                  "set_at = excluded.set_at",
                  {name, password_hash, now_text});
      !status.ok()) {
    return status;
  }
  return transaction->Commit();
}

absl::Status UserStore::SetConsolePassword(absl::string_view name, absl::string_view password_hash,
                                           absl::Time now) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<Transaction> transaction = Transaction::Begin(db_);
  if (!transaction.ok()) {
    return transaction.status();
  }
  {
    absl::StatusOr<Statement> existing =
        db_.Query("SELECT 1 FROM users WHERE name = ?1 AND revoked_at IS NULL", {name});
    if (!existing.ok()) {
      return existing.status();
    }
    absl::StatusOr<bool> row = existing->Step();
    if (!row.ok()) {
      return row.status();
    }
    if (!*row) {
      return absl::NotFoundError(
          absl::StrCat("no active user named '", name, "' (see `user list`)"));
    }
  }
  if (absl::Status status =
          db_.Run("INSERT INTO user_passwords (user_name, hash, set_at) VALUES (?1, ?2, ?3) "
                  "ON CONFLICT (user_name) DO UPDATE SET hash = excluded.hash, "
                  "set_at = excluded.set_at",
                  {name, password_hash, FormatTrustTime(now)});
      !status.ok()) {
    return status;
  }
  return transaction->Commit();
}

absl::StatusOr<std::optional<ConsoleLogin>> UserStore::FindConsoleLogin(absl::string_view name) {
  absl::MutexLock lock(&mu_);
  return db_.QueryOptionalRow<ConsoleLogin>(
      "SELECT u.name, u.role, p.hash, p.set_at FROM users u "
      "JOIN user_passwords p ON p.user_name = u.name "
      "WHERE u.name = ?1 AND u.revoked_at IS NULL "
      "AND julianday(p.set_at) >= julianday(u.created_at)",
      {name}, [](const Statement& row) -> absl::StatusOr<ConsoleLogin> {
        ConsoleLogin login;
        login.name = row.ColumnText(0);
        absl::StatusOr<UserRole> role = ParseUserRole(row.ColumnText(1));
        absl::StatusOr<absl::Time> set_at = ParseStoredTime(row.ColumnText(3));
        if (!role.ok() || !set_at.ok()) {
          return absl::DataLossError(absl::StrCat("user ", login.name, ": damaged row"));
        }
        login.role = *role;
        login.password_hash = row.ColumnText(2);
        login.password_set_at = *set_at;
        return login;
      });
}

absl::StatusOr<std::optional<UserCertificateRecord>> UserStore::FindCertificate(
    absl::string_view serial) {
  absl::MutexLock lock(&mu_);
  return db_.QueryOptionalRow<UserCertificateRecord>(
      "SELECT c.serial, c.user_name, c.role, c.not_before, c.not_after, c.issued_at, "
      "  c.revoked_at, u.revoked_at "
      "FROM user_certificates c JOIN users u ON u.name = c.user_name WHERE c.serial = ?1",
      {serial}, [](const Statement& row) -> absl::StatusOr<UserCertificateRecord> {
        UserCertificateRecord record;
        record.serial = row.ColumnText(0);
        record.user_name = row.ColumnText(1);
        absl::StatusOr<UserRole> role = ParseUserRole(row.ColumnText(2));
        absl::StatusOr<absl::Time> not_before = ParseStoredTime(row.ColumnText(3));
        absl::StatusOr<absl::Time> not_after = ParseStoredTime(row.ColumnText(4));
        absl::StatusOr<absl::Time> issued = ParseStoredTime(row.ColumnText(5));
        absl::StatusOr<std::optional<absl::Time>> revoked = OptionalStoredTime(row, 6);
        absl::StatusOr<std::optional<absl::Time>> user_revoked = OptionalStoredTime(row, 7);
        if (!role.ok() || !not_before.ok() || !not_after.ok() || !issued.ok() || !revoked.ok() ||
            !user_revoked.ok()) {
          return absl::DataLossError(
              absl::StrCat("user certificate ", record.serial, ": damaged row"));
        }
        record.role = *role;
        record.not_before = *not_before;
        record.not_after = *not_after;
        record.issued_at = *issued;
        record.revoked_at = *revoked;
        record.user_revoked_at = *user_revoked;
        return record;
      });
}

}  // namespace mamori::collector
