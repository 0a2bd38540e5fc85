// People and the audit log without a server: the users table, name validation, the person's
// certificate bundle (PEM and PKCS#12) and the triggers that keep the audit log append-only.
#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <memory>
#include <string>

#include "collector/people/user_bundle.h"
#include "collector/pki/key_files.h"
#include "collector/pki/openssl_handles.h"
#include "collector/storage/audit_log.h"
#include "collector/storage/schema.h"
#include "collector/storage/user_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/collector/temp_dir.h"

namespace mamori::collector {
namespace {

using ::mamori::collector::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::SizeIs;

class PeopleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<UserStore>> users =
        UserStore::Open(DatabasePath(), Database::OpenMode::kCreateIfMissing);
    ASSERT_TRUE(users.ok()) << users.status();
    users_ = *std::move(users);
    absl::StatusOr<std::unique_ptr<AuditLog>> audit =
        AuditLog::Open(DatabasePath(), Database::OpenMode::kExistingOnly);
    ASSERT_TRUE(audit.ok()) << audit.status();
    audit_ = *std::move(audit);
    absl::StatusOr<pki::CertificateAuthority> ca =
        pki::CertificateAuthority::Create("mamori test CA", now_ - absl::Hours(1));
    ASSERT_TRUE(ca.ok()) << ca.status();
    ca_.emplace(*std::move(ca));
  }

  std::filesystem::path DatabasePath() const { return dir_.path() / "mamori.db"; }

  // What the sqlite3 shell would do: the same file, no mamori code in between.
  std::string RawExec(const std::string& sql) {
    sqlite3* db = nullptr;
    sqlite3_open(DatabasePath().c_str(), &db);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    std::string message = rc == SQLITE_OK ? "" : (error != nullptr ? error : "error");
    sqlite3_free(error);
    sqlite3_close(db);
    return message;
  }

  UserBundle Issue(const std::string& name, UserRole role,
                   const std::optional<std::string>& passphrase = std::nullopt) {
    absl::StatusOr<UserBundle> bundle =
        WriteUserBundle(*ca_, name, role, dir_.path() / ("out-" + name), passphrase, now_);
    EXPECT_TRUE(bundle.ok()) << bundle.status();
    return *std::move(bundle);
  }

