#include "agent/enrollment.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "agent/collector_address.h"
#include "agent/collector_session.h"
#include "agent/tcp_connection.h"
#include "agent/version.h"
#include "collector/pki/key_files.h"
#include "collector/pki/openssl_handles.h"
#include "mamori/v1/agent.grpc.pb.h"

namespace mamori::agent {
namespace {

using SslCtxPtr = std::unique_ptr<SSL_CTX, pki::OpenSslDeleter<&SSL_CTX_free>>;
using SslPtr = std::unique_ptr<SSL, pki::OpenSslDeleter<&SSL_free>>;

// Linux's machine id; empty elsewhere (the Windows service passes MachineGuid in the request).
std::string ReadMachineId() {
  absl::StatusOr<std::string> id = pki::ReadSmallFile("/etc/machine-id", 256);
  if (!id.ok()) {
    return "";
  }
  std::string text = *id;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

}  // namespace

absl::StatusOr<pki::Certificate> FetchPinnedCa(const CollectorAddress& address,
                                               absl::string_view pinned_fingerprint,
                                               absl::Duration timeout) {
  absl::StatusOr<std::unique_ptr<TcpConnection>> connection = TcpConnection::Open(address, timeout);
  if (!connection.ok()) {
    return connection.status();
  }
  SslCtxPtr context(SSL_CTX_new(TLS_client_method()));
  if (context == nullptr || SSL_CTX_set_min_proto_version(context.get(), TLS1_2_VERSION) != 1) {
    return pki::OpenSslError("cannot set up TLS");
  }
  // No verification inside the handshake: there is no trust anchor yet. The chain is checked below
  // against the pinned fingerprint, and nothing but the handshake is ever sent on this connection.
  SSL_CTX_set_verify(context.get(), SSL_VERIFY_NONE, nullptr);
  static constexpr unsigned char kAlpnH2[] = {2, 'h', '2'};
  SSL_CTX_set_alpn_protos(context.get(), kAlpnH2, sizeof(kAlpnH2));
  SslPtr ssl(SSL_new(context.get()));
  if (ssl == nullptr || SSL_set_fd(ssl.get(), (*connection)->openssl_fd()) != 1) {
    return pki::OpenSslError("cannot set up TLS");
  }
  SSL_ctrl(ssl.get(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
           const_cast<char*>(pki::kCollectorServerName));
  if (SSL_connect(ssl.get()) != 1) {
    ERR_clear_error();
    return CollectorUnreachable(address, "the TLS handshake failed (is this a mamori collector?)");
  }
  X509* leaf_raw = SSL_get0_peer_certificate(ssl.get());
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl.get());
  if (leaf_raw == nullptr || chain == nullptr) {
    return absl::PermissionDeniedError("the collector presented no certificate");
  }
  const pki::Certificate leaf = pki::Certificate::Share(leaf_raw);
  std::optional<pki::Certificate> pinned;
  for (int i = 0; i < sk_X509_num(chain); ++i) {
    pki::Certificate candidate = pki::Certificate::Share(sk_X509_value(chain, i));
    if (candidate.Fingerprint() == pinned_fingerprint && candidate.IsCa()) {
      pinned = std::move(candidate);
      break;
    }
  }
  SSL_shutdown(ssl.get());
  if (!pinned.has_value()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "the collector at ", address.Target(), " does not hold the CA ", pinned_fingerprint,
        " that this agent was told to trust (check --ca-fingerprint against `mamori-collector ca "
        "show`); nothing was sent"));
  }
  if (absl::Status chained =
          pki::VerifyIssuedBy(leaf, *pinned, absl::Now(), pki::ChainPurpose::kServer);
      !chained.ok()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "the collector's certificate is not issued by the pinned CA: ", chained.message(),
        "; nothing was sent"));
  }
  if (X509_check_host(leaf.get(), pki::kCollectorServerName, 0, 0, nullptr) != 1) {
    return absl::PermissionDeniedError(absl::StrCat("the collector's certificate does not name ",
                                                    pki::kCollectorServerName,
                                                    "; nothing was sent"));
  }
  return *std::move(pinned);
}

absl::StatusOr<AgentCredentials> EnrollAgent(const CollectorAddress& address,
                                             const std::filesystem::path& data_dir,
                                             const EnrollmentRequest& request,
                                             absl::Duration timeout) {
  absl::StatusOr<pki::Certificate> ca = FetchPinnedCa(address, request.pinned_fingerprint, timeout);
  if (!ca.ok()) {
    return ca.status();
  }
  if (absl::Status status = pki::MakeOwnerOnlyDirectory(data_dir); !status.ok()) {
    return status;
  }
  const std::string ca_pem = ca->Pem();
  if (absl::Status status = pki::ReplacePublicFile(data_dir / kCaFile, ca_pem); !status.ok()) {
    return status;
  }
  // A key left by an earlier attempt that never got a certificate is reused: it was never
  // certified, so nothing relies on it, and it is already owner-only.
  std::string key_pem;
  absl::StatusOr<std::string> existing = pki::ReadSmallFile(data_dir / kKeyFile);
  if (existing.ok()) {
    key_pem = *std::move(existing);
  } else if (absl::IsNotFound(existing.status())) {
    absl::StatusOr<pki::PrivateKey> key = pki::PrivateKey::GenerateP256();
    if (!key.ok()) {
      return key.status();
    }
    absl::StatusOr<std::string> pem = key->ToPem();
    if (!pem.ok()) {
      return pem.status();
    }
    if (absl::Status status = pki::WriteNewSecretFile(data_dir / kKeyFile, *pem); !status.ok()) {
      return status;
    }
    key_pem = *std::move(pem);
  } else {
    return existing.status();
  }
  absl::StatusOr<pki::PrivateKey> key = pki::PrivateKey::FromPem(key_pem);
  if (!key.ok()) {
    return key.status();
  }
  absl::StatusOr<pki::CertificateRequest> csr =
      pki::CertificateRequest::Create(*key, "mamori-agent");
  if (!csr.ok()) {
    return csr.status();
  }

  mamori::v1::EnrollRequest rpc_request;
  rpc_request.set_token(request.token);
  rpc_request.set_csr_der(csr->Der());
  rpc_request.set_hostname(request.hostname);
  rpc_request.set_agent_version(kAgentVersion);
  rpc_request.set_machine_id(request.machine_id.empty() ? ReadMachineId() : request.machine_id);
  auto stub = mamori::v1::AgentGateway::NewStub(CollectorChannel(address, ca_pem, nullptr));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  mamori::v1::EnrollResponse response;
  if (absl::Status status = FromGrpcStatus(stub->Enroll(&context, rpc_request, &response));
      !status.ok()) {
    return status;
  }
  return StoreIssuedCertificate(data_dir, ca_pem, key_pem, response.agent_id(),
                                response.certificate_der());
}

}  // namespace mamori::agent
