// The collector's own key material on disk (DATA_DIR/pki/): its CA, created on first use, and the
// TLS server certificate it issues itself, re-issued when it nears expiry or its names change.
#pragma once

#include <filesystem>
#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "collector/pki/certificate_authority.h"

namespace mamori::collector {

// A server certificate expiring within this is replaced at start.
inline constexpr absl::Duration kServerCertificateRenewBefore = absl::Hours(24 * 30);

struct CollectorIdentity {
  pki::CertificateAuthority ca;
  std::string server_key_pem;  // secret
  pki::Certificate server_certificate;

  // What the server presents: its certificate, then the CA's, so that an enrolling agent can find
  // the CA it pinned in the handshake.
  std::string ServerChainPem() const;
};

// This machine's host name when it is a valid DNS name, else empty.
std::string LocalHostName();

std::filesystem::path PkiDirectory(const std::filesystem::path& data_dir);

// Loads DATA_DIR/pki/ca.key and ca.crt, or creates a new CA there when there is none. `serve` and
// `ca show` both call this, so installers can be prepared before the collector first starts.
absl::StatusOr<pki::CertificateAuthority> LoadOrCreateCollectorCa(
    const std::filesystem::path& data_dir, absl::Time now);

// Loads the CA and DATA_DIR/pki/server.key + server.crt, issuing a new server certificate (and key)
// when there is none, it expires within kServerCertificateRenewBefore, its SANs differ from
// `names`, or it was not issued by this CA.
absl::StatusOr<CollectorIdentity> LoadOrIssueCollectorIdentity(
    const std::filesystem::path& data_dir, std::span<const std::string> names, absl::Time now);

}  // namespace mamori::collector
