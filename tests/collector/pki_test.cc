#include <algorithm>
#include <filesystem>
#include <string>

#include <sys/stat.h>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "collector/pki/certificate_authority.h"
#include "collector/pki/key_files.h"
#include "collector/pki/x509.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/collector/temp_dir.h"

namespace mamori::pki {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

CertificateAuthority NewCa() {
  absl::StatusOr<CertificateAuthority> ca = CertificateAuthority::Create("test CA", absl::Now());
  EXPECT_TRUE(ca.ok()) << ca.status();
  return *std::move(ca);
}

CertificateRequest NewRequest(const PrivateKey& key, const std::string& cn = "agent") {
  absl::StatusOr<CertificateRequest> request = CertificateRequest::Create(key, cn);
  EXPECT_TRUE(request.ok()) << request.status();
  return *std::move(request);
}

TEST(CertificateAuthority, CreatesASelfSignedP256CaValidForTenYears) {
  const absl::Time now = absl::Now();
  CertificateAuthority ca = NewCa();
  EXPECT_TRUE(ca.certificate().IsCa());
  EXPECT_EQ(ca.certificate().CommonName(), "test CA");
  EXPECT_GT(ca.certificate().NotAfter(), now + absl::Hours(24 * 3649));
  EXPECT_EQ(X509_check_issued(ca.certificate().get(), ca.certificate().get()), X509_V_OK);
  EXPECT_TRUE(EVP_PKEY_is_a(ca.key().get(), "EC"));
}

TEST(CertificateAuthority, ReloadsFromPemAndRefusesAForeignKey) {
  CertificateAuthority ca = NewCa();
  absl::StatusOr<CertificateAuthority> again =
      CertificateAuthority::FromPem(*ca.key().ToPem(), ca.certificate().Pem());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->certificate().Fingerprint(), ca.certificate().Fingerprint());

  absl::StatusOr<PrivateKey> other = PrivateKey::GenerateP256();
  absl::StatusOr<CertificateAuthority> mismatched =
      CertificateAuthority::FromPem(*other->ToPem(), ca.certificate().Pem());
  ASSERT_FALSE(mismatched.ok());
  EXPECT_THAT(mismatched.status().message(), HasSubstr("does not belong"));
}

TEST(CertificateAuthority, IssuesAServerCertificateWithTheConfiguredSans) {
  CertificateAuthority ca = NewCa();
  absl::StatusOr<PrivateKey> key = PrivateKey::GenerateP256();
  const std::vector<std::string> names = {"mamori-collector", "localhost",   "127.0.0.1", "::1",
                                          "server-pc.local",  "192.168.1.10"};
  const absl::Time now = absl::Now();
  absl::StatusOr<Certificate> cert =
      ca.IssueServerCertificate(*key, names, now, now + kServerCertificateLifetime);
  ASSERT_TRUE(cert.ok()) << cert.status();
  EXPECT_EQ(cert->SubjectAltNames(),
            (std::vector<std::string>{"DNS:mamori-collector", "DNS:localhost", "IP:127.0.0.1",
                                      "IP:::1", "DNS:server-pc.local", "IP:192.168.1.10"}));
  EXPECT_FALSE(cert->IsCa());
  EXPECT_TRUE(cert->MatchesKey(*key));
  EXPECT_TRUE(VerifyIssuedBy(*cert, ca.certificate(), now, ChainPurpose::kServer).ok());
  // serverAuth only: it cannot be used as a client (agent) certificate.
  EXPECT_FALSE(VerifyIssuedBy(*cert, ca.certificate(), now, ChainPurpose::kClient).ok());
}

