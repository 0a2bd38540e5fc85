// Authorizer::IdentifyCertificate: who a verified client certificate is, with the parsed fields of
// each distinct certificate remembered and what can change (revocation, removal, expiry) read
// every time.
#include "collector/server/authorization.h"

#include <memory>
#include <optional>
#include <string>

#include "absl/time/clock.h"
#include "collector/pki/certificate_authority.h"
#include "collector/storage/audit_log.h"
#include "collector/storage/trust_store.h"
#include "collector/storage/user_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/collector/temp_dir.h"
#include "tests/collector/test_pki.h"

namespace mamori::collector {
namespace {

using ::mamori::collector::testing::AgentCredentials;
using ::mamori::collector::testing::CsrFor;
using ::mamori::collector::testing::IssueRecorded;
using ::mamori::collector::testing::IssueUnrecorded;
using ::mamori::collector::testing::NewKey;
using ::mamori::collector::testing::TempDir;
using ::testing::HasSubstr;

class AuthorizationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto path = dir_.path() / "mamori.db";
    absl::StatusOr<std::unique_ptr<TrustStore>> trust =
        TrustStore::Open(path, Database::OpenMode::kCreateIfMissing);
    ASSERT_TRUE(trust.ok()) << trust.status();
    trust_ = *std::move(trust);
    absl::StatusOr<std::unique_ptr<UserStore>> users =
        UserStore::Open(path, Database::OpenMode::kExistingOnly);
    ASSERT_TRUE(users.ok()) << users.status();
    users_ = *std::move(users);
    absl::StatusOr<std::unique_ptr<AuditLog>> audit =
        AuditLog::Open(path, Database::OpenMode::kExistingOnly);
    ASSERT_TRUE(audit.ok()) << audit.status();
    audit_ = *std::move(audit);
    absl::StatusOr<pki::CertificateAuthority> ca =
        pki::CertificateAuthority::Create("mamori test CA", now_ - absl::Hours(1));
    ASSERT_TRUE(ca.ok()) << ca.status();
    ca_.emplace(*std::move(ca));
    authorizer_ = std::make_unique<Authorizer>(*trust_, *users_, *audit_);
  }

  AgentCredentials Agent(const std::string& id) {
    return IssueRecorded(*ca_, *trust_, id, now_ - absl::Minutes(1), now_ + absl::Hours(24));
  }

  // A person's certificate with OU=`role`, recorded in the users table.
  std::string Person(const std::string& name, UserRole role) {
    pki::PrivateKey key = NewKey();
    absl::StatusOr<pki::CertificateRequest> csr =
        pki::CertificateRequest::ParseAndValidate(CsrFor(key));
    absl::StatusOr<pki::Certificate> cert =
        ca_->IssueClientCertificate(*csr, {std::string(UserRoleName(role)), name},
                                    now_ - absl::Minutes(1), now_ + absl::Hours(24));
    EXPECT_TRUE(cert.ok()) << cert.status();
    const absl::Status added = users_->AddUser({cert->SerialHex(), name, role, cert->NotBefore(),
                                                cert->NotAfter(), now_, std::nullopt, std::nullopt},
                                               now_);
    EXPECT_TRUE(added.ok()) << added;
    return cert->Pem();
  }

  TempDir dir_;
  absl::Time now_ = absl::Now();
  std::unique_ptr<TrustStore> trust_;
  std::unique_ptr<UserStore> users_;
  std::unique_ptr<AuditLog> audit_;
  std::optional<pki::CertificateAuthority> ca_;
  std::unique_ptr<Authorizer> authorizer_;
};

TEST_F(AuthorizationTest, AnAgentReconnectingIsParsedOnceAndIdentifiedEveryTime) {
  const AgentCredentials agent = Agent("agent-a");
  for (int connect = 0; connect < 3; ++connect) {
    absl::StatusOr<Principal> principal =
        authorizer_->IdentifyCertificate(agent.certificate_pem, now_);
    ASSERT_TRUE(principal.ok()) << principal.status();
    EXPECT_EQ(principal->kind, PrincipalKind::kAgent);
    EXPECT_EQ(principal->id, "agent-a");
    EXPECT_EQ(principal->certificate_serial, agent.serial);
  }
  EXPECT_EQ(authorizer_->remembered_certificates(), 1u);

  const AgentCredentials other = Agent("agent-b");
  absl::StatusOr<Principal> principal =
      authorizer_->IdentifyCertificate(other.certificate_pem, now_);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->id, "agent-b");
  EXPECT_EQ(principal->certificate_serial, other.serial);
  EXPECT_EQ(authorizer_->remembered_certificates(), 2u);
}

