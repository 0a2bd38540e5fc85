// Who may call which RPC: the one table every RPC of the collector is checked against, and how the
// caller (the principal) is derived from the client certificate TLS has already verified. New RPCs
// and new kinds of principal (admin, vendor) are added here and nowhere else.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "collector/pki/x509.h"
#include "collector/storage/audit_log.h"
#include "collector/storage/trust_store.h"
#include "collector/storage/user_store.h"

namespace mamori::collector {

enum class PrincipalKind : std::uint32_t {
  // No client certificate. Such a caller can prove nothing but an enrollment token.
  kEnrollee = 1u << 0,
  // An agent certificate issued by this collector, unexpired, not revoked, agent not removed.
  kAgent = 1u << 1,
  // People (mamorictl); certificates with OU=admin / OU=vendor, to be vouched for by their table.
  kAdmin = 1u << 2,
  kVendor = 1u << 3,
};

struct Principal {
  PrincipalKind kind = PrincipalKind::kEnrollee;
  std::string id;  // agent id or user name (the certificate's CN); empty for an enrollee
  std::string certificate_serial;  // lowercase hex; empty for an enrollee
};

absl::string_view PrincipalKindName(PrincipalKind kind);

// Full gRPC method names, as the table keys them.
inline constexpr char kEnrollMethod[] = "/mamori.v1.AgentGateway/Enroll";
inline constexpr char kConnectMethod[] = "/mamori.v1.AgentGateway/Connect";
inline constexpr char kRenewMethod[] = "/mamori.v1.AgentGateway/Renew";
inline constexpr char kAdminListHostsMethod[] = "/mamori.v1.CollectorAdmin/ListHosts";
inline constexpr char kAdminListEnrollmentTokensMethod[] =
    "/mamori.v1.CollectorAdmin/ListEnrollmentTokens";
inline constexpr char kAdminCreateEnrollmentTokenMethod[] =
    "/mamori.v1.CollectorAdmin/CreateEnrollmentToken";
inline constexpr char kAdminRevokeEnrollmentTokenMethod[] =
    "/mamori.v1.CollectorAdmin/RevokeEnrollmentToken";
inline constexpr char kAdminRemoveHostMethod[] = "/mamori.v1.CollectorAdmin/RemoveHost";
inline constexpr char kAdminListAuditEventsMethod[] = "/mamori.v1.CollectorAdmin/ListAuditEvents";
inline constexpr char kAdminGetHostMethod[] = "/mamori.v1.CollectorAdmin/GetHost";
inline constexpr char kAdminListFindingsMethod[] = "/mamori.v1.CollectorAdmin/ListFindings";
inline constexpr char kAdminListFindingHistoryMethod[] =
    "/mamori.v1.CollectorAdmin/ListFindingHistory";
inline constexpr char kAdminListLedgerMethod[] = "/mamori.v1.CollectorAdmin/ListLedger";
inline constexpr char kAdminListSoftwareMethod[] = "/mamori.v1.CollectorAdmin/ListSoftware";
inline constexpr char kAdminListAccountsMethod[] = "/mamori.v1.CollectorAdmin/ListAccounts";
inline constexpr char kAdminListIdleEpisodesMethod[] = "/mamori.v1.CollectorAdmin/ListIdleEpisodes";
inline constexpr char kAdminUpdateHostAnnotationsMethod[] =
    "/mamori.v1.CollectorAdmin/UpdateHostAnnotations";
inline constexpr char kAdminRecordAccountReviewMethod[] =
    "/mamori.v1.CollectorAdmin/RecordAccountReview";
inline constexpr char kAdminGenerateReportMethod[] = "/mamori.v1.CollectorAdmin/GenerateReport";
inline constexpr char kAdminListOrgEvidenceMethod[] = "/mamori.v1.CollectorAdmin/ListOrgEvidence";
inline constexpr char kAdminRecordOrgEvidenceMethod[] =
    "/mamori.v1.CollectorAdmin/RecordOrgEvidence";
inline constexpr char kAdminGetClinicSummaryMethod[] = "/mamori.v1.CollectorAdmin/GetClinicSummary";

// Distinct client certificates whose parsed fields the authorizer remembers (a clinic has tens of
// PCs; the bound covers the 10,000 agents of the load tests). Full: it starts again empty.
inline constexpr std::size_t kMaxRememberedPeerCertificates = 16384;

// Thread-safe: gRPC calls it from any of its threads.
class Authorizer {
 public:
  // `trust` must outlive the authorizer.
  explicit Authorizer(TrustStore& trust) : trust_(trust) {}
  // Also accepts people's certificates vouched for by `users`, and writes every refusal of a caller
  // holding a certificate of this CA to `audit`. Both must outlive the authorizer. (Refusals of
  // callers without one are only logged: anyone on the LAN could otherwise fill the append-only
  // log.)
  // `max_remembered`: how many certificates' parsed fields are kept (tests set fewer).
  Authorizer(TrustStore& trust, UserStore& users, AuditLog& audit,
             std::size_t max_remembered = kMaxRememberedPeerCertificates)
      : trust_(trust), users_(&users), audit_(&audit), max_remembered_(max_remembered) {}

