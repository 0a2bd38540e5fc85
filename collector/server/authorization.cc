#include "collector/server/authorization.h"

#include <grpc/grpc_security_constants.h>

#include <array>
#include <initializer_list>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "collector/pki/certificate_authority.h"
#include "collector/pki/x509.h"
#include "spdlog/spdlog.h"

namespace mamori::collector {
namespace {

constexpr std::uint32_t Allow(std::initializer_list<PrincipalKind> kinds) {
  std::uint32_t mask = 0;
  for (const PrincipalKind kind : kinds) {
    mask |= static_cast<std::uint32_t>(kind);
  }
  return mask;
}

struct RpcRule {
  absl::string_view method;
  absl::string_view short_name;  // for messages
  std::uint32_t allowed;         // PrincipalKind bits
};

// THE authorization table. An RPC missing here is refused to everyone.
const std::array kRpcRules = {
    // The token in the request is the credential; an agent re-enrolling has no certificate.
    RpcRule{kEnrollMethod, "Enroll", Allow({PrincipalKind::kEnrollee})},
    RpcRule{kConnectMethod, "Connect", Allow({PrincipalKind::kAgent})},
    RpcRule{kRenewMethod, "Renew", Allow({PrincipalKind::kAgent})},
    // People (mamorictl). A vendor reads; an admin also changes tokens and hosts. Agents never:
    // a compromised clinic PC must not be able to list or remove the others.
    RpcRule{kAdminListHostsMethod, "CollectorAdmin/ListHosts",
            Allow({PrincipalKind::kAdmin, PrincipalKind::kVendor})},
    RpcRule{kAdminListEnrollmentTokensMethod, "CollectorAdmin/ListEnrollmentTokens",
            Allow({PrincipalKind::kAdmin})},
    RpcRule{kAdminCreateEnrollmentTokenMethod, "CollectorAdmin/CreateEnrollmentToken",
            Allow({PrincipalKind::kAdmin})},
    RpcRule{kAdminRevokeEnrollmentTokenMethod, "CollectorAdmin/RevokeEnrollmentToken",
            Allow({PrincipalKind::kAdmin})},
    RpcRule{kAdminRemoveHostMethod, "CollectorAdmin/RemoveHost", Allow({PrincipalKind::kAdmin})},
    // The audit log shows what every vendor did; it is the clinic's record, not the vendor's.
    RpcRule{kAdminListAuditEventsMethod, "CollectorAdmin/ListAuditEvents",
            Allow({PrincipalKind::kAdmin})},
    // What the collector knows (query.proto): a vendor maintaining the clinic's PCs needs to read
    // all of it.
    RpcRule{kAdminGetHostMethod, "CollectorAdmin/GetHost",
            Allow({PrincipalKind::kAdmin, PrincipalKind::kVendor})},
    RpcRule{kAdminListFindingsMethod, "CollectorAdmin/ListFindings",
            Allow({PrincipalKind::kAdmin, PrincipalKind::kVendor})},
    RpcRule{kAdminListFindingHistoryMethod, "CollectorAdmin/ListFindingHistory",
            Allow({PrincipalKind::kAdmin, PrincipalKind::kVendor})},
    RpcRule{kAdminListLedgerMethod, "CollectorAdmin/ListLedger",
            Allow({PrincipalKind::kAdmin, PrincipalKind::kVendor})},
    RpcRule{kAdminListSoftwareMethod, "CollectorAdmin/ListSoftware",
            Allow({PrincipalKind::kAdmin, PrincipalKind::kVendor})},
    RpcRule{kAdminListAccountsMethod, "CollectorAdmin/ListAccounts",
            Allow({PrincipalKind::kAdmin, PrincipalKind::kVendor})},
    RpcRule{kAdminListIdleEpisodesMethod, "CollectorAdmin/ListIdleEpisodes",
            Allow({PrincipalKind::kAdmin, PrincipalKind::kVendor})},
    // The clinic's own records: the ledger's fields only people know, and the account review
    // (棚卸し) that decides which accounts stay. The clinic decides, not its vendor.
    RpcRule{kAdminUpdateHostAnnotationsMethod, "CollectorAdmin/UpdateHostAnnotations",
            Allow({PrincipalKind::kAdmin})},
    RpcRule{kAdminRecordAccountReviewMethod, "CollectorAdmin/RecordAccountReview",
            Allow({PrincipalKind::kAdmin})},
    // Reports: the vendor pulls them at a maintenance visit (read-only, and every pull audited).
    RpcRule{kAdminGenerateReportMethod, "CollectorAdmin/GenerateReport",
            Allow({PrincipalKind::kAdmin, PrincipalKind::kVendor})},
    // The evidence register: what only the clinic knows (security manager, backups, drills ...).
    // Vendors read it for the reports; the clinic records it.
    RpcRule{kAdminListOrgEvidenceMethod, "CollectorAdmin/ListOrgEvidence",
            Allow({PrincipalKind::kAdmin, PrincipalKind::kVendor})},
    RpcRule{kAdminRecordOrgEvidenceMethod, "CollectorAdmin/RecordOrgEvidence",
            Allow({PrincipalKind::kAdmin})},
    // The dashboard: counts and the most urgent actions, read from the same knowledge.
    RpcRule{kAdminGetClinicSummaryMethod, "CollectorAdmin/GetClinicSummary",
            Allow({PrincipalKind::kAdmin, PrincipalKind::kVendor})},
};

const RpcRule* FindRule(absl::string_view method) {
  for (const RpcRule& rule : kRpcRules) {
    if (rule.method == method) {
      return &rule;
    }
  }
  return nullptr;
}

bool IsPerson(PrincipalKind kind) {
  return kind == PrincipalKind::kAdmin || kind == PrincipalKind::kVendor;
}

// "CollectorAdmin/ListHosts" for "/mamori.v1.CollectorAdmin/ListHosts": how the audit log names
// actions.
absl::string_view ActionName(absl::string_view method) {
  constexpr absl::string_view kPrefix = "/mamori.v1.";
  if (absl::StartsWith(method, kPrefix)) {
    method.remove_prefix(kPrefix.size());
  }
  return method;
}

}  // namespace

absl::string_view PrincipalKindName(PrincipalKind kind) {
  switch (kind) {
    case PrincipalKind::kEnrollee:
      return "enrollee";
    case PrincipalKind::kAgent:
      return "agent";
    case PrincipalKind::kAdmin:
      return "admin";
    case PrincipalKind::kVendor:
      return "vendor";
  }
  return "unknown";
}

absl::StatusOr<Authorizer::PeerCertificate> Authorizer::ReadPeerCertificate(absl::string_view pem) {
  std::string key = pki::Sha256Hex(pem);  // empty only if OpenSSL failed: then nothing is kept
  if (!key.empty()) {
    absl::MutexLock lock(&parsed_mu_);
    if (const auto it = parsed_.find(key); it != parsed_.end()) {
      return it->second;
    }
  }
  // Parsed outside the lock: other threads' known certificates do not wait for this one.
  absl::StatusOr<pki::Certificate> cert = pki::Certificate::FromPem(pem);
  if (!cert.ok()) {
    return absl::UnauthenticatedError("the client certificate cannot be read");
  }
  PeerCertificate fields{cert->SerialHex(), cert->CommonName(), cert->OrganizationalUnit(),
                         cert->NotAfter()};
  if (key.empty()) {
    return fields;
  }
  absl::MutexLock lock(&parsed_mu_);
  if (parsed_.size() >= max_remembered_) {
    parsed_.clear();
  }
  parsed_.insert_or_assign(std::move(key), fields);
  return fields;
}

std::size_t Authorizer::remembered_certificates() const {
  absl::MutexLock lock(&parsed_mu_);
  return parsed_.size();
}

absl::StatusOr<Principal> Authorizer::Identify(const grpc::AuthContext& auth, absl::Time now) {
  const std::vector<grpc::string_ref> pems =
      auth.FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME);
  if (pems.empty() || !auth.IsPeerAuthenticated()) {
    return Principal{};
  }
  return IdentifyCertificate(absl::string_view(pems.front().data(), pems.front().size()), now);
}