TEST_F(AuthorizationTest, ARememberedCertificateIsRefusedOnceItsHostIsRemoved) {
  const AgentCredentials agent = Agent("agent-a");
  ASSERT_TRUE(authorizer_->IdentifyCertificate(agent.certificate_pem, now_).ok());

  ASSERT_TRUE(trust_->RemoveHost("agent-a", now_).ok());
  absl::StatusOr<Principal> principal =
      authorizer_->IdentifyCertificate(agent.certificate_pem, now_);
  EXPECT_EQ(principal.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(principal.status().message(), HasSubstr("of agent agent-a has been revoked"));
}

TEST_F(AuthorizationTest, ARememberedCertificateExpiresWithTime) {
  const AgentCredentials agent = Agent("agent-a");
  ASSERT_TRUE(authorizer_->IdentifyCertificate(agent.certificate_pem, now_).ok());
  absl::StatusOr<Principal> later =
      authorizer_->IdentifyCertificate(agent.certificate_pem, now_ + absl::Hours(25));
  EXPECT_EQ(later.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(later.status().message(), HasSubstr("has expired"));
}

TEST_F(AuthorizationTest, AnUnrecordedCertificateOfOurCaStaysUnknownEveryTime) {
  const AgentCredentials stray =
      IssueUnrecorded(*ca_, "agent-x", now_ - absl::Minutes(1), now_ + absl::Hours(1));
  for (int connect = 0; connect < 2; ++connect) {
    absl::StatusOr<Principal> principal =
        authorizer_->IdentifyCertificate(stray.certificate_pem, now_);
    EXPECT_EQ(principal.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_THAT(principal.status().message(), HasSubstr("is not known to this collector"));
  }
}

TEST_F(AuthorizationTest, APersonIsIdentifiedByRoleUntilRevoked) {
  const std::string admin = Person("sato", UserRole::kAdmin);
  const std::string vendor = Person("業者-田中", UserRole::kVendor);
  absl::StatusOr<Principal> principal = authorizer_->IdentifyCertificate(admin, now_);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->kind, PrincipalKind::kAdmin);
  EXPECT_EQ(principal->id, "sato");
  principal = authorizer_->IdentifyCertificate(vendor, now_);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->kind, PrincipalKind::kVendor);
  EXPECT_EQ(principal->id, "業者-田中");

  ASSERT_TRUE(users_->RevokeUser("sato", now_).ok());
  principal = authorizer_->IdentifyCertificate(admin, now_);
  EXPECT_EQ(principal.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(principal.status().message(), HasSubstr("of user sato has been revoked"));
}

TEST_F(AuthorizationTest, UnreadableBytesAreRefusedAndNotRemembered) {
  for (const std::string& pem :
       {std::string(), std::string("not a certificate"),
        std::string("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")}) {
    absl::StatusOr<Principal> principal = authorizer_->IdentifyCertificate(pem, now_);
    EXPECT_EQ(principal.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_THAT(principal.status().message(), HasSubstr("cannot be read"));
  }
  EXPECT_EQ(authorizer_->remembered_certificates(), 0u);
}

TEST_F(AuthorizationTest, TheMemoryIsBounded) {
  // Distinct byte strings of one certificate (PEM readers skip text before the BEGIN line) stand
  // for distinct certificates.
  Authorizer authorizer(*trust_, *users_, *audit_, /*max_remembered=*/8);
  const AgentCredentials agent = Agent("agent-a");
  for (int i = 0; i < 8; ++i) {
    const std::string pem = std::to_string(i) + "\n" + agent.certificate_pem;
    ASSERT_TRUE(authorizer.IdentifyCertificate(pem, now_).ok()) << i;
  }
  EXPECT_EQ(authorizer.remembered_certificates(), 8u);
  // The ninth starts the memory again rather than growing it.
  ASSERT_TRUE(authorizer.IdentifyCertificate("8\n" + agent.certificate_pem, now_).ok());
  EXPECT_EQ(authorizer.remembered_certificates(), 1u);
  // Identification never depended on the memory.
  ASSERT_TRUE(authorizer.IdentifyCertificate("0\n" + agent.certificate_pem, now_).ok());
}

}  // namespace
}  // namespace mamori::collector