TEST(CertificateAuthority, RefusesServerNamesThatAreNeitherDnsNorIp) {
  CertificateAuthority ca = NewCa();
  absl::StatusOr<PrivateKey> key = PrivateKey::GenerateP256();
  const std::vector<std::string> names = {"mamori-collector", "bad,name"};
  EXPECT_EQ(ca.IssueServerCertificate(*key, names, absl::Now(), absl::Now() + absl::Hours(1))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  const std::vector<std::string> without_fixed_name = {"localhost"};
  EXPECT_FALSE(
      ca.IssueServerCertificate(*key, without_fixed_name, absl::Now(), absl::Now() + absl::Hours(1))
          .ok());
}

TEST(CertificateAuthority, DefaultServerNamesIncludeTheFixedNameAndLoopback) {
  const std::vector<std::string> names = DefaultServerNames();
  EXPECT_THAT(names, Contains("mamori-collector"));
  EXPECT_THAT(names, Contains("localhost"));
  EXPECT_THAT(names, Contains("127.0.0.1"));
  EXPECT_THAT(names, Contains("::1"));
}

TEST(CertificateAuthority, IssuesAClientCertificateWithItsOwnSubjectNotTheRequests) {
  CertificateAuthority ca = NewCa();
  absl::StatusOr<PrivateKey> key = PrivateKey::GenerateP256();
  absl::StatusOr<CertificateRequest> request =
      CertificateRequest::ParseAndValidate(NewRequest(*key, "i-am-the-admin").Der());
  ASSERT_TRUE(request.ok()) << request.status();
  const absl::Time now = absl::Now();
  absl::StatusOr<Certificate> cert = ca.IssueClientCertificate(
      *request, {kAgentRole, "0123abcd"}, now, now + kAgentCertificateLifetime);
  ASSERT_TRUE(cert.ok()) << cert.status();
  EXPECT_EQ(cert->CommonName(), "0123abcd");
  EXPECT_EQ(cert->OrganizationalUnit(), "agent");
  EXPECT_TRUE(cert->MatchesKey(*key));
  EXPECT_TRUE(VerifyIssuedBy(*cert, ca.certificate(), now, ChainPurpose::kClient).ok());
  EXPECT_FALSE(VerifyIssuedBy(*cert, ca.certificate(), now, ChainPurpose::kServer).ok());
  EXPECT_LE(cert->SerialHex().size(), 32u);
  EXPECT_GE(cert->SerialHex().size(), 20u);
  EXPECT_EQ(cert->NotAfter(), absl::FromUnixSeconds(absl::ToUnixSeconds(now + absl::Hours(2160))));
}

TEST(CertificateAuthority, SerialsAreRandomAndDistinct) {
  CertificateAuthority ca = NewCa();
  absl::StatusOr<PrivateKey> key = PrivateKey::GenerateP256();
  const CertificateRequest request = NewRequest(*key);
  std::vector<std::string> serials;
  for (int i = 0; i < 20; ++i) {
    serials.push_back(ca.IssueClientCertificate(request, {kAgentRole, "a"}, absl::Now(),
                                                absl::Now() + absl::Hours(1))
                          ->SerialHex());
  }
  std::sort(serials.begin(), serials.end());
  EXPECT_EQ(std::unique(serials.begin(), serials.end()), serials.end());
}

TEST(VerifyIssuedBy, RefusesACertificateFromAnotherCaAndAnExpiredOne) {
  CertificateAuthority ca = NewCa();
  CertificateAuthority other = NewCa();
  absl::StatusOr<PrivateKey> key = PrivateKey::GenerateP256();
  const absl::Time now = absl::Now();
  absl::StatusOr<Certificate> cert =
      other.IssueClientCertificate(NewRequest(*key), {kAgentRole, "x"}, now, now + absl::Hours(1));
  EXPECT_EQ(VerifyIssuedBy(*cert, ca.certificate(), now, ChainPurpose::kClient).code(),
            absl::StatusCode::kUnauthenticated);
  absl::StatusOr<Certificate> expired = ca.IssueClientCertificate(
      NewRequest(*key), {kAgentRole, "x"}, now - absl::Hours(48), now - absl::Hours(24));
  const absl::Status status =
      VerifyIssuedBy(*expired, ca.certificate(), now, ChainPurpose::kClient);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(status.message(), HasSubstr("expired"));
}

TEST(CertificateRequest, RoundTripsThroughDerAndValidates) {
  absl::StatusOr<PrivateKey> key = PrivateKey::GenerateP256();
  const std::string der = NewRequest(*key).Der();
  EXPECT_GT(der.size(), 100u);
  EXPECT_TRUE(CertificateRequest::ParseAndValidate(der).ok());
}

TEST(CertificateRequest, RefusesMalformedTruncatedAndOversizeInput) {
  absl::StatusOr<PrivateKey> key = PrivateKey::GenerateP256();
  const std::string der = NewRequest(*key).Der();
  for (const std::string& bad :
       {std::string(), std::string("not a csr"), der.substr(0, der.size() - 3), der + "x"}) {
    const absl::Status status = CertificateRequest::ParseAndValidate(bad).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(status.message(), "csr: ")) << status.message();
  }
  EXPECT_EQ(CertificateRequest::ParseAndValidate(std::string(9000, 'x')).status().message(),
            "csr: larger than 8192 bytes");
}