absl::StatusOr<Principal> Authorizer::IdentifyCertificate(absl::string_view pem, absl::Time now) {
  // TLS has verified the chain to our CA and the validity period already; what follows is what
  // only the database knows.
  absl::StatusOr<PeerCertificate> cert = ReadPeerCertificate(pem);
  if (!cert.ok()) {
    return cert.status();
  }
  const std::string& serial = cert->serial;
  if (users_ != nullptr && ParseUserRole(cert->unit).ok()) {
    return IdentifyPerson(*cert, now);
  }
  if (cert->unit != pki::kAgentRole) {
    return absl::UnauthenticatedError(
        "the client certificate is not a mamori agent or user certificate");
  }
  absl::StatusOr<std::optional<AgentCertificateRecord>> record = trust_.FindCertificate(serial);
  if (!record.ok()) {
    spdlog::error("cannot look up certificate {}: {}", serial,
                  std::string(record.status().message()));
    return absl::UnavailableError("the collector cannot check certificates right now");
  }
  if (!record->has_value() || (*record)->agent_id != cert->common_name) {
    return absl::UnauthenticatedError(
        absl::StrCat("certificate ", serial, " is not known to this collector"));
  }
  const AgentCertificateRecord& known = **record;
  if (known.revoked_at.has_value() || known.agent_removed_at.has_value()) {
    return absl::UnauthenticatedError(
        absl::StrCat("certificate ", serial, " of agent ", known.agent_id, " has been revoked"));
  }
  if (known.not_after <= now || cert->not_after <= now) {
    return absl::UnauthenticatedError(
        absl::StrCat("certificate ", serial, " of agent ", known.agent_id, " has expired"));
  }
  return Principal{PrincipalKind::kAgent, known.agent_id, serial};
}

