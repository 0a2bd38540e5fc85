#include "collector/cli/user_commands.h"

#include <filesystem>
#include <iostream>
#include <optional>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "collector/cli/audit_commands.h"
#include "collector/cli/host_listing.h"
#include "collector/cli/password_prompt.h"
#include "collector/people/console_password.h"
#include "collector/people/user_bundle.h"
#include "collector/server/collector_identity.h"
#include "collector/storage/audit_log.h"
#include "collector/storage/trust_store.h"
#include "collector/storage/user_store.h"
#include "nlohmann/json.hpp"
#include "openssl/crypto.h"
#include "spdlog/spdlog.h"

namespace mamori::collector {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitRuntimeError = 1;
constexpr int kExitUsage = 2;
// The file `serve` stores in (see main.cc).
constexpr char kDatabaseFile[] = "mamori.db";

int Fail(const absl::Status& status) {
  spdlog::error("{}", std::string(status.message()));
  return kExitRuntimeError;
}

std::string UserState(const UserInfo& user, absl::Time now) {
  if (user.revoked_at.has_value()) {
    return "revoked";
  }
  if (!user.certificate_expires_at.has_value() && user.console_password) {
    return "console only";
  }
  if (!user.certificate_expires_at.has_value() || *user.certificate_expires_at <= now) {
    return user.console_password ? "console only (certificate expired)" : "expired";
  }
  return "active";
}

// Reads a new password (password_prompt.h) and returns its hash; the password itself does not
// outlive this function.
absl::StatusOr<std::string> ReadAndHashPassword() {
  absl::StatusOr<std::string> password = ReadNewConsolePassword();
  if (!password.ok()) {
    return password.status();
  }
  absl::StatusOr<std::string> hash = HashConsolePassword(*password);
  OPENSSL_cleanse(password->data(), password->size());
  return hash;
}

}  // namespace

