// Real certificates for collector tests: client channels with or without an agent certificate,
// agents enrolled through the Enroll RPC or issued directly (expired, foreign, unrecorded ones).
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "absl/time/clock.h"
#include "collector/pki/certificate_authority.h"
#include "collector/pki/x509.h"
#include "collector/storage/trust_store.h"
#include "gtest/gtest.h"
#include "mamori/v1/agent.grpc.pb.h"

namespace mamori::collector::testing {

// What an agent holds after enrollment.
struct AgentCredentials {
  std::string agent_id;
  std::string key_pem;
  std::string certificate_pem;
  std::string serial;
};

// A TLS channel to the collector at `target` that trusts `ca_pem` and checks the fixed server name,
// as the agent does; with `client` it presents that certificate.
inline std::shared_ptr<grpc::Channel> TlsChannel(const std::string& target,
                                                 const std::string& ca_pem,
                                                 const std::optional<AgentCredentials>& client) {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = ca_pem;
  if (client.has_value()) {
    options.pem_private_key = client->key_pem;
    options.pem_cert_chain = client->certificate_pem;
  }
  grpc::ChannelArguments args;
  args.SetSslTargetNameOverride(pki::kCollectorServerName);
  // Each test channel gets its own connection, never one shared with another credential.
  static std::atomic<int> next_channel{0};
  args.SetInt("mamori.test.channel", next_channel++);
  return grpc::CreateCustomChannel(target, grpc::SslCredentials(options), args);
}

inline pki::PrivateKey NewKey() {
  absl::StatusOr<pki::PrivateKey> key = pki::PrivateKey::GenerateP256();
  EXPECT_TRUE(key.ok()) << key.status();
  return *std::move(key);
}

inline std::string CsrFor(const pki::PrivateKey& key) {
  absl::StatusOr<pki::CertificateRequest> csr = pki::CertificateRequest::Create(key, "agent");
  EXPECT_TRUE(csr.ok()) << csr.status();
  return csr->Der();
}

inline mamori::v1::EnrollRequest EnrollRequestFor(const std::string& token, const std::string& csr,
                                                  const std::string& hostname = "reception-01") {
  mamori::v1::EnrollRequest request;
  request.set_token(token);
  request.set_csr_der(csr);
  request.set_hostname(hostname);
  request.set_agent_version("0.1.0");
  request.set_machine_id("0123456789abcdef");
  return request;
}

// Issues a certificate for a fresh key with any validity window, signed by `ca`, without
// recording it anywhere.
inline AgentCredentials IssueUnrecorded(const pki::CertificateAuthority& ca,
                                        const std::string& agent_id, absl::Time not_before,
                                        absl::Time not_after) {
  pki::PrivateKey key = NewKey();
  absl::StatusOr<pki::CertificateRequest> csr =
      pki::CertificateRequest::ParseAndValidate(CsrFor(key));
  absl::StatusOr<pki::Certificate> cert =
      ca.IssueClientCertificate(*csr, {pki::kAgentRole, agent_id}, not_before, not_after);
  EXPECT_TRUE(cert.ok()) << cert.status();
  return {agent_id, *key.ToPem(), cert->Pem(), cert->SerialHex()};
}

// As IssueUnrecorded, and records the agent and its certificate in `trust` as an enrollment with a
// fresh one-use token would.
inline AgentCredentials IssueRecorded(const pki::CertificateAuthority& ca, TrustStore& trust,
                                      const std::string& agent_id, absl::Time not_before,
                                      absl::Time not_after) {
  AgentCredentials credentials = IssueUnrecorded(ca, agent_id, not_before, not_after);
  absl::StatusOr<pki::Certificate> cert = pki::Certificate::FromPem(credentials.certificate_pem);
  absl::StatusOr<NewEnrollmentToken> token =
      trust.CreateToken("test", absl::Hours(1), 1, absl::Now());
  EXPECT_TRUE(token.ok()) << token.status();
  const absl::Status enrolled =
      trust.EnrollAgent(token->token, {agent_id, "host-" + agent_id, "0.1.0", ""},
                        {credentials.serial, agent_id, cert->NotBefore(), cert->NotAfter(),
                         absl::Now(), std::nullopt, std::nullopt},
                        absl::Now());
  EXPECT_TRUE(enrolled.ok()) << enrolled;
  return credentials;
}

}  // namespace mamori::collector::testing