absl::StatusOr<Principal> Authorizer::IdentifyPerson(const PeerCertificate& cert, absl::Time now) {
  const std::string& serial = cert.serial;
  absl::StatusOr<std::optional<UserCertificateRecord>> record = users_->FindCertificate(serial);
  if (!record.ok()) {
    spdlog::error("cannot look up certificate {}: {}", serial,
                  std::string(record.status().message()));
    return absl::UnavailableError("the collector cannot check certificates right now");
  }
  // The role is the one recorded when the certificate was issued; the OU must agree with it.
  if (!record->has_value() || (*record)->user_name != cert.common_name ||
      UserRoleName((*record)->role) != cert.unit) {
    return absl::UnauthenticatedError(
        absl::StrCat("certificate ", serial, " is not known to this collector"));
  }
  const UserCertificateRecord& known = **record;
  if (known.revoked_at.has_value() || known.user_revoked_at.has_value()) {
    return absl::UnauthenticatedError(
        absl::StrCat("certificate ", serial, " of user ", known.user_name, " has been revoked"));
  }
  if (known.not_after <= now || cert.not_after <= now) {
    return absl::UnauthenticatedError(
        absl::StrCat("certificate ", serial, " of user ", known.user_name, " has expired"));
  }
  return Principal{known.role == UserRole::kAdmin ? PrincipalKind::kAdmin : PrincipalKind::kVendor,
                   known.user_name, serial};
}

