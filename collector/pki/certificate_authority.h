// The collector's own certificate authority: creates itself, issues the collector's server
// certificate and the client certificates of agents (and, later, of people). Only the collector
// holds a CA; agents link just the client half in x509.h.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "collector/pki/x509.h"

namespace mamori::pki {

inline constexpr absl::Duration kCaLifetime = absl::Hours(24 * 3650);
inline constexpr absl::Duration kServerCertificateLifetime = absl::Hours(24 * 365);
inline constexpr absl::Duration kAgentCertificateLifetime = absl::Hours(24 * 90);
// Certificates start this long before they are issued, so an agent whose clock is a little behind
// the collector's does not see its brand-new certificate as "not yet valid".
inline constexpr absl::Duration kClockSkewAllowance = absl::Hours(1);

// Who a client certificate is for. `role` goes into the subject's OU and tells the collector which
// table vouches for the certificate (agents: agent_certificates); `id` is the CN.
inline constexpr char kAgentRole[] = "agent";
struct ClientIdentity {
  std::string role;
  std::string id;
};

class CertificateAuthority {
 public:
  // A new CA: ECDSA P-256 key, self-signed, basicConstraints CA:TRUE (critical), keyUsage
  // keyCertSign|cRLSign (critical), valid kCaLifetime from `now`.
  static absl::StatusOr<CertificateAuthority> Create(absl::string_view common_name, absl::Time now);
  // An existing CA; refuses a key that does not belong to the certificate or a certificate that is
  // not a CA.
  static absl::StatusOr<CertificateAuthority> FromPem(absl::string_view key_pem,
                                                      absl::string_view certificate_pem);

  const Certificate& certificate() const { return certificate_; }
  const PrivateKey& key() const { return key_; }

  // The collector's TLS certificate for `server_key`: SANs = `names` (each a DNS name or an IP
  // literal; kCollectorServerName must be among them), EKU serverAuth.
  absl::StatusOr<Certificate> IssueServerCertificate(const PrivateKey& server_key,
                                                     std::span<const std::string> names,
                                                     absl::Time not_before,
                                                     absl::Time not_after) const;

  // A client certificate for the key in `request` (already validated). The request's subject is
  // ignored: the subject is O=mamori, OU=identity.role, CN=identity.id. EKU clientAuth, a random
  // positive 128-bit serial.
  absl::StatusOr<Certificate> IssueClientCertificate(const CertificateRequest& request,
                                                     const ClientIdentity& identity,
                                                     absl::Time not_before,
                                                     absl::Time not_after) const;

 private:
  CertificateAuthority(PrivateKey key, Certificate certificate)
      : key_(std::move(key)), certificate_(std::move(certificate)) {}

  PrivateKey key_;
  Certificate certificate_;
};

// The SANs a collector's server certificate gets by default: kCollectorServerName, localhost,
// 127.0.0.1, ::1 and this host's name.
std::vector<std::string> DefaultServerNames();

// A DNS name ([A-Za-z0-9.-], 1..253) or an IPv4/IPv6 literal.
bool IsValidServerName(absl::string_view name);

}  // namespace mamori::pki