  // The caller of `method`, if the table lets that kind of principal call it. Errors, with the
  // exact message the caller gets:
  //   UNAUTHENTICATED "<Method> requires a client certificate"        (none presented)
  //   UNAUTHENTICATED "certificate <serial> is not known to this collector"
  //   UNAUTHENTICATED "certificate <serial> of agent <id> has been revoked"
  //   UNAUTHENTICATED "certificate <serial> of agent <id> has expired"
  //   UNAUTHENTICATED "the client certificate is not a mamori agent or user certificate"
  //   UNAUTHENTICATED "certificate <serial> of user <name> has been revoked" (or "has expired")
  //   PERMISSION_DENIED "<Method> is not allowed for <kind> <id>"
  //   PERMISSION_DENIED "role <admin|vendor> may not call <Service>/<Method>"   (a person)
  //   PERMISSION_DENIED "<method> is not open to any caller"        (not in the table)
  absl::StatusOr<Principal> Authorize(absl::string_view method, const grpc::AuthContext& auth,
                                      absl::Time now);

  // For callers identified another way (the console's session of a person): whether the table
  // lets `person` (kind admin or vendor) call `method`. A refusal is audited with `channel`
  // ("console") before its reason, and has the same messages as Authorize.
  absl::Status AuthorizePerson(absl::string_view method, const Principal& person,
                               absl::string_view channel, absl::Time now);

  // The principal behind the verified peer certificate in `auth` (kEnrollee when there is none).
  absl::StatusOr<Principal> Identify(const grpc::AuthContext& auth, absl::Time now);
  // The principal behind `pem`, a client certificate TLS has verified against this collector's CA.
  // Its fields (serial, CN, OU, expiry) are parsed once per distinct certificate and remembered:
  // every reconnect of an agent presents the same bytes, and OpenSSL's decoding of them was the
  // largest share of a Connect's CPU. What may change (revocation, removal, expiry against `now`)
  // is looked up every time.
  absl::StatusOr<Principal> IdentifyCertificate(absl::string_view pem, absl::Time now);

  // How many certificates' fields are remembered now (tests).
  std::size_t remembered_certificates() const ABSL_LOCKS_EXCLUDED(parsed_mu_);

 private:
  struct PeerCertificate {
    std::string serial;  // lowercase hex
    std::string common_name;
    std::string unit;  // OU
    absl::Time not_after;
  };
  absl::StatusOr<PeerCertificate> ReadPeerCertificate(absl::string_view pem)
      ABSL_LOCKS_EXCLUDED(parsed_mu_);
  absl::StatusOr<Principal> IdentifyPerson(const PeerCertificate& cert, absl::Time now);
  void AuditRefusal(absl::string_view method, const grpc::AuthContext& auth,
                    const std::optional<Principal>& principal, const absl::Status& refusal,
                    absl::Time now);

  TrustStore& trust_;
  UserStore* users_ = nullptr;  // null: no person is accepted
  AuditLog* audit_ = nullptr;   // null: refusals are only logged
  const std::size_t max_remembered_ = kMaxRememberedPeerCertificates;

  mutable absl::Mutex parsed_mu_;
  // Keyed by the SHA-256 (pki::Sha256Hex) of the PEM bytes: 64 characters per certificate, not
  // the ~1 kB PEM.
  absl::flat_hash_map<std::string, PeerCertificate> parsed_ ABSL_GUARDED_BY(parsed_mu_);
};

}  // namespace mamori::collector
