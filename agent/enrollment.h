// First contact with the collector: check that it holds the CA the installer pinned (before
// anything is sent), then enroll with the token and a CSR for a key made here.
#pragma once

#include <filesystem>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "agent/agent_credentials.h"
#include "agent/collector_address.h"
#include "collector/pki/x509.h"

namespace mamori::agent {

// Opens a TLS connection to `address` with OpenSSL directly (bounded by `timeout`), reads the
// certificate chain the collector presents and returns the CA certificate in it whose SHA-256
// fingerprint is `pinned_fingerprint` (canonical form, see CheckCaFingerprint in
// agent/agent_options.h), after checking that the server certificate chains to it and names
// pki::kCollectorServerName. Nothing is written to the connection but the TLS handshake itself.
// PERMISSION_DENIED when the collector does not prove the pinned CA; UNAVAILABLE when it cannot be
// reached.
absl::StatusOr<pki::Certificate> FetchPinnedCa(const CollectorAddress& address,
                                               absl::string_view pinned_fingerprint,
                                               absl::Duration timeout);

struct EnrollmentRequest {
  std::string token;  // secret
  std::string pinned_fingerprint;
  std::string hostname;
  std::string machine_id;
};

// FetchPinnedCa, then (only if it matched) saves ca.pem, creates agent.key (0600; reused if an
// earlier attempt made one), sends Enroll with a CSR over TLS trusting only that CA, checks and
// saves the certificate. Creates `data_dir` (0700) only once the pin matched.
absl::StatusOr<AgentCredentials> EnrollAgent(const CollectorAddress& address,
                                             const std::filesystem::path& data_dir,
                                             const EnrollmentRequest& request,
                                             absl::Duration timeout);

}  // namespace mamori::agent
