#include "agent/agent_credentials.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "absl/time/clock.h"
#include "collector/pki/certificate_authority.h"
#include "collector/pki/key_files.h"

namespace mamori::agent {
namespace {

class AgentCredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("agent-credentials-" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    ASSERT_TRUE(pki::MakeOwnerOnlyDirectory(dir_).ok());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  pki::Certificate Issue(const pki::PrivateKey& key, const std::string& id, absl::Time not_before,
                         absl::Time not_after) {
    absl::StatusOr<pki::CertificateRequest> csr = pki::CertificateRequest::Create(key, "x");
    return *ca_.IssueClientCertificate(*csr, {pki::kAgentRole, id}, not_before, not_after);
  }

  std::filesystem::path dir_;
  pki::CertificateAuthority ca_ = *pki::CertificateAuthority::Create("test CA", absl::Now());
};

TEST_F(AgentCredentialsTest, RenewalIsDueFromTwoThirdsOfTheLifetime) {
  const pki::PrivateKey key = *pki::PrivateKey::GenerateP256();
  const absl::Time start = absl::FromUnixSeconds(1'750'000'000);
  const pki::Certificate cert = Issue(key, "a", start, start + absl::Hours(24 * 90));
  EXPECT_FALSE(RenewalDue(cert, start + absl::Hours(24 * 59)));
  EXPECT_TRUE(RenewalDue(cert, start + absl::Hours(24 * 60)));
  EXPECT_TRUE(RenewalDue(cert, start + absl::Hours(24 * 100)));
}

TEST_F(AgentCredentialsTest, StoresAnIssuedCertificateAndLoadsItBack) {
  EXPECT_FALSE(LoadAgentCredentials(dir_)->has_value()) << "not enrolled yet";
  const pki::PrivateKey key = *pki::PrivateKey::GenerateP256();
  const std::string key_pem = *key.ToPem();
  ASSERT_TRUE(pki::WriteNewSecretFile(dir_ / kKeyFile, key_pem).ok());
  ASSERT_TRUE(pki::ReplacePublicFile(dir_ / kCaFile, ca_.certificate().Pem()).ok());
  const pki::Certificate cert =
      Issue(key, "agent-a", absl::Now() - absl::Hours(1), absl::Now() + absl::Hours(1));
  absl::StatusOr<AgentCredentials> stored =
      StoreIssuedCertificate(dir_, ca_.certificate().Pem(), key_pem, "agent-a", cert.Der());
  ASSERT_TRUE(stored.ok()) << stored.status();
  absl::StatusOr<std::optional<AgentCredentials>> loaded = LoadAgentCredentials(dir_);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ((*loaded)->agent_id(), "agent-a");
}

TEST_F(AgentCredentialsTest, RefusesACertificateForAnotherKeyOrAnotherAgent) {
  const pki::PrivateKey key = *pki::PrivateKey::GenerateP256();
  const pki::PrivateKey other = *pki::PrivateKey::GenerateP256();
  const pki::Certificate for_other =
      Issue(other, "agent-a", absl::Now() - absl::Hours(1), absl::Now() + absl::Hours(1));
  EXPECT_FALSE(StoreIssuedCertificate(dir_, ca_.certificate().Pem(), *key.ToPem(), "agent-a",
                                      for_other.Der())
                   .ok());
  const pki::Certificate for_b =
      Issue(key, "agent-b", absl::Now() - absl::Hours(1), absl::Now() + absl::Hours(1));
  EXPECT_FALSE(
      StoreIssuedCertificate(dir_, ca_.certificate().Pem(), *key.ToPem(), "agent-a", for_b.Der())
          .ok());
  EXPECT_FALSE(std::filesystem::exists(dir_ / kCertificateFile));
}

}  // namespace
}  // namespace mamori::agent
