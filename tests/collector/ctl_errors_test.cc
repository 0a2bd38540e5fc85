// mamorictl's error lines: each way a call can fail mapped to one Japanese line with the English
// cause, the bundle checked before connecting, and the classification checked against what this
// gRPC really reports for a wrong CA and an unreachable collector.
#include <grpcpp/grpcpp.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "collector/ctl/client_bundle.h"
#include "collector/ctl/collector_client.h"
#include "collector/ctl/ctl_errors.h"
#include "collector/pki/certificate_authority.h"
#include "collector/pki/x509.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mamori/v1/admin.grpc.pb.h"
#include "tests/collector/temp_dir.h"

namespace mamori::ctl {
namespace {

using ::mamori::collector::testing::TempDir;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const CallContext kContext{"192.0.2.5:7443", "vendor", "SHA256:" + std::string(64, 'a')};

grpc::Status Status(grpc::StatusCode code, const std::string& message) {
  return grpc::Status(code, message);
}

// --- classification and wording ---

TEST(DescribeCallFailure, SaysTheCollectorIsUnreachable) {
  const grpc::Status status =
      Status(grpc::StatusCode::UNAVAILABLE,
             "failed to connect to all addresses; last error: UNKNOWN: ipv4:192.0.2.5:7443: "
             "Failed to connect to remote host: Connection refused");
  EXPECT_EQ(ClassifyCallFailure(status), CallFailure::kUnreachable);
  EXPECT_EQ(DescribeCallFailure(status, kContext),
            "mamorictl: 収集サーバ 192.0.2.5:7443 に接続できません (failed to connect to all "
            "addresses; last error: UNKNOWN: ipv4:192.0.2.5:7443: Failed to connect to remote "
            "host: Connection refused)");
}

TEST(DescribeCallFailure, ShowsTheBundleCaFingerprintWhenTheCollectorIsNotFromItsCa) {
  for (const char* message :
       {"failed to connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:7443: Ssl "
        "handshake failed: SSL_ERROR_SSL: error:0A000086:SSL routines::certificate verify failed",
        "Handshake failed", "tlsv1 alert unknown ca"}) {
    const grpc::Status status = Status(grpc::StatusCode::UNAVAILABLE, message);
    EXPECT_EQ(ClassifyCallFailure(status), CallFailure::kUntrustedCollector) << message;
    EXPECT_THAT(DescribeCallFailure(status, kContext),
                AllOf(StartsWith("mamorictl: 収集サーバ 192.0.2.5:7443 とこの証明書バンドルの CA "
                                 "が一致しません"),
                      HasSubstr(kContext.ca_fingerprint), HasSubstr("mamori-collector ca show")));
  }
}

TEST(DescribeCallFailure, SaysTheCertificateExpired) {
  const grpc::Status server =
      Status(grpc::StatusCode::UNAUTHENTICATED, "certificate 1a2b of user sato has expired");
  EXPECT_EQ(ClassifyCallFailure(server), CallFailure::kCertificateExpired);
  EXPECT_THAT(DescribeCallFailure(server, kContext),
              AllOf(HasSubstr("有効期限が切れています"),
                    HasSubstr("(certificate 1a2b of user sato has expired)")));
  const grpc::Status alert = Status(grpc::StatusCode::UNAVAILABLE,
                                    "Ssl handshake failed: SSL_ERROR_SSL: error:0A000415:SSL "
                                    "routines::sslv3 alert certificate expired");
  EXPECT_EQ(ClassifyCallFailure(alert), CallFailure::kCertificateExpired);
}

TEST(DescribeCallFailure, SaysTheCertificateWasRevoked) {
  const grpc::Status status =
      Status(grpc::StatusCode::UNAUTHENTICATED, "certificate 1a2b of user sato has been revoked");
  EXPECT_EQ(ClassifyCallFailure(status), CallFailure::kCertificateRevoked);
  EXPECT_THAT(DescribeCallFailure(status, kContext), HasSubstr("失効しています"));
}

TEST(DescribeCallFailure, SaysAnUnknownCertificateIsNotRegistered) {
  const grpc::Status status =
      Status(grpc::StatusCode::UNAUTHENTICATED, "certificate 1a2b is not known to this collector");
  EXPECT_EQ(ClassifyCallFailure(status), CallFailure::kCertificateUnknown);
  EXPECT_THAT(DescribeCallFailure(status, kContext), HasSubstr("登録されていません"));
}

TEST(DescribeCallFailure, NamesTheRoleThatWasRefused) {
  const grpc::Status status = Status(grpc::StatusCode::PERMISSION_DENIED,
                                     "role vendor may not call CollectorAdmin/RecordAccountReview");
  EXPECT_EQ(ClassifyCallFailure(status), CallFailure::kRoleRefused);
  EXPECT_EQ(DescribeCallFailure(status, kContext),
            "mamorictl: この操作は vendor の証明書では許可されていません (role vendor may not "
            "call CollectorAdmin/RecordAccountReview)");
}

TEST(DescribeCallFailure, ShowsTheServersMessageForNotFoundAndInvalidArguments) {
  EXPECT_EQ(
      DescribeCallFailure(Status(grpc::StatusCode::NOT_FOUND, "no host named pc-9"), kContext),
      "mamorictl: 見つかりません (no host named pc-9)");
  EXPECT_EQ(DescribeCallFailure(Status(grpc::StatusCode::INVALID_ARGUMENT,
                                       "page.page_size: must be from 0 to 1000"),
                                kContext),
            "mamorictl: 指定が正しくありません (page.page_size: must be from 0 to 1000)");
  EXPECT_THAT(DescribeCallFailure(Status(grpc::StatusCode::FAILED_PRECONDITION,
                                         "pc names 2 hosts; use the agent id"),
                                  kContext),
              HasSubstr("(pc names 2 hosts; use the agent id)"));
}

TEST(DescribeCallFailure, TellsATimeoutAndABusyCollectorFromAnUnreachableOne) {
  EXPECT_EQ(ClassifyCallFailure(Status(grpc::StatusCode::DEADLINE_EXCEEDED, "Deadline Exceeded")),
            CallFailure::kTimeout);
  const grpc::Status busy =
      Status(grpc::StatusCode::UNAVAILABLE, "the collector cannot write its audit log right now");
  EXPECT_EQ(ClassifyCallFailure(busy), CallFailure::kCollectorBusy);
  EXPECT_THAT(DescribeCallFailure(busy, kContext), HasSubstr("一時的に処理できません"));
}

TEST(DescribeCallFailure, CleansWhatTheCollectorSentForTheTerminal) {
  const std::string line = DescribeCallFailure(
      Status(grpc::StatusCode::NOT_FOUND, "no host named \x1b[2J\u202Eevil\nforged line"),
      kContext);
  EXPECT_EQ(line, "mamorictl: 見つかりません (no host named \\x1B[2J<U+202E>evil\\x0Aforged line)");
}

TEST(DescribeUsageError, SaysItIsAUsageErrorWithTheCause) {
  EXPECT_EQ(DescribeUsageError("--collector is required"),
            "mamorictl: 使い方が正しくありません (--collector is required)");
}

// --- the bundle, checked before connecting ---

struct Issued {
  std::string key_pem;
  std::string certificate_pem;
};

Issued IssuePerson(const pki::CertificateAuthority& ca, const std::string& role,
                   const std::string& name, absl::Time not_before, absl::Time not_after) {
  absl::StatusOr<pki::PrivateKey> key = pki::PrivateKey::GenerateP256();
  EXPECT_TRUE(key.ok());
  absl::StatusOr<pki::CertificateRequest> request = pki::CertificateRequest::Create(*key, name);
  EXPECT_TRUE(request.ok());
  absl::StatusOr<pki::CertificateRequest> validated =
      pki::CertificateRequest::ParseAndValidate(request->Der());
  EXPECT_TRUE(validated.ok());
  absl::StatusOr<pki::Certificate> certificate =
      ca.IssueClientCertificate(*validated, {role, name}, not_before, not_after);
  EXPECT_TRUE(certificate.ok()) << certificate.status();
  return {*key->ToPem(), certificate->Pem()};
}

void WriteFile(const std::filesystem::path& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

class ClientBundleTest : public ::testing::Test {
 protected:
  ClientBundleTest() : ca_(*pki::CertificateAuthority::Create("mamori test CA", absl::Now())) {}

  std::filesystem::path WriteBundle(const Issued& issued, const std::string& ca_pem) {
    const std::filesystem::path dir = dir_.path() / absl::StrCat("bundle-", next_++);
    std::filesystem::create_directories(dir);
    WriteFile(dir / "client.key", issued.key_pem);
    WriteFile(dir / "client.crt", issued.certificate_pem);
    WriteFile(dir / "ca.pem", ca_pem);
    return dir;
  }
  std::filesystem::path GoodBundle() {
    return WriteBundle(IssuePerson(ca_, "vendor", "vendor-sato", absl::Now() - absl::Hours(1),
                                   absl::Now() + absl::Hours(24)),
                       ca_.certificate().Pem());
  }

  TempDir dir_;
  pki::CertificateAuthority ca_;
  int next_ = 0;
};

TEST_F(ClientBundleTest, LoadsABundleAsUserAddWritesIt) {
  absl::StatusOr<ClientBundle> bundle = LoadClientBundle(GoodBundle(), absl::Now());
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  EXPECT_EQ(bundle->user, "vendor-sato");
  EXPECT_EQ(bundle->role, "vendor");
  EXPECT_EQ(bundle->ca_fingerprint, ca_.certificate().Fingerprint());
}

TEST_F(ClientBundleTest, NamesTheFileThatCannotBeRead) {
  const std::filesystem::path dir = GoodBundle();
  std::filesystem::remove(dir / "ca.pem");
  absl::StatusOr<ClientBundle> bundle = LoadClientBundle(dir, absl::Now());
  ASSERT_FALSE(bundle.ok());
  EXPECT_THAT(std::string(bundle.status().message()),
              AllOf(StartsWith("mamorictl: 証明書バンドルのファイル "),
                    HasSubstr((dir / "ca.pem").string() + " を読めません")));
}

TEST_F(ClientBundleTest, NeverShowsTheKeyWhenItCannotBeParsed) {
  const std::filesystem::path dir = GoodBundle();
  const std::string secret =
      "-----BEGIN PRIVATE KEY-----\nU0VDUkVUU0VDUkVU\n-----END PRIVATE "
      "KEY-----\n";
  WriteFile(dir / "client.key", secret);
  absl::StatusOr<ClientBundle> bundle = LoadClientBundle(dir, absl::Now());
  ASSERT_FALSE(bundle.ok());
  const std::string message(bundle.status().message());
  EXPECT_THAT(message, HasSubstr("client.key は秘密鍵として読めません"));
  EXPECT_THAT(message, Not(HasSubstr("U0VDUkVU")));
}

TEST_F(ClientBundleTest, RefusesAKeyThatDoesNotBelongToTheCertificate) {
  const Issued one =
      IssuePerson(ca_, "admin", "a", absl::Now() - absl::Hours(1), absl::Now() + absl::Hours(1));
  const Issued two =
      IssuePerson(ca_, "admin", "b", absl::Now() - absl::Hours(1), absl::Now() + absl::Hours(1));
  absl::StatusOr<ClientBundle> bundle = LoadClientBundle(
      WriteBundle({two.key_pem, one.certificate_pem}, ca_.certificate().Pem()), absl::Now());
  ASSERT_FALSE(bundle.ok());
  EXPECT_THAT(std::string(bundle.status().message()),
              HasSubstr("client.key と client.crt が対になっていません"));
}

TEST_F(ClientBundleTest, SaysWhenTheCertificateExpiredInTheClinicsTime) {
  absl::Time not_after;
  std::string error;
  ASSERT_TRUE(absl::ParseTime(absl::RFC3339_full, "2026-05-01T01:00:00Z", &not_after, &error));
  const std::filesystem::path dir =
      WriteBundle(IssuePerson(ca_, "vendor", "sato", not_after - absl::Hours(24 * 180), not_after),
                  ca_.certificate().Pem());
  absl::StatusOr<ClientBundle> bundle = LoadClientBundle(dir, not_after + absl::Hours(1));
  ASSERT_FALSE(bundle.ok());
  EXPECT_EQ(std::string(bundle.status().message()),
            "mamorictl: 証明書バンドルの有効期限は 2026-05-01 10:00 に切れています。管理者に"
            "新しいバンドル (mamori-collector user add) を発行してもらってください (client "
            "certificate expired at 2026-05-01T01:00:00Z)");
}

TEST_F(ClientBundleTest, RefusesACertificateFromAnotherCa) {
  absl::StatusOr<pki::CertificateAuthority> other =
      pki::CertificateAuthority::Create("another collector", absl::Now());
  ASSERT_TRUE(other.ok());
  const std::filesystem::path dir =
      WriteBundle(IssuePerson(*other, "admin", "tanaka", absl::Now() - absl::Hours(1),
                              absl::Now() + absl::Hours(1)),
                  ca_.certificate().Pem());
  absl::StatusOr<ClientBundle> bundle = LoadClientBundle(dir, absl::Now());
  ASSERT_FALSE(bundle.ok());
  EXPECT_THAT(std::string(bundle.status().message()),
              HasSubstr("client.crt はこのバンドルの ca.pem が発行したものではありません"));
}

TEST_F(ClientBundleTest, RefusesAnAgentCertificate) {
  const std::filesystem::path dir =
      WriteBundle(IssuePerson(ca_, pki::kAgentRole, "agent-1", absl::Now() - absl::Hours(1),
                              absl::Now() + absl::Hours(1)),
                  ca_.certificate().Pem());
  absl::StatusOr<ClientBundle> bundle = LoadClientBundle(dir, absl::Now());
  ASSERT_FALSE(bundle.ok());
  EXPECT_THAT(std::string(bundle.status().message()),
              HasSubstr("mamori の利用者の証明書ではありません"));
}

// --- what this gRPC really says ---

// A TLS server of `ca` serving CollectorAdmin without any method (every call: UNIMPLEMENTED), so a
// call that gets that far proves the handshake worked.
class TlsServer {
 public:
  explicit TlsServer(const pki::CertificateAuthority& ca) {
    const pki::PrivateKey key = *pki::PrivateKey::GenerateP256();
    const std::vector<std::string> names = {pki::kCollectorServerName, "localhost", "127.0.0.1"};
    const pki::Certificate certificate = *ca.IssueServerCertificate(
        key, names, absl::Now() - absl::Hours(1), absl::Now() + absl::Hours(24));
    grpc::SslServerCredentialsOptions options(GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY);
    options.pem_root_certs = ca.certificate().Pem();
    options.pem_key_cert_pairs.push_back({*key.ToPem(), certificate.Pem()});
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::SslServerCredentials(options), &port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
  }
  ~TlsServer() { server_->Shutdown(std::chrono::system_clock::now()); }
  std::string target() const { return absl::StrCat("127.0.0.1:", port_); }

 private:
  mamori::v1::CollectorAdmin::CallbackService service_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

grpc::Status CallListHosts(const std::string& target, const ClientBundle& bundle) {
  auto stub = mamori::v1::CollectorAdmin::NewStub(CollectorChannel(target, bundle));
  const std::unique_ptr<grpc::ClientContext> context = CallContextWithDeadline();
  mamori::v1::ListHostsResponse response;
  return stub->ListHosts(context.get(), {}, &response);
}

TEST_F(ClientBundleTest, TheBundlesOwnCollectorCompletesTheHandshake) {
  TlsServer server(ca_);
  absl::StatusOr<ClientBundle> bundle = LoadClientBundle(GoodBundle(), absl::Now());
  ASSERT_TRUE(bundle.ok());
  EXPECT_EQ(CallListHosts(server.target(), *bundle).error_code(), grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(ClientBundleTest, ACollectorOfAnotherCaIsReportedAsTheWrongCollector) {
  absl::StatusOr<pki::CertificateAuthority> other =
      pki::CertificateAuthority::Create("another collector", absl::Now());
  ASSERT_TRUE(other.ok());
  TlsServer server(*other);
  absl::StatusOr<ClientBundle> bundle = LoadClientBundle(GoodBundle(), absl::Now());
  ASSERT_TRUE(bundle.ok());
  const grpc::Status status = CallListHosts(server.target(), *bundle);
  EXPECT_EQ(ClassifyCallFailure(status), CallFailure::kUntrustedCollector)
      << status.error_code() << " " << status.error_message();
}

TEST_F(ClientBundleTest, AClosedPortIsReportedAsUnreachable) {
  std::string target;
  {
    TlsServer server(ca_);
    target = server.target();
  }
  absl::StatusOr<ClientBundle> bundle = LoadClientBundle(GoodBundle(), absl::Now());
  ASSERT_TRUE(bundle.ok());
  const grpc::Status status = CallListHosts(target, *bundle);
  EXPECT_EQ(ClassifyCallFailure(status), CallFailure::kUnreachable)
      << status.error_code() << " " << status.error_message();
  EXPECT_THAT(DescribeCallFailure(status, {target, "vendor", ""}),
              StartsWith("mamorictl: 収集サーバ " + target + " に接続できません ("));
}

}  // namespace
}  // namespace mamori::ctl
