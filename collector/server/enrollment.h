// Enroll and Renew, the RPCs that hand out agent certificates, as plain functions of the request:
// the gateway only converts their absl::Status to grpc::Status.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "collector/pki/certificate_authority.h"
#include "collector/server/authorization.h"
#include "collector/storage/audit_log.h"
#include "collector/storage/trust_store.h"
#include "mamori/v1/agent.pb.h"

namespace mamori::collector {

// Every refused token gets this answer, whatever the reason, so that a caller learns nothing about
// which tokens exist; the collector's log names the reason.
inline constexpr char kInvalidTokenMessage[] = "enrollment token is not valid";

class AgentEnrollment {
 public:
  // Both must outlive this object.
  AgentEnrollment(TrustStore& trust, const pki::CertificateAuthority& ca)
      : trust_(trust), ca_(ca) {}
  // Also records enrollments, renewals and the refusals of real (revoked, expired, used-up) tokens
  // in `audit` when it is not null. Unknown tokens are only logged: anyone on the LAN can send
  // those. `audit` must outlive this object.
  AgentEnrollment(TrustStore& trust, const pki::CertificateAuthority& ca, AuditLog* audit)
      : trust_(trust), ca_(ca), audit_(audit) {}

  // Validates the request and its CSR (INVALID_ARGUMENT "<field>: <reason>"), redeems one use of
  // the token (UNAUTHENTICATED kInvalidTokenMessage), assigns a new random 128-bit agent id and
  // issues a kAgentCertificateLifetime certificate for it; the agent, its certificate and the token
  // use are stored in one transaction. `peer` is for the log only.
  absl::StatusOr<mamori::v1::EnrollResponse> Enroll(const mamori::v1::EnrollRequest& request,
                                                    absl::string_view peer, absl::Time now);

  // A new certificate for `agent` (already authorized) for the key in the request's CSR.
  absl::StatusOr<mamori::v1::EnrollResponse> Renew(const Principal& agent,
                                                   const mamori::v1::RenewRequest& request,
                                                   absl::Time now);

 private:
  absl::StatusOr<mamori::v1::EnrollResponse> Issue(const pki::CertificateRequest& csr,
                                                   const std::string& agent_id, absl::Time now,
                                                   AgentCertificateRecord& record);

  void Audit(const AuditEntry& entry, absl::Time now);

  TrustStore& trust_;
  const pki::CertificateAuthority& ca_;
  AuditLog* audit_ = nullptr;
};

}  // namespace mamori::collector