TEST(CertificateRequest, RefusesAHugeSubjectEntryOrTooManyEntries) {
  absl::StatusOr<PrivateKey> key = PrivateKey::GenerateP256();
  // Built with OpenSSL directly: CertificateRequest::Create itself refuses such subjects.
  auto request_with_subject = [&](int entries, int length) {
    X509ReqPtr request(X509_REQ_new());
    X509_NAME* name = X509_REQ_get_subject_name(request.get());
    const std::string value(static_cast<size_t>(length), 'a');
    for (int i = 0; i < entries; ++i) {
      // A plain string type skips OpenSSL's own length limits, as a hostile client would.
      X509_NAME_add_entry_by_txt(name, "OU", V_ASN1_UTF8STRING,
                                 reinterpret_cast<const unsigned char*>(value.data()), length, -1,
                                 0);
    }
    X509_REQ_set_pubkey(request.get(), key->get());
    X509_REQ_sign(request.get(), key->get(), EVP_sha256());
    unsigned char* out = nullptr;
    const int size = i2d_X509_REQ(request.get(), &out);
    std::string der(reinterpret_cast<char*>(out), static_cast<size_t>(size));
    OPENSSL_free(out);
    return der;
  };
  EXPECT_EQ(CertificateRequest::ParseAndValidate(request_with_subject(1, 2000)).status().message(),
            "csr: a subject entry is longer than 64 bytes");
  EXPECT_EQ(CertificateRequest::ParseAndValidate(request_with_subject(30, 4)).status().message(),
            "csr: subject has more than 8 entries");
  EXPECT_TRUE(CertificateRequest::ParseAndValidate(request_with_subject(2, 10)).ok());
}

TEST(CertificateRequest, RefusesAnRsaKeyAndABrokenSignature) {
  EvpPkeyPtr rsa(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}));
  ASSERT_NE(rsa, nullptr);
  X509ReqPtr request(X509_REQ_new());
  X509_REQ_set_pubkey(request.get(), rsa.get());
  X509_REQ_sign(request.get(), rsa.get(), EVP_sha256());
  unsigned char* out = nullptr;
  const int size = i2d_X509_REQ(request.get(), &out);
  const std::string der(reinterpret_cast<char*>(out), static_cast<size_t>(size));
  OPENSSL_free(out);
  EXPECT_EQ(CertificateRequest::ParseAndValidate(der).status().message(),
            "csr: the key must be an EC P-256 key");

  absl::StatusOr<PrivateKey> key = PrivateKey::GenerateP256();
  std::string tampered = NewRequest(*key).Der();
  tampered[tampered.size() - 5] = static_cast<char>(tampered[tampered.size() - 5] ^ 0x01);
  EXPECT_EQ(CertificateRequest::ParseAndValidate(tampered).status().message(),
            "csr: the signature does not verify");
}

TEST(Fingerprint, IsSha256PrefixAnd64LowercaseHexDigits) {
  CertificateAuthority ca = NewCa();
  const std::string fingerprint = ca.certificate().Fingerprint();
  ASSERT_EQ(fingerprint.size(), 7u + 64u);
  EXPECT_TRUE(absl::StartsWith(fingerprint, "SHA256:"));
  EXPECT_EQ(fingerprint.substr(7).find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(Sha256Fingerprint(""),
            "SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(KeyFiles, WritesSecretsOwnerOnlyAndNeverOverwritesANewOne) {
  collector::testing::TempDir dir;
  const std::filesystem::path path = dir.path() / "agent.key";
  ASSERT_TRUE(WriteNewSecretFile(path, "secret").ok());
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(WriteNewSecretFile(path, "other").code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(*ReadSmallFile(path), "secret");
  ASSERT_TRUE(ReplaceSecretFile(path, "rotated").ok());
  EXPECT_EQ(*ReadSmallFile(path), "rotated");
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(ReadSmallFile(dir.path() / "missing").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ReadSmallFile(path, 3).status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace mamori::pki
