// Keys, certificates and certificate requests of mamori's private PKI (OpenSSL 3 EVP APIs behind
// RAII types), plus the SHA-256 fingerprint people pin. Both halves link this: the collector issues
// with it, the agent makes its key and CSR and checks the pinned CA with it.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "collector/pki/openssl_handles.h"

namespace mamori::pki {

// The name every collector's server certificate carries and every agent checks (gRPC
// ssl_target_name_override): trust comes from the pinned private CA, so the LAN address an agent
// dials may change without breaking TLS.
inline constexpr char kCollectorServerName[] = "mamori-collector";

// A CSR larger than this is refused before it is parsed: a real one is a few hundred bytes.
inline constexpr std::size_t kMaxCertificateRequestBytes = 8 * 1024;
// Bounds on a CSR's subject. The collector ignores the subject anyway (it sets its own), but an
// absurd one is a sign of a broken or hostile client and is refused rather than parsed further.
inline constexpr int kMaxSubjectEntries = 8;
inline constexpr int kMaxSubjectEntryBytes = 64;

// An ECDSA P-256 private key. A secret: never log it, write it only with WriteNewSecretFile or
// ReplaceSecretFile.
class PrivateKey {
 public:
  static absl::StatusOr<PrivateKey> GenerateP256();
  // Unencrypted PKCS#8 or traditional PEM. An encrypted key is refused (there is no one to ask for
  // a passphrase).
  static absl::StatusOr<PrivateKey> FromPem(absl::string_view pem);

  // Unencrypted PKCS#8 PEM.
  absl::StatusOr<std::string> ToPem() const;
  EVP_PKEY* get() const { return key_.get(); }

 private:
  explicit PrivateKey(EvpPkeyPtr key) : key_(std::move(key)) {}
  EvpPkeyPtr key_;
};

// An X.509 certificate. Copies share the underlying (reference-counted) X509.
class Certificate {
 public:
  static absl::StatusOr<Certificate> FromDer(absl::string_view der);
  // The first certificate in `pem`.
  static absl::StatusOr<Certificate> FromPem(absl::string_view pem);
  // Takes a new reference on `cert`.
  static Certificate Share(X509* cert);

  Certificate(const Certificate& other);
  Certificate& operator=(const Certificate& other);
  Certificate(Certificate&&) noexcept = default;
  Certificate& operator=(Certificate&&) noexcept = default;

  std::string Der() const;
  std::string Pem() const;
  // "SHA256:" + 64 lowercase hex digits of the DER: what `mamori-collector ca show` prints.
  std::string Fingerprint() const;
  // Lowercase hex without leading zeros: the key of agent_certificates.
  std::string SerialHex() const;
  std::string CommonName() const;          // "" when absent
  std::string OrganizationalUnit() const;  // "" when absent
  absl::Time NotBefore() const;
  absl::Time NotAfter() const;
  // "DNS:name" and "IP:address" entries, in certificate order.
  std::vector<std::string> SubjectAltNames() const;
  bool IsCa() const;
  bool MatchesKey(const PrivateKey& key) const;

  X509* get() const { return cert_.get(); }

 private:
  explicit Certificate(X509Ptr cert) : cert_(std::move(cert)) {}
  X509Ptr cert_;
};

// A PKCS#10 certificate signing request.
class CertificateRequest {
 public:
  // The agent's side: a request signed by `key` with subject CN=`common_name`.
  static absl::StatusOr<CertificateRequest> Create(const PrivateKey& key,
                                                   absl::string_view common_name);
  // The collector's side: `der` from the network. INVALID_ARGUMENT "csr: <reason>" unless it is at
  // most kMaxCertificateRequestBytes of exactly one DER request, its subject is within the bounds
  // above, its key is EC P-256 (agents are ours; nothing else is needed) and its signature
  // verifies.
  static absl::StatusOr<CertificateRequest> ParseAndValidate(absl::string_view der);

  std::string Der() const;
  X509_REQ* get() const { return request_.get(); }

 private:
  explicit CertificateRequest(X509ReqPtr request) : request_(std::move(request)) {}
  X509ReqPtr request_;
};

// 64 lowercase hex digits of SHA-256(bytes); empty if OpenSSL fails.
std::string Sha256Hex(absl::string_view bytes);

// "SHA256:" + 64 lowercase hex digits of SHA-256(der).
std::string Sha256Fingerprint(absl::string_view der);

enum class ChainPurpose { kServer, kClient };

// Verifies that `leaf` is signed by `trusted_ca` (the only trust anchor), valid at `at` and usable
// for `purpose`. UNAUTHENTICATED with OpenSSL's reason otherwise.
absl::Status VerifyIssuedBy(const Certificate& leaf, const Certificate& trusted_ca, absl::Time at,
                            ChainPurpose purpose);

}  // namespace mamori::pki
