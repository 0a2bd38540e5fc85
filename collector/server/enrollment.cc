#include "collector/server/enrollment.h"

#include <openssl/rand.h>

#include <array>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "collector/ingest/validate.h"
#include "proto/codec/proto_time.h"
#include "spdlog/spdlog.h"

namespace mamori::collector {
namespace {

constexpr std::size_t kMaxHostnameBytes = 255;
constexpr std::size_t kMaxVersionBytes = 64;
constexpr std::size_t kMaxMachineIdBytes = 128;

absl::StatusOr<std::string> NewAgentId() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return absl::InternalError("cannot draw a random agent id");
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

absl::Status CheckText(absl::string_view field, absl::string_view value, std::size_t max_bytes,
                       bool required) {
  if (required && value.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  }
  if (value.size() > max_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": longer than ", max_bytes, " bytes"));
  }
  if (!IsValidUtf8(value)) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": not valid UTF-8"));
  }
  return absl::OkStatus();
}

}  // namespace

void AgentEnrollment::Audit(const AuditEntry& entry, absl::Time now) {
  if (audit_ == nullptr) {
    return;
  }
  if (absl::Status status = audit_->Record(entry, now); !status.ok()) {
    spdlog::error("cannot write the audit log: {}", std::string(status.message()));
  }
}

absl::StatusOr<mamori::v1::EnrollResponse> AgentEnrollment::Issue(
    const pki::CertificateRequest& csr, const std::string& agent_id, absl::Time now,
    AgentCertificateRecord& record) {
  // Whole seconds, as stored: the record and the certificate must agree exactly.
  const absl::Time issued = absl::FromUnixSeconds(absl::ToUnixSeconds(now));
  absl::StatusOr<pki::Certificate> cert = ca_.IssueClientCertificate(
      csr, {pki::kAgentRole, agent_id}, issued - pki::kClockSkewAllowance,
      issued + pki::kAgentCertificateLifetime);
  if (!cert.ok()) {
    return cert.status();
  }
  record = AgentCertificateRecord{cert->SerialHex(), agent_id, cert->NotBefore(),
                                  cert->NotAfter(),  issued,   std::nullopt,
                                  std::nullopt};
  mamori::v1::EnrollResponse response;
  response.set_agent_id(agent_id);
  response.set_certificate_der(cert->Der());
  response.add_ca_chain_der(ca_.certificate().Der());
  *response.mutable_not_after() = codec::ToProtoTimestamp(cert->NotAfter());
  return response;
}

absl::StatusOr<mamori::v1::EnrollResponse> AgentEnrollment::Enroll(
    const mamori::v1::EnrollRequest& request, absl::string_view peer, absl::Time now) {
  if (request.token().empty() || request.token().size() > kMaxEnrollmentTokenBytes) {
    spdlog::warn("enrollment from {} refused: the token is empty or oversized", std::string(peer));
    return absl::UnauthenticatedError(kInvalidTokenMessage);
  }
  for (const absl::Status& status :
       {CheckText("hostname", request.hostname(), kMaxHostnameBytes, true),
        CheckText("agent_version", request.agent_version(), kMaxVersionBytes, false),
        CheckText("machine_id", request.machine_id(), kMaxMachineIdBytes, false)}) {
    if (!status.ok()) {
      return status;
    }
  }
  absl::StatusOr<pki::CertificateRequest> csr =
      pki::CertificateRequest::ParseAndValidate(request.csr_der());
  if (!csr.ok()) {
    spdlog::warn("enrollment from {} refused: {}", std::string(peer),
                 std::string(csr.status().message()));
    return csr.status();
  }
  absl::StatusOr<std::string> agent_id = NewAgentId();
  if (!agent_id.ok()) {
    return agent_id.status();
  }
  AgentCertificateRecord record;
  absl::StatusOr<mamori::v1::EnrollResponse> response = Issue(*csr, *agent_id, now, record);
  if (!response.ok()) {
    return response.status();
  }
  absl::Status stored = trust_.EnrollAgent(
      request.token(),
      {*agent_id, request.hostname(), request.agent_version(), request.machine_id()}, record, now);
  if (absl::IsUnauthenticated(stored)) {
    spdlog::warn("enrollment of '{}' from {} refused: {}", request.hostname(), std::string(peer),
                 std::string(stored.message()));
    // TrustStore names a token it knows as "enrollment token <id> (<label>) ...": someone holds a
    // real token that no longer works (leaked, or reused after its one use). Worth the admin's eye.
    if (absl::StartsWith(stored.message(), "enrollment token ")) {
      Audit({std::string(peer), "enrollee", "enroll", request.hostname(),
             std::string(stored.message()), AuditOutcome::kRefused},
            now);
    }
    return absl::UnauthenticatedError(kInvalidTokenMessage);
  }
  if (!stored.ok()) {
    spdlog::error("enrollment of '{}' from {} failed: {}", request.hostname(), std::string(peer),
                  std::string(stored.message()));
    return absl::UnavailableError("the collector could not store the enrollment; retry later");
  }
  Audit({*agent_id, "agent", "enroll", *agent_id,
         absl::StrCat("hostname=", request.hostname(), " serial=", record.serial,
                      " expires=", FormatTrustTime(record.not_after)),
         AuditOutcome::kOk},
        now);
  spdlog::info("enrolled agent {} ('{}', machine id '{}') from {}; certificate {} until {}",
               *agent_id, request.hostname(), request.machine_id(), std::string(peer),
               record.serial, FormatTrustTime(record.not_after));
  return response;
}

absl::StatusOr<mamori::v1::EnrollResponse> AgentEnrollment::Renew(
    const Principal& agent, const mamori::v1::RenewRequest& request, absl::Time now) {
  absl::StatusOr<pki::CertificateRequest> csr =
      pki::CertificateRequest::ParseAndValidate(request.csr_der());
  if (!csr.ok()) {
    return csr.status();
  }
  AgentCertificateRecord record;
  absl::StatusOr<mamori::v1::EnrollResponse> response = Issue(*csr, agent.id, now, record);
  if (!response.ok()) {
    return response.status();
  }
  if (absl::Status stored = trust_.RecordCertificate(record); !stored.ok()) {
    spdlog::error("renewal for agent {} failed: {}", agent.id, std::string(stored.message()));
    return absl::UnavailableError("the collector could not store the certificate; retry later");
  }
  Audit({agent.id, "agent", "renew", agent.id,
         absl::StrCat("serial=", record.serial, " replaces=", agent.certificate_serial,
                      " expires=", FormatTrustTime(record.not_after)),
         AuditOutcome::kOk},
        now);
  spdlog::info("renewed agent {}: certificate {} replaces {}, valid until {}", agent.id,
               record.serial, agent.certificate_serial, FormatTrustTime(record.not_after));
  return response;
}

}  // namespace mamori::collector