void Authorizer::AuditRefusal(absl::string_view method, const grpc::AuthContext& auth,
                              const std::optional<Principal>& principal,
                              const absl::Status& refusal, absl::Time now) {
  if (audit_ == nullptr || absl::IsUnavailable(refusal)) {
    return;
  }
  AuditEntry entry;
  if (principal.has_value() && principal->kind != PrincipalKind::kEnrollee) {
    entry.actor = principal->id;
    entry.role = std::string(PrincipalKindName(principal->kind));
  } else {
    // A certificate TLS verified against our CA, but refused by the database (revoked, expired,
    // unknown): who it claims to be is worth recording. No certificate at all: not audited.
    const std::vector<grpc::string_ref> pems =
        auth.FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME);
    if (pems.empty() || !auth.IsPeerAuthenticated()) {
      return;
    }
    absl::StatusOr<PeerCertificate> cert =
        ReadPeerCertificate(absl::string_view(pems.front().data(), pems.front().size()));
    if (!cert.ok()) {
      return;
    }
    entry.actor = cert->common_name;
    entry.role = cert->unit;
    entry.target = absl::StrCat("certificate ", cert->serial);
  }
  entry.action = std::string(ActionName(method));
  entry.detail = std::string(refusal.message());
  entry.outcome = AuditOutcome::kRefused;
  if (absl::Status status = audit_->Record(entry, now); !status.ok()) {
    spdlog::error("cannot write the audit log: {}", std::string(status.message()));
  }
}

absl::StatusOr<Principal> Authorizer::Authorize(absl::string_view method,
                                                const grpc::AuthContext& auth, absl::Time now) {
  const RpcRule* rule = FindRule(method);
  if (rule == nullptr) {
    absl::Status refusal =
        absl::PermissionDeniedError(absl::StrCat(method, " is not open to any caller"));
    AuditRefusal(method, auth, std::nullopt, refusal, now);
    return refusal;
  }
  absl::StatusOr<Principal> principal = Identify(auth, now);
  if (!principal.ok()) {
    AuditRefusal(method, auth, std::nullopt, principal.status(), now);
    return principal.status();
  }
  if ((rule->allowed & static_cast<std::uint32_t>(principal->kind)) != 0) {
    return principal;
  }
  if (principal->kind == PrincipalKind::kEnrollee) {
    return absl::UnauthenticatedError(
        absl::StrCat(rule->short_name, " requires a client certificate"));
  }
  absl::Status refusal =
      IsPerson(principal->kind)
          ? absl::PermissionDeniedError(absl::StrCat("role ", PrincipalKindName(principal->kind),
                                                     " may not call ", rule->short_name))
          : absl::PermissionDeniedError(absl::StrCat(rule->short_name, " is not allowed for ",
                                                     PrincipalKindName(principal->kind), " ",
                                                     principal->id));
  AuditRefusal(method, auth, *principal, refusal, now);
  return refusal;
}

absl::Status Authorizer::AuthorizePerson(absl::string_view method, const Principal& person,
                                         absl::string_view channel, absl::Time now) {
  const RpcRule* rule = FindRule(method);
  absl::Status refusal;
  if (!IsPerson(person.kind) || person.id.empty()) {
    // Only the console calls this, with a session's person; anything else is a bug, refused.
    return absl::UnauthenticatedError("no person is logged in");
  }
  if (rule == nullptr) {
    refusal = absl::PermissionDeniedError(absl::StrCat(method, " is not open to any caller"));
  } else if ((rule->allowed & static_cast<std::uint32_t>(person.kind)) != 0) {
    return absl::OkStatus();
  } else {
    refusal = absl::PermissionDeniedError(
        absl::StrCat("role ", PrincipalKindName(person.kind), " may not call ", rule->short_name));
  }
  if (audit_ != nullptr) {
    AuditEntry entry;
    entry.actor = person.id;
    entry.role = std::string(PrincipalKindName(person.kind));
    entry.action = std::string(ActionName(method));
    entry.detail = absl::StrCat(channel, ": ", refusal.message());
    entry.outcome = AuditOutcome::kRefused;
    if (absl::Status status = audit_->Record(entry, now); !status.ok()) {
      spdlog::error("cannot write the audit log: {}", std::string(status.message()));
    }
  }
  return refusal;
}

}  // namespace mamori::collector
