// The agent's identity material in its data directory: the collector's CA it pinned (ca.pem), its
// own key (agent.key, 0600, never sent anywhere) and the certificate the collector issued for that
// key (agent.crt), whose CN is the agent id. Also how they become gRPC channel credentials and when
// the certificate is due for renewal.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agent/collector_address.h"
#include "collector/pki/x509.h"

namespace mamori::agent {

inline constexpr char kCaFile[] = "ca.pem";
inline constexpr char kKeyFile[] = "agent.key";
inline constexpr char kCertificateFile[] = "agent.crt";

struct AgentCredentials {
  std::string ca_pem;
  std::string key_pem;  // secret
  pki::Certificate certificate;

  std::string agent_id() const { return certificate.CommonName(); }
};

// The enrolled agent's credentials, or nullopt when the agent is not enrolled yet (no agent.crt).
// A certificate that does not belong to the key or was not issued by the pinned CA is an error.
absl::StatusOr<std::optional<AgentCredentials>> LoadAgentCredentials(
    const std::filesystem::path& data_dir);

// A channel to the collector that trusts only `ca_pem` and expects the server certificate to name
// pki::kCollectorServerName (so a LAN address change never breaks TLS); with `credentials` it
// presents the agent's certificate (mutual TLS).
std::shared_ptr<grpc::Channel> CollectorChannel(const CollectorAddress& address,
                                                const std::string& ca_pem,
                                                const AgentCredentials* credentials);

// True from two thirds of the certificate's lifetime on.
bool RenewalDue(const pki::Certificate& certificate, absl::Time now);

// Asks the collector for a new certificate for the same key over mutual TLS (Renew) and replaces
// agent.crt with it.
absl::StatusOr<AgentCredentials> RenewCertificate(const CollectorAddress& address,
                                                  const std::filesystem::path& data_dir,
                                                  const AgentCredentials& current,
                                                  absl::Duration timeout);

// Checks what the collector answered to Enroll or Renew and stores it: the certificate must be for
// `key_pem`, issued by the CA in `ca_pem` for client use, with CN == `agent_id`.
absl::StatusOr<AgentCredentials> StoreIssuedCertificate(const std::filesystem::path& data_dir,
                                                        const std::string& ca_pem,
                                                        const std::string& key_pem,
                                                        const std::string& agent_id,
                                                        const std::string& certificate_der);

}  // namespace mamori::agent