  TempDir dir_;
  absl::Time now_ = absl::FromUnixSeconds(1'790'000'000);
  std::unique_ptr<UserStore> users_;
  std::unique_ptr<AuditLog> audit_;
  std::optional<pki::CertificateAuthority> ca_;
};

TEST(UserName, AcceptsJapaneseAndPlainNames) {
  EXPECT_TRUE(ValidateUserName("vendor-sato").ok());
  EXPECT_TRUE(ValidateUserName("佐藤 花子").ok());
  EXPECT_TRUE(ValidateUserName(std::string(kMaxUserNameBytes, 'a')).ok());
}

TEST(UserName, RefusesEmptyLongControlAndSeparatorCharacters) {
  EXPECT_FALSE(ValidateUserName("").ok());
  EXPECT_FALSE(ValidateUserName(std::string(kMaxUserNameBytes + 1, 'a')).ok());
  EXPECT_THAT(ValidateUserName("sato\x1b[31m").message(), HasSubstr("control character"));
  EXPECT_THAT(ValidateUserName("sato\xc2\x85").message(), HasSubstr("control character"));
  EXPECT_THAT(ValidateUserName("local:root").message(), HasSubstr("':'"));
  EXPECT_FALSE(ValidateUserName("../etc").ok());
  EXPECT_FALSE(ValidateUserName(" sato").ok());
  EXPECT_THAT(ValidateUserName("\xff\xfe").message(), HasSubstr("UTF-8"));
}

TEST_F(PeopleTest, BundleBindsNameAndRoleToTheCertificateAndWritesOwnerOnlyFiles) {
  const UserBundle bundle = Issue("佐藤 花子", UserRole::kVendor);
  absl::StatusOr<std::string> pem = pki::ReadSmallFile(bundle.directory / kUserCertificateFile);
  ASSERT_TRUE(pem.ok());
  absl::StatusOr<pki::Certificate> cert = pki::Certificate::FromPem(*pem);
  ASSERT_TRUE(cert.ok());
  EXPECT_EQ(cert->CommonName(), "佐藤 花子");
  EXPECT_EQ(cert->OrganizationalUnit(), "vendor");
  EXPECT_EQ(cert->SerialHex(), bundle.record.serial);
  EXPECT_EQ(cert->NotAfter(), now_ + kUserCertificateLifetime);
  EXPECT_TRUE(
      pki::VerifyIssuedBy(*cert, ca_->certificate(), now_, pki::ChainPurpose::kClient).ok());
  absl::StatusOr<pki::PrivateKey> key =
      pki::PrivateKey::FromPem(*pki::ReadSmallFile(bundle.directory / kUserKeyFile));
  ASSERT_TRUE(key.ok());
  EXPECT_TRUE(cert->MatchesKey(*key));
  for (const char* file : {kUserKeyFile, kUserCertificateFile, kUserCaFile}) {
    struct stat info {};
    ASSERT_EQ(stat((bundle.directory / file).c_str(), &info), 0) << file;
    EXPECT_EQ(info.st_mode & 0777, 0600u) << file;
  }
  struct stat dir_info {};
  ASSERT_EQ(stat(bundle.directory.c_str(), &dir_info), 0);
  EXPECT_EQ(dir_info.st_mode & 0777, 0700u);
}

TEST_F(PeopleTest, BundleRefusesANonEmptyDirectoryWithoutWritingAnything) {
  const std::filesystem::path out = dir_.path() / "out";
  ASSERT_TRUE(pki::MakeOwnerOnlyDirectory(out).ok());
  ASSERT_TRUE(pki::WriteNewSecretFile(out / kUserCaFile, "old").ok());
  absl::StatusOr<UserBundle> bundle =
      WriteUserBundle(*ca_, "sato", UserRole::kAdmin, out, std::nullopt, now_);
  EXPECT_EQ(bundle.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_FALSE(std::filesystem::exists(out / kUserKeyFile));
  EXPECT_EQ(*pki::ReadSmallFile(out / kUserCaFile), "old");
}

TEST_F(PeopleTest, Pkcs12OpensWithThePassphraseAndNotWithout) {
  const std::string passphrase = "correct horse battery";
  const UserBundle bundle = Issue("admin-tanaka", UserRole::kAdmin, passphrase);
  absl::StatusOr<std::string> der = pki::ReadSmallFile(bundle.directory / kUserPkcs12File);
  ASSERT_TRUE(der.ok());
  pki::BioPtr bio(BIO_new_mem_buf(der->data(), static_cast<int>(der->size())));
  std::unique_ptr<PKCS12, pki::OpenSslDeleter<&PKCS12_free>> p12(
      d2i_PKCS12_bio(bio.get(), nullptr));
  ASSERT_NE(p12, nullptr);

  EXPECT_EQ(PKCS12_verify_mac(p12.get(), "", 0), 0);
  EXPECT_EQ(PKCS12_verify_mac(p12.get(), nullptr, 0), 0);
  EXPECT_EQ(PKCS12_verify_mac(p12.get(), "correct horse batterY", -1), 0);
  EVP_PKEY* wrong_key = nullptr;
  X509* wrong_cert = nullptr;
  EXPECT_EQ(PKCS12_parse(p12.get(), "wrong passphrase", &wrong_key, &wrong_cert, nullptr), 0);
  EXPECT_EQ(wrong_key, nullptr);
  ERR_clear_error();

  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  STACK_OF(X509)* chain = nullptr;
  ASSERT_EQ(PKCS12_parse(p12.get(), passphrase.c_str(), &key, &cert, &chain), 1);
  pki::EvpPkeyPtr owned_key(key);
  pki::X509Ptr owned_cert(cert);
  const pki::Certificate parsed = pki::Certificate::Share(cert);
  EXPECT_EQ(parsed.SerialHex(), bundle.record.serial);
  EXPECT_EQ(parsed.CommonName(), "admin-tanaka");
  ASSERT_EQ(sk_X509_num(chain), 1);
  EXPECT_EQ(pki::Certificate::Share(sk_X509_value(chain, 0)).Fingerprint(),
            ca_->certificate().Fingerprint());
  sk_X509_pop_free(chain, X509_free);
}

TEST_F(PeopleTest, PassphraseFileDropsOneNewlineAndRefusesShortOnes) {
  ASSERT_TRUE(pki::WriteNewSecretFile(dir_.path() / "p1", "long enough pass\n").ok());
  EXPECT_EQ(*ReadPassphraseFile(dir_.path() / "p1"), "long enough pass");
  ASSERT_TRUE(pki::WriteNewSecretFile(dir_.path() / "p2", "short\r\n").ok());
  EXPECT_EQ(ReadPassphraseFile(dir_.path() / "p2").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadPassphraseFile(dir_.path() / "absent").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(PeopleTest, AddListRevokeAndAddAgain) {
  const UserBundle first = Issue("sato", UserRole::kVendor);
  ASSERT_TRUE(users_->AddUser(first.record, now_).ok());
  EXPECT_EQ(users_->AddUser(first.record, now_).code(), absl::StatusCode::kAlreadyExists);

  absl::StatusOr<std::optional<UserCertificateRecord>> found =
      users_->FindCertificate(first.record.serial);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->user_name, "sato");
  EXPECT_EQ((*found)->role, UserRole::kVendor);
  EXPECT_FALSE((*found)->revoked_at.has_value());

  EXPECT_EQ(*users_->RevokeUser("sato", now_ + absl::Hours(1)), 1);
  EXPECT_EQ(*users_->RevokeUser("sato", now_ + absl::Hours(2)), 0);
  EXPECT_EQ(users_->RevokeUser("nobody", now_).status().code(), absl::StatusCode::kNotFound);
  found = users_->FindCertificate(first.record.serial);
  EXPECT_EQ((*found)->revoked_at, now_ + absl::Hours(1));

  // Back as an admin with a new certificate; the old one stays revoked.
  UserBundle second = Issue("sato-2", UserRole::kAdmin);
  second.record.user_name = "sato";
  ASSERT_TRUE(users_->AddUser(second.record, now_ + absl::Hours(3)).ok());
  absl::StatusOr<std::vector<UserInfo>> users = users_->ListUsers();
  ASSERT_TRUE(users.ok());
  ASSERT_THAT(*users, SizeIs(1));
  EXPECT_EQ((*users)[0].role, UserRole::kAdmin);
  EXPECT_FALSE((*users)[0].revoked_at.has_value());
  EXPECT_TRUE((*users_->FindCertificate(first.record.serial))->revoked_at.has_value());
  EXPECT_FALSE((*users_->FindCertificate(second.record.serial))->user_revoked_at.has_value());
}

TEST_F(PeopleTest, AuditLogRecordsAndListsSinceATime) {
  ASSERT_TRUE(
      audit_
          ->Record({"local:root", "local", "user.add", "sato", "role=vendor", AuditOutcome::kOk},
                   now_)
          .ok());
  ASSERT_TRUE(audit_
                  ->Record({"sato", "vendor", "CollectorAdmin/RemoveHost", "", "role vendor...",
                            AuditOutcome::kRefused},
                           now_ + absl::Milliseconds(1500))
                  .ok());
  absl::StatusOr<std::vector<AuditEvent>> all = audit_->List(std::nullopt, 100);
  ASSERT_TRUE(all.ok());
  ASSERT_THAT(*all, SizeIs(2));
  EXPECT_EQ((*all)[0].entry.action, "user.add");
  EXPECT_EQ((*all)[1].at, now_ + absl::Milliseconds(1500));
  absl::StatusOr<std::vector<AuditEvent>> since = audit_->List(now_ + absl::Seconds(1), 100);
  ASSERT_THAT(*since, SizeIs(1));
  EXPECT_EQ((*since)[0].entry.outcome, AuditOutcome::kRefused);
  absl::StatusOr<std::vector<AuditEvent>> newest = audit_->List(std::nullopt, 1);
  ASSERT_THAT(*newest, SizeIs(1));
  EXPECT_EQ((*newest)[0].entry.actor, "sato");
}

TEST_F(PeopleTest, AuditTriggersRefuseUpdateAndDelete) {
  ASSERT_TRUE(
      audit_->Record({"local:root", "local", "user.add", "sato", "", AuditOutcome::kOk}, now_)
          .ok());
  EXPECT_THAT(RawExec("UPDATE audit_events SET actor = 'someone else'"),
              HasSubstr("audit log is append-only"));
  EXPECT_THAT(RawExec("DELETE FROM audit_events"), HasSubstr("audit log is append-only"));
  absl::StatusOr<std::vector<AuditEvent>> events = audit_->List(std::nullopt, 10);
  ASSERT_THAT(*events, SizeIs(1));
  EXPECT_EQ((*events)[0].entry.actor, "local:root");
}

TEST_F(PeopleTest, AuditTextCannotForgeTerminalLinesAndIsBounded) {
  ASSERT_TRUE(audit_
                  ->Record({"agent\n2026-01-01 admin ok", "agent", "x\x1b[2J", "",
                            std::string(10'000, 'd'), AuditOutcome::kRefused},
                           now_)
                  .ok());
  const AuditEvent event = (*audit_->List(std::nullopt, 1))[0];
  EXPECT_EQ(event.entry.actor.find('\n'), std::string::npos);
  EXPECT_EQ(event.entry.action.find('\x1b'), std::string::npos);
  EXPECT_EQ(event.entry.detail.size(), kMaxAuditFieldBytes);
  EXPECT_EQ(SanitizeAuditText("日本語", 7), "日本");
}

}  // namespace
}  // namespace mamori::collector
