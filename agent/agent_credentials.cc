#include "agent/agent_credentials.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "agent/collector_session.h"
#include "collector/pki/key_files.h"
#include "mamori/v1/agent.grpc.pb.h"
#include "proto/connect_stream.h"

namespace mamori::agent {

absl::StatusOr<std::optional<AgentCredentials>> LoadAgentCredentials(
    const std::filesystem::path& data_dir) {
  absl::StatusOr<std::string> cert_pem = pki::ReadSmallFile(data_dir / kCertificateFile);
  if (absl::IsNotFound(cert_pem.status())) {
    return std::nullopt;
  }
  if (!cert_pem.ok()) {
    return cert_pem.status();
  }
  absl::StatusOr<std::string> key_pem = pki::ReadSmallFile(data_dir / kKeyFile);
  absl::StatusOr<std::string> ca_pem = pki::ReadSmallFile(data_dir / kCaFile);
  if (!key_pem.ok()) {
    return key_pem.status();
  }
  if (!ca_pem.ok()) {
    return ca_pem.status();
  }
  absl::StatusOr<pki::Certificate> cert = pki::Certificate::FromPem(*cert_pem);
  absl::StatusOr<pki::PrivateKey> key = pki::PrivateKey::FromPem(*key_pem);
  absl::StatusOr<pki::Certificate> ca = pki::Certificate::FromPem(*ca_pem);
  if (!cert.ok() || !key.ok() || !ca.ok() || !cert->MatchesKey(*key) ||
      cert->CommonName().empty() ||
      !pki::VerifyIssuedBy(*cert, *ca, cert->NotBefore() + absl::Seconds(1),
                           pki::ChainPurpose::kClient)
           .ok()) {
    return absl::DataLossError(
        absl::StrCat("the agent's key, certificate or CA in ", data_dir.string(),
                     " are damaged or do not belong together; move ", kCertificateFile,
                     " away and enroll again with a new token"));
  }
  return AgentCredentials{*std::move(ca_pem), *std::move(key_pem), *std::move(cert)};
}

std::shared_ptr<grpc::Channel> CollectorChannel(const CollectorAddress& address,
                                                const std::string& ca_pem,
                                                const AgentCredentials* credentials) {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = ca_pem;
  if (credentials != nullptr) {
    options.pem_private_key = credentials->key_pem;
    options.pem_cert_chain = credentials->certificate.Pem();
  }
  grpc::ChannelArguments args;
  // Trust comes from the pinned private CA, not from the address: every collector certificate
  // names "mamori-collector", so the agent checks that name whatever address it dials.
  args.SetSslTargetNameOverride(pki::kCollectorServerName);
  // Keepalive within what the collector permits (proto/connect_stream.h).
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, wire::kAgentKeepaliveTimeMs);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, wire::kAgentKeepaliveTimeoutMs);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, wire::kAgentKeepalivePermitWithoutCalls);
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, wire::kAgentMaxPingsWithoutData);
  // The agent's own reconnect loop (reconnect_backoff.h) paces new streams; each attempt uses a
  // new channel, which must not share a connection held by an older one.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(address.Target(), grpc::SslCredentials(options), args);
}

bool RenewalDue(const pki::Certificate& certificate, absl::Time now) {
  const absl::Time not_before = certificate.NotBefore();
  const absl::Duration lifetime = certificate.NotAfter() - not_before;
  return now >= not_before + lifetime * 2 / 3;
}

absl::StatusOr<AgentCredentials> StoreIssuedCertificate(const std::filesystem::path& data_dir,
                                                        const std::string& ca_pem,
                                                        const std::string& key_pem,
                                                        const std::string& agent_id,
                                                        const std::string& certificate_der) {
  absl::StatusOr<pki::Certificate> cert = pki::Certificate::FromDer(certificate_der);
  absl::StatusOr<pki::Certificate> ca = pki::Certificate::FromPem(ca_pem);
  absl::StatusOr<pki::PrivateKey> key = pki::PrivateKey::FromPem(key_pem);
  if (!cert.ok() || !ca.ok() || !key.ok()) {
    return absl::InternalError("the collector answered with a certificate that does not parse");
  }
  if (!cert->MatchesKey(*key) || cert->CommonName() != agent_id || agent_id.empty() ||
      !pki::VerifyIssuedBy(*cert, *ca, absl::Now(), pki::ChainPurpose::kClient).ok()) {
    return absl::InternalError(
        "the collector answered with a certificate that is not for this agent's key and id, or "
        "not from the pinned CA");
  }
  if (absl::Status status = pki::ReplacePublicFile(data_dir / kCertificateFile, cert->Pem());
      !status.ok()) {
    return status;
  }
  return AgentCredentials{ca_pem, key_pem, *std::move(cert)};
}

absl::StatusOr<AgentCredentials> RenewCertificate(const CollectorAddress& address,
                                                  const std::filesystem::path& data_dir,
                                                  const AgentCredentials& current,
                                                  absl::Duration timeout) {
  // The same key: renewing replaces only the (public) certificate file, so a crash midway can
  // never leave a key and a certificate that do not belong together.
  absl::StatusOr<pki::PrivateKey> key = pki::PrivateKey::FromPem(current.key_pem);
  if (!key.ok()) {
    return key.status();
  }
  absl::StatusOr<pki::CertificateRequest> csr =
      pki::CertificateRequest::Create(*key, current.agent_id());
  if (!csr.ok()) {
    return csr.status();
  }
  auto stub =
      mamori::v1::AgentGateway::NewStub(CollectorChannel(address, current.ca_pem, &current));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  mamori::v1::RenewRequest request;
  request.set_csr_der(csr->Der());
  mamori::v1::EnrollResponse response;
  if (absl::Status status = FromGrpcStatus(stub->Renew(&context, request, &response));
      !status.ok()) {
    return status;
  }
  return StoreIssuedCertificate(data_dir, current.ca_pem, current.key_pem, current.agent_id(),
                                response.certificate_der());
}

}  // namespace mamori::agent