UserCommands::UserCommands(CLI::App& app) {
  user_ = app.add_subcommand("user", "People who use mamorictl and the console (admin, vendor)");
  user_->require_subcommand(1);

  add_ = user_->add_subcommand(
      "add",
      "Add a person: a client certificate bundle for mamorictl (--out) and/or a console password "
      "(--password)");
  add_->add_option("--data-dir", data_dir_, "The directory `serve` uses")->required();
  add_->add_option("--name", name_, "The person's name (the certificate's CN)")->required();
  add_->add_option("--role", role_, "admin or vendor")
      ->required()
      ->check(CLI::IsMember({"admin", "vendor"}));
  add_->add_option("--out", out_dir_,
                   "Directory for the certificate bundle (created 0700; files 0600); may be "
                   "left out with --password for a console-only person");
  add_->add_flag("--password", set_password_,
                 "Also set a console password, read from the terminal without echo (or one line "
                 "of standard input when it is not a terminal); at least 13 characters");
  add_->add_flag("--p12", pkcs12_, "Also write client.p12 (PKCS#12, AES-256, PBKDF2)");
  add_->add_option("--passphrase-file", passphrase_file_,
                   "File holding the PKCS#12 passphrase (never pass it on the command line)");

  list_ = user_->add_subcommand("list", "List people, their role and certificate state");
  list_->add_option("--data-dir", data_dir_, "The directory `serve` uses")->required();
  list_->add_option("--format", format_, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();

  revoke_ = user_->add_subcommand("revoke", "Revoke a person and all their certificates");
  revoke_->add_option("name", name_, "The person's name")->required();
  revoke_->add_option("--data-dir", data_dir_, "The directory `serve` uses")->required();

  password_ = user_->add_subcommand(
      "password",
      "Set or change a person's console password (read from the terminal without echo, or one "
      "line of standard input); their console sessions end");
  password_->add_option("name", name_, "The person's name")->required();
  password_->add_option("--data-dir", data_dir_, "The directory `serve` uses")->required();
}

int UserCommands::Run() const {
  if (add_->parsed()) {
    return Add();
  }
  if (list_->parsed()) {
    return List();
  }
  if (password_->parsed()) {
    return Password();
  }
  return Revoke();
}

int UserCommands::Add() const {
  absl::StatusOr<UserRole> role = ParseUserRole(role_);
  if (!role.ok()) {
    spdlog::error("{}", std::string(role.status().message()));
    return kExitUsage;
  }
  if (absl::Status valid = ValidateUserName(name_); !valid.ok()) {
    spdlog::error("{}", std::string(valid.message()));
    return kExitUsage;
  }
  if (pkcs12_ != !passphrase_file_.empty()) {
    spdlog::error("--p12 and --passphrase-file go together");
    return kExitUsage;
  }
  if (out_dir_.empty() && !set_password_) {
    spdlog::error(
        "give --out (a certificate bundle for mamorictl), --password (the console), or both");
    return kExitUsage;
  }
  if (out_dir_.empty() && pkcs12_) {
    spdlog::error("--p12 needs --out");
    return kExitUsage;
  }
  // Read (and checked) before anything is written, so a refused password changes nothing.
  std::optional<std::string> password_hash;
  if (set_password_) {
    absl::StatusOr<std::string> hash = ReadAndHashPassword();
    if (!hash.ok()) {
      spdlog::error("{}", std::string(hash.status().message()));
      return absl::IsInvalidArgument(hash.status()) ? kExitUsage : kExitRuntimeError;
    }
    password_hash = *std::move(hash);
  }
  std::optional<std::string> passphrase;
  if (pkcs12_) {
    absl::StatusOr<std::string> read = ReadPassphraseFile(passphrase_file_);
    if (!read.ok()) {
      spdlog::error("{}", std::string(read.status().message()));
      return absl::IsInvalidArgument(read.status()) ? kExitUsage : kExitRuntimeError;
    }
    passphrase = *std::move(read);
  }
  const std::filesystem::path data_dir(data_dir_);
  std::error_code error;
  if (!std::filesystem::is_directory(data_dir, error)) {
    spdlog::error("--data-dir {} is not a directory (is it the one `serve` uses?)", data_dir_);
    return kExitRuntimeError;
  }
  const absl::Time now = absl::Now();
  absl::StatusOr<pki::CertificateAuthority> ca = LoadOrCreateCollectorCa(data_dir, now);
  if (!ca.ok()) {
    return Fail(ca.status());
  }
  const std::filesystem::path db_path = data_dir / kDatabaseFile;
  absl::StatusOr<std::unique_ptr<UserStore>> users =
      UserStore::Open(db_path, Database::OpenMode::kCreateIfMissing);
  if (!users.ok()) {
    return Fail(users.status());
  }
  // Checked before any file is written; AddUser checks again inside its transaction.
  absl::StatusOr<std::vector<UserInfo>> existing = (*users)->ListUsers();
  if (!existing.ok()) {
    return Fail(existing.status());
  }
  for (const UserInfo& user : *existing) {
    if (user.name == name_ && !user.revoked_at.has_value()) {
      spdlog::error("user '{}' already exists; `user revoke` them first to issue a new certificate",
                    name_);
      return kExitRuntimeError;
    }
  }
  if (out_dir_.empty()) {
    // A person of the console only: no certificate.
    if (absl::Status added = (*users)->AddConsoleUser(name_, *role, *password_hash, now);
        !added.ok()) {
      return Fail(added);
    }
    RecordLocalAction(
        data_dir, "user.add", name_,
        absl::StrCat("role=", UserRoleName(*role), " console password set, no certificate"),
        AuditOutcome::kOk);
    std::cout << "added " << UserRoleName(*role) << " " << name_
              << " for the console (no certificate for mamorictl)" << std::endl;
    return kExitOk;
  }
  absl::StatusOr<UserBundle> bundle = WriteUserBundle(*ca, name_, *role, out_dir_, passphrase, now);
  if (!bundle.ok()) {
    return Fail(bundle.status());
  }
  if (absl::Status added = (*users)->AddUser(bundle->record, now); !added.ok()) {
    // The certificate is useless without its row; do not leave a key lying around for it.
    for (const char* file : {kUserKeyFile, kUserCertificateFile, kUserCaFile, kUserPkcs12File}) {
      std::filesystem::remove(bundle->directory / file, error);
    }
    return Fail(added);
  }
  RecordLocalAction(data_dir, "user.add", name_,
                    absl::StrCat("role=", UserRoleName(*role), " serial=", bundle->record.serial,
                                 " expires=", FormatTrustTime(bundle->record.not_after),
                                 " pkcs12=", bundle->has_pkcs12 ? "yes" : "no"),
                    AuditOutcome::kOk);
  if (password_hash.has_value()) {
    if (absl::Status set = (*users)->SetConsolePassword(name_, *password_hash, now); !set.ok()) {
      RecordLocalAction(data_dir, "user.password", name_, std::string(set.message()),
                        AuditOutcome::kFailed);
      return Fail(set);
    }
    RecordLocalAction(data_dir, "user.password", name_, "console password set", AuditOutcome::kOk);
    std::cout << "console password set for " << name_ << "\n";
  }
  std::cout << "issued a " << UserRoleName(*role) << " certificate for " << name_ << "\n"
            << "  serial      " << bundle->record.serial << "\n"
            << "  fingerprint " << bundle->fingerprint << "\n"
            << "  expires     " << FormatTrustTime(bundle->record.not_after) << "\n"
            << "  bundle      " << bundle->directory.string() << " (" << kUserKeyFile << ", "
            << kUserCertificateFile << ", " << kUserCaFile
            << (bundle->has_pkcs12 ? absl::StrCat(", ", kUserPkcs12File) : "") << ")\n"
            << "Hand the bundle over in person or on a medium you control, then delete it here."
            << std::endl;
  return kExitOk;
}

int UserCommands::List() const {
  const std::filesystem::path db_path = std::filesystem::path(data_dir_) / kDatabaseFile;
  absl::StatusOr<std::unique_ptr<UserStore>> users =
      UserStore::Open(db_path, Database::OpenMode::kExistingOnly);
  if (!users.ok()) {
    return Fail(users.status());
  }
  absl::StatusOr<std::vector<UserInfo>> list = (*users)->ListUsers();
  if (!list.ok()) {
    return Fail(list.status());
  }
  const absl::Time now = absl::Now();
  if (format_ == "json") {
    nlohmann::json array = nlohmann::json::array();
    for (const UserInfo& user : *list) {
      array.push_back({{"name", user.name},
                       {"role", std::string(UserRoleName(user.role))},
                       {"state", UserState(user, now)},
                       {"console_password", user.console_password},
                       {"created_at", FormatTrustTime(user.created_at)},
                       {"revoked_at", user.revoked_at.has_value()
                                          ? nlohmann::json(FormatTrustTime(*user.revoked_at))
                                          : nlohmann::json(nullptr)},
                       {"certificate_expires_at",
                        user.certificate_expires_at.has_value()
                            ? nlohmann::json(FormatTrustTime(*user.certificate_expires_at))
                            : nlohmann::json(nullptr)}});
    }
    std::cout << array.dump(2) << "\n";
  } else {
    std::vector<std::vector<std::string>> rows = {
        {"NAME", "ROLE", "STATE", "CREATED", "CERTIFICATE EXPIRES"}};
    for (const UserInfo& user : *list) {
      rows.push_back({user.name, std::string(UserRoleName(user.role)), UserState(user, now),
                      FormatTrustTime(user.created_at),
                      user.certificate_expires_at.has_value()
                          ? FormatTrustTime(*user.certificate_expires_at)
                          : "-"});
    }
    std::vector<std::size_t> widths(rows.front().size(), 0);
    for (const auto& row : rows) {
      for (std::size_t column = 0; column < row.size(); ++column) {
        widths[column] = std::max(widths[column], DisplayWidth(row[column]));
      }
    }
    for (const auto& row : rows) {
      std::string line;
      for (std::size_t column = 0; column < row.size(); ++column) {
        line += row[column];
        if (column + 1 < row.size()) {
          line.append(widths[column] - DisplayWidth(row[column]) + 2, ' ');
        }
      }
      std::cout << line << "\n";
    }
  }
  std::cout.flush();
  return std::cout ? kExitOk : kExitRuntimeError;
}

int UserCommands::Password() const {
  const std::filesystem::path db_path = std::filesystem::path(data_dir_) / kDatabaseFile;
  absl::StatusOr<std::unique_ptr<UserStore>> users =
      UserStore::Open(db_path, Database::OpenMode::kExistingOnly);
  if (!users.ok()) {
    return Fail(users.status());
  }
  absl::StatusOr<std::string> hash = ReadAndHashPassword();
  if (!hash.ok()) {
    spdlog::error("{}", std::string(hash.status().message()));
    return absl::IsInvalidArgument(hash.status()) ? kExitUsage : kExitRuntimeError;
  }
  if (absl::Status set = (*users)->SetConsolePassword(name_, *hash, absl::Now()); !set.ok()) {
    RecordLocalAction(data_dir_, "user.password", name_, std::string(set.message()),
                      AuditOutcome::kFailed);
    return Fail(set);
  }
  // A running console checks the password's time on every request and ends older sessions.
  RecordLocalAction(data_dir_, "user.password", name_, "console password changed",
                    AuditOutcome::kOk);
  std::cout << "console password set for " << name_ << "; their console sessions end" << std::endl;
  return kExitOk;
}

int UserCommands::Revoke() const {
  const std::filesystem::path db_path = std::filesystem::path(data_dir_) / kDatabaseFile;
  absl::StatusOr<std::unique_ptr<UserStore>> users =
      UserStore::Open(db_path, Database::OpenMode::kExistingOnly);
  if (!users.ok()) {
    return Fail(users.status());
  }
  const absl::Time now = absl::Now();
  absl::StatusOr<int> revoked = (*users)->RevokeUser(name_, now);
  if (!revoked.ok()) {
    RecordLocalAction(data_dir_, "user.revoke", name_, std::string(revoked.status().message()),
                      AuditOutcome::kFailed);
    return Fail(revoked.status());
  }
  RecordLocalAction(data_dir_, "user.revoke", name_,
                    absl::StrCat("certificates_revoked=", *revoked), AuditOutcome::kOk);
  // Every RPC checks the certificate against the database, so the next call is refused; there is
  // no stream to close.
  std::cout << "revoked user " << name_ << " (" << *revoked << " certificate(s))" << std::endl;
  return kExitOk;
}

}  // namespace mamori::collector
