#include "collector/server/admin_service.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "collector/ingest/validate.h"
#include "collector/knowledge/policy_source.h"
#include "collector/pki/x509.h"
#include "collector/report/report_render.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "platform/rules/org_rules.h"
#include "proto/codec/proto_time.h"
#include "proto/codec/report_names.h"
#include "spdlog/spdlog.h"

namespace mamori::collector {
namespace {

// How the audit log names the console's channel.
constexpr absl::string_view kConsoleChannel = "console";

// Defaults of CreateEnrollmentToken, the same as `mamori-collector token create`.
constexpr absl::Duration kDefaultTokenTtl = absl::Hours(24);
constexpr std::int64_t kDefaultTokenUses = 1;

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) {
    return grpc::Status::OK;
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

// Bounds of the query RPCs the service checks before taking the reader's lock (query.proto).
constexpr int kMaxHostHistoryLimit = 5000;
constexpr std::size_t kMaxReviewNoteCharacters = 2000;
// A filter value or annotation is cut to this many bytes in an audit detail: enough to tell what a
// person asked for, without copying long free text into the append-only log.
constexpr std::size_t kMaxDetailValueBytes = 64;

// The page of a list request: page_size from 0 (the default) to kMaxPageSize.
absl::Status CheckPage(const mamori::v1::PageRequest& page) {
  if (page.page_size() < 0 || page.page_size() > kMaxPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("page.page_size: must be from 0 to ", kMaxPageSize));
  }
  return absl::OkStatus();
}

absl::Status Required(absl::string_view value, absl::string_view field) {
  if (value.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  }
  return absl::OkStatus();
}

// Code points of valid UTF-8 (ValidateFieldBounds has checked it): bytes that do not continue one.
std::size_t CountCharacters(absl::string_view text) {
  std::size_t count = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0u) != 0x80u) {
      ++count;
    }
  }
  return count;
}

// "fail" for FINDING_STATUS_FAIL: the enum value's name without its prefix, as people type it.
std::string ShortEnumName(const std::string& full, absl::string_view prefix) {
  absl::string_view name = full;
  if (absl::StartsWith(name, prefix)) {
    name.remove_prefix(prefix.size());
  }
  return absl::AsciiStrToLower(name);
}

std::string StatusNames(const google::protobuf::RepeatedField<int>& statuses) {
  std::vector<std::string> names;
  for (const int status : statuses) {
    names.push_back(ShortEnumName(
        mamori::v1::FindingStatus_Name(static_cast<mamori::v1::FindingStatus>(status)),
        "FINDING_STATUS_"));
  }
  return absl::StrJoin(names, ",");
}

// "key=value key2=value2" for the values that are set, each cut to kMaxDetailValueBytes: the
// filters a person used, for the audit log.
std::string Filters(std::initializer_list<std::pair<absl::string_view, absl::string_view>> pairs) {
  std::vector<std::string> parts;
  for (const auto& [key, value] : pairs) {
    if (!value.empty()) {
      parts.push_back(absl::StrCat(key, "=", SanitizeAuditText(value, kMaxDetailValueBytes)));
    }
  }
  return absl::StrJoin(parts, " ");
}

// "<filters> page_size=N: <what was returned>", without a leading space when there are no filters.
std::string ListDetail(const std::string& filters, const mamori::v1::PageRequest& page,
                       const std::string& returned) {
  std::string detail = filters;
  if (page.page_size() != 0) {
    absl::StrAppend(&detail, detail.empty() ? "" : " ", "page_size=", page.page_size());
  }
  if (!page.page_token().empty()) {
    absl::StrAppend(&detail, detail.empty() ? "" : " ", "next page");
  }
  return detail.empty() ? returned : absl::StrCat(detail, ": ", returned);
}

// The method's name after the package: "CollectorAdmin/ListHosts", as the audit log names actions.
absl::string_view ActionName(absl::string_view method) {
  constexpr absl::string_view kPrefix = "/mamori.v1.";
  if (absl::StartsWith(method, kPrefix)) {
    method.remove_prefix(kPrefix.size());
  }
  return method;
}

// Streams one rendered document: the header, then chunks of at most kReportChunkBytes, one write
// in flight at a time (the callback API allows no more). Deletes itself when the call is done.
class ReportStream final : public grpc::ServerWriteReactor<mamori::v1::ReportChunk> {
 public:
  // A failed request: finishes at once with `status`.
  explicit ReportStream(const absl::Status& status) { Finish(ToGrpcStatus(status)); }

  ReportStream(mamori::v1::ReportHeader header, std::string document)
      : document_(std::move(document)) {
    *chunk_.mutable_header() = std::move(header);
    StartWrite(&chunk_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {  // the client went away; nothing is left to tell it
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the client stopped reading"));
      return;
    }
    if (offset_ >= document_.size()) {
      Finish(grpc::Status::OK);
      return;
    }
    const std::size_t size = std::min(kReportChunkBytes, document_.size() - offset_);
    chunk_.set_data(document_.substr(offset_, size));
    offset_ += size;
    StartWrite(&chunk_);
  }

  void OnDone() override { delete this; }

 private:
  std::string document_;
  std::size_t offset_ = 0;
  mamori::v1::ReportChunk chunk_;
};

}  // namespace

grpc::ServerUnaryReactor* CollectorAdminService::Serve(grpc::CallbackServerContext* context,
                                                       absl::string_view method,
                                                       const google::protobuf::Message& request,
                                                       Work work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(Handle(context, method, request, work)));
  return reactor;
}

absl::Status CollectorAdminService::Handle(grpc::CallbackServerContext* context,
                                           absl::string_view method,
                                           const google::protobuf::Message& request, Work work) {
  const absl::Time now = absl::Now();
  absl::StatusOr<Principal> caller = authorizer_.Authorize(method, *context->auth_context(), now);
  if (!caller.ok()) {
    spdlog::warn("refused {} from {}: {}", std::string(ActionName(method)), context->peer(),
                 std::string(caller.status().message()));
    return caller.status();
  }
  return Run(*caller, now, method, request, "", work);
}

absl::Status CollectorAdminService::Run(const Principal& caller, absl::Time now,
                                        absl::string_view method,
                                        const google::protobuf::Message& request,
                                        absl::string_view detail_prefix, Work work) {
  Effect effect;
  absl::Status status = ValidateFieldBounds(request, "request");
  if (status.ok()) {
    status = work(caller, now, effect);
  }
  AuditEntry entry;
  entry.actor = caller.id;
  entry.role = std::string(PrincipalKindName(caller.kind));
  entry.action = std::string(ActionName(method));
  entry.target = std::move(effect.target);
  entry.detail = absl::StrCat(detail_prefix, status.ok() ? effect.detail : status.message());
  entry.outcome = status.ok() ? AuditOutcome::kOk : AuditOutcome::kFailed;
  if (absl::Status audited = stores_.audit.Record(entry, now); !audited.ok()) {
    // An action that cannot be audited is not reported as done: the person retries, and the
    // operator sees why in the log.
    spdlog::error("cannot write the audit log: {}", std::string(audited.message()));
    if (status.ok()) {
      status = absl::UnavailableError("the collector cannot write its audit log right now");
    }
  }
  return status;
}

// ---- The console's way in ----------------------------------------------------------------------

struct CollectorAdminService::PersonMethod {
  absl::string_view name;    // "ListHosts"
  absl::string_view method;  // "/mamori.v1.CollectorAdmin/ListHosts"
  const google::protobuf::Descriptor* (*request_type)();
  std::unique_ptr<google::protobuf::Message> (*new_response)();
  absl::Status (*run)(CollectorAdminService& service, const google::protobuf::Message& request,
                      google::protobuf::Message& response, const Principal& caller, absl::Time now,
                      Effect& effect);
};

template <typename Request, typename Response,
          absl::Status (CollectorAdminService::*Do)(const Request*, Response*, const Principal&,
                                                    absl::Time, CollectorAdminService::Effect&)>
CollectorAdminService::PersonMethod CollectorAdminService::MakePersonMethod(
    absl::string_view name, absl::string_view method) {
  return PersonMethod{
      name, method, [] { return Request::descriptor(); },
      []() -> std::unique_ptr<google::protobuf::Message> { return std::make_unique<Response>(); },
      [](CollectorAdminService& service, const google::protobuf::Message& request,
         google::protobuf::Message& response, const Principal& caller, absl::Time now,
         Effect& effect) {
        // CallAsPerson has checked both types against request_type / new_response.
        return (service.*Do)(static_cast<const Request*>(&request),
                             static_cast<Response*>(&response), caller, now, effect);
      }};
}

const CollectorAdminService::PersonMethod* CollectorAdminService::FindPersonMethod(
    absl::string_view method_name) {
  namespace v1 = mamori::v1;
  using S = CollectorAdminService;
  static const std::array kMethods = {
      MakePersonMethod<v1::ListHostsRequest, v1::ListHostsResponse, &S::DoListHosts>(
          "ListHosts", kAdminListHostsMethod),
      MakePersonMethod<v1::ListEnrollmentTokensRequest, v1::ListEnrollmentTokensResponse,
                       &S::DoListEnrollmentTokens>("ListEnrollmentTokens",
                                                   kAdminListEnrollmentTokensMethod),
      MakePersonMethod<v1::CreateEnrollmentTokenRequest, v1::CreateEnrollmentTokenResponse,
                       &S::DoCreateEnrollmentToken>("CreateEnrollmentToken",
                                                    kAdminCreateEnrollmentTokenMethod),
      MakePersonMethod<v1::RevokeEnrollmentTokenRequest, v1::RevokeEnrollmentTokenResponse,
                       &S::DoRevokeEnrollmentToken>("RevokeEnrollmentToken",
                                                    kAdminRevokeEnrollmentTokenMethod),
      MakePersonMethod<v1::RemoveHostRequest, v1::RemoveHostResponse, &S::DoRemoveHost>(
          "RemoveHost", kAdminRemoveHostMethod),
      MakePersonMethod<v1::ListAuditEventsRequest, v1::ListAuditEventsResponse,
                       &S::DoListAuditEvents>("ListAuditEvents", kAdminListAuditEventsMethod),
      MakePersonMethod<v1::GetHostRequest, v1::GetHostResponse, &S::DoGetHost>("GetHost",
                                                                               kAdminGetHostMethod),
      MakePersonMethod<v1::ListFindingsRequest, v1::ListFindingsResponse, &S::DoListFindings>(
          "ListFindings", kAdminListFindingsMethod),
      MakePersonMethod<v1::ListFindingHistoryRequest, v1::ListFindingHistoryResponse,
                       &S::DoListFindingHistory>("ListFindingHistory",
                                                 kAdminListFindingHistoryMethod),
      MakePersonMethod<v1::ListLedgerRequest, v1::ListLedgerResponse, &S::DoListLedger>(
          "ListLedger", kAdminListLedgerMethod),
      MakePersonMethod<v1::ListSoftwareRequest, v1::ListSoftwareResponse, &S::DoListSoftware>(
          "ListSoftware", kAdminListSoftwareMethod),
      MakePersonMethod<v1::ListAccountsRequest, v1::ListAccountsResponse, &S::DoListAccounts>(
          "ListAccounts", kAdminListAccountsMethod),
      MakePersonMethod<v1::ListIdleEpisodesRequest, v1::ListIdleEpisodesResponse,
                       &S::DoListIdleEpisodes>("ListIdleEpisodes", kAdminListIdleEpisodesMethod),
      MakePersonMethod<v1::UpdateHostAnnotationsRequest, v1::UpdateHostAnnotationsResponse,
                       &S::DoUpdateHostAnnotations>("UpdateHostAnnotations",
                                                    kAdminUpdateHostAnnotationsMethod),
      MakePersonMethod<v1::RecordAccountReviewRequest, v1::RecordAccountReviewResponse,
                       &S::DoRecordAccountReview>("RecordAccountReview",
                                                  kAdminRecordAccountReviewMethod),
      MakePersonMethod<v1::ListOrgEvidenceRequest, v1::ListOrgEvidenceResponse,
                       &S::DoListOrgEvidence>("ListOrgEvidence", kAdminListOrgEvidenceMethod),
      MakePersonMethod<v1::RecordOrgEvidenceRequest, v1::RecordOrgEvidenceResponse,
                       &S::DoRecordOrgEvidence>("RecordOrgEvidence", kAdminRecordOrgEvidenceMethod),
      MakePersonMethod<v1::GetClinicSummaryRequest, v1::GetClinicSummaryResponse,
                       &S::DoGetClinicSummary>("GetClinicSummary", kAdminGetClinicSummaryMethod),
  };
  for (const PersonMethod& entry : kMethods) {
    if (entry.name == method_name) {
      return &entry;
    }
  }
  return nullptr;
}

absl::StatusOr<std::unique_ptr<google::protobuf::Message>> CollectorAdminService::NewRequest(
    absl::string_view method_name) {
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          mamori::v1::CollectorAdmin::service_full_name());
  const google::protobuf::MethodDescriptor* method =
      service->FindMethodByName(std::string(method_name));
  if (method == nullptr) {
    return absl::NotFoundError(absl::StrCat("no method named ", method_name));
  }
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(method->input_type());
  if (prototype == nullptr) {
    return absl::InternalError(absl::StrCat("no request message for ", method_name));
  }
  return std::unique_ptr<google::protobuf::Message>(prototype->New());
}

absl::StatusOr<std::unique_ptr<google::protobuf::Message>> CollectorAdminService::CallAsPerson(
    const Principal& caller, absl::string_view method_name,
    const google::protobuf::Message& request) {
  const PersonMethod* entry = FindPersonMethod(method_name);
  if (entry == nullptr) {
    return absl::NotFoundError(absl::StrCat("no method named ", method_name));
  }
  if (request.GetDescriptor() != entry->request_type()) {
    return absl::InvalidArgumentError(
        absl::StrCat(method_name, " takes a ", entry->request_type()->full_name()));
  }
  const absl::Time now = absl::Now();
  if (absl::Status allowed =
          authorizer_.AuthorizePerson(entry->method, caller, kConsoleChannel, now);
      !allowed.ok()) {
    return allowed;
  }
  std::unique_ptr<google::protobuf::Message> response = entry->new_response();
  const absl::Status status =
      Run(caller, now, entry->method, request, absl::StrCat(kConsoleChannel, ": "),
          [&](const Principal& person, absl::Time at, Effect& effect) {
            return entry->run(*this, request, *response, person, at, effect);
          });
  if (!status.ok()) {
    return status;
  }
  return response;
}

absl::Status CollectorAdminService::DoListHosts(const mamori::v1::ListHostsRequest* request,
                                                mamori::v1::ListHostsResponse* response,
                                                const Principal&, absl::Time, Effect& effect) {
  if (absl::Status status = CheckPage(request->page()); !status.ok()) {
    return status;
  }
  absl::StatusOr<mamori::v1::ListHostsResponse> hosts;
  {
    absl::MutexLock lock(&knowledge_mu_);
    hosts = stores_.knowledge.ListHosts(*request);
  }
  if (!hosts.ok()) {
    return hosts.status();
  }
  *response = *std::move(hosts);
  effect.detail = ListDetail("", request->page(), absl::StrCat(response->hosts_size(), " host(s)"));
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* CollectorAdminService::ListHosts(
    grpc::CallbackServerContext* context, const mamori::v1::ListHostsRequest* request,
    mamori::v1::ListHostsResponse* response) {
  return Serve(context, kAdminListHostsMethod, *request,
               [&](const Principal& caller, absl::Time now, Effect& effect) {
                 return DoListHosts(request, response, caller, now, effect);
               });
}

absl::Status CollectorAdminService::DoListEnrollmentTokens(
    const mamori::v1::ListEnrollmentTokensRequest* /*request*/,
    mamori::v1::ListEnrollmentTokensResponse* response, const Principal&, absl::Time,
    Effect& effect) {
  absl::StatusOr<std::vector<EnrollmentTokenInfo>> tokens = stores_.trust.ListTokens();
  if (!tokens.ok()) {
    return tokens.status();
  }
  for (const EnrollmentTokenInfo& info : *tokens) {
    mamori::v1::EnrollmentToken& token = *response->add_tokens();
    token.set_token_id(info.token_id);
    token.set_label(info.label);
    *token.mutable_created_at() = codec::ToProtoTimestamp(info.created_at);
    *token.mutable_expires_at() = codec::ToProtoTimestamp(info.expires_at);
    token.set_uses_left(info.uses_left);
    if (info.revoked_at.has_value()) {
      *token.mutable_revoked_at() = codec::ToProtoTimestamp(*info.revoked_at);
    }
  }
  effect.detail = absl::StrCat(tokens->size(), " token(s)");
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* CollectorAdminService::ListEnrollmentTokens(
    grpc::CallbackServerContext* context, const mamori::v1::ListEnrollmentTokensRequest* request,
    mamori::v1::ListEnrollmentTokensResponse* response) {
  return Serve(context, kAdminListEnrollmentTokensMethod, *request,
               [&](const Principal& caller, absl::Time now, Effect& effect) {
                 return DoListEnrollmentTokens(request, response, caller, now, effect);
               });
}

absl::Status CollectorAdminService::DoCreateEnrollmentToken(
    const mamori::v1::CreateEnrollmentTokenRequest* request,
    mamori::v1::CreateEnrollmentTokenResponse* response, const Principal&, absl::Time now,
    Effect& effect) {
  const absl::Duration ttl =
      request->has_ttl() ? codec::FromProtoDuration(request->ttl()) : kDefaultTokenTtl;
  const std::int64_t uses = request->uses() == 0 ? kDefaultTokenUses : request->uses();
  absl::StatusOr<NewEnrollmentToken> token =
      stores_.trust.CreateToken(request->label(), ttl, uses, now);
  if (!token.ok()) {
    return token.status();
  }
  response->set_token_id(token->token_id);
  response->set_token(token->token);
  *response->mutable_expires_at() = codec::ToProtoTimestamp(token->expires_at);
  response->set_uses(token->uses);
  // Never the token itself.
  effect.target = token->token_id;
  effect.detail = absl::StrCat("label=", request->label(), " uses=", token->uses,
                               " expires=", FormatTrustTime(token->expires_at));
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* CollectorAdminService::CreateEnrollmentToken(
    grpc::CallbackServerContext* context, const mamori::v1::CreateEnrollmentTokenRequest* request,
    mamori::v1::CreateEnrollmentTokenResponse* response) {
  return Serve(context, kAdminCreateEnrollmentTokenMethod, *request,
               [&](const Principal& caller, absl::Time now, Effect& effect) {
                 return DoCreateEnrollmentToken(request, response, caller, now, effect);
               });
}

absl::Status CollectorAdminService::DoRevokeEnrollmentToken(
    const mamori::v1::RevokeEnrollmentTokenRequest* request,
    mamori::v1::RevokeEnrollmentTokenResponse* /*response*/, const Principal&, absl::Time now,
    Effect& effect) {
  effect.target = request->token_id();
  return stores_.trust.RevokeToken(request->token_id(), now);
}

grpc::ServerUnaryReactor* CollectorAdminService::RevokeEnrollmentToken(
    grpc::CallbackServerContext* context, const mamori::v1::RevokeEnrollmentTokenRequest* request,
    mamori::v1::RevokeEnrollmentTokenResponse* response) {
  return Serve(context, kAdminRevokeEnrollmentTokenMethod, *request,
               [&](const Principal& caller, absl::Time now, Effect& effect) {
                 return DoRevokeEnrollmentToken(request, response, caller, now, effect);
               });
}

absl::Status CollectorAdminService::DoRemoveHost(const mamori::v1::RemoveHostRequest* request,
                                                 mamori::v1::RemoveHostResponse* response,
                                                 const Principal&, absl::Time now, Effect& effect) {
  effect.target = request->host();
  absl::StatusOr<RemovedHost> removed = stores_.trust.RemoveHost(request->host(), now);
  if (!removed.ok()) {
    return removed.status();
  }
  response->set_agent_id(removed->agent_id);
  response->set_hostname(removed->hostname);
  response->set_certificates_revoked(removed->certificates_revoked);
  effect.target = removed->agent_id;
  effect.detail = absl::StrCat("hostname=", removed->hostname,
                               " certificates_revoked=", removed->certificates_revoked);
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* CollectorAdminService::RemoveHost(
    grpc::CallbackServerContext* context, const mamori::v1::RemoveHostRequest* request,
    mamori::v1::RemoveHostResponse* response) {
  return Serve(context, kAdminRemoveHostMethod, *request,
               [&](const Principal& caller, absl::Time now, Effect& effect) {
                 return DoRemoveHost(request, response, caller, now, effect);
               });
}

absl::Status CollectorAdminService::DoListAuditEvents(
    const mamori::v1::ListAuditEventsRequest* request,
    mamori::v1::ListAuditEventsResponse* response, const Principal&, absl::Time, Effect& effect) {
  if (request->limit() < 0 || request->limit() > kMaxAuditEventLimit) {
    return absl::InvalidArgumentError(
        absl::StrCat("limit: must be from 0 to ", kMaxAuditEventLimit));
  }
  const int limit = request->limit() == 0 ? kDefaultAuditEventLimit : request->limit();
  std::optional<absl::Time> since;
  if (request->has_since()) {
    since = codec::FromProtoTimestamp(request->since());
  }
  absl::StatusOr<std::vector<AuditEvent>> events = stores_.audit.List(since, limit);
  if (!events.ok()) {
    return events.status();
  }
  for (const AuditEvent& event : *events) {
    mamori::v1::AuditEvent& out = *response->add_events();
    out.set_id(event.id);
    *out.mutable_at() = codec::ToProtoTimestamp(event.at);
    out.set_actor(event.entry.actor);
    out.set_role(event.entry.role);
    out.set_action(event.entry.action);
    out.set_target(event.entry.target);
    out.set_detail(event.entry.detail);
    out.set_outcome(std::string(AuditOutcomeName(event.entry.outcome)));
  }
  effect.detail = absl::StrCat(events->size(), " event(s)");
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* CollectorAdminService::ListAuditEvents(
    grpc::CallbackServerContext* context, const mamori::v1::ListAuditEventsRequest* request,
    mamori::v1::ListAuditEventsResponse* response) {
  return Serve(context, kAdminListAuditEventsMethod, *request,
               [&](const Principal& caller, absl::Time now, Effect& effect) {
                 return DoListAuditEvents(request, response, caller, now, effect);
               });
}

absl::Status CollectorAdminService::DoGetHost(const mamori::v1::GetHostRequest* request,
                                              mamori::v1::GetHostResponse* response,
                                              const Principal&, absl::Time, Effect& effect) {
  effect.target = request->host();
  if (absl::Status status = Required(request->host(), "host"); !status.ok()) {
    return status;
  }
  if (request->history_limit() < 0 || request->history_limit() > kMaxHostHistoryLimit) {
    return absl::InvalidArgumentError(
        absl::StrCat("history_limit: must be from 0 to ", kMaxHostHistoryLimit));
  }
  absl::StatusOr<mamori::v1::GetHostResponse> host;
  {
    absl::MutexLock lock(&knowledge_mu_);
    host = stores_.knowledge.GetHost(*request);
  }
  if (!host.ok()) {
    return host.status();
  }
  *response = *std::move(host);
  effect.target = response->ledger().agent_id();
  effect.detail = absl::StrCat(
      "hostname=", SanitizeAuditText(response->ledger().hostname(), kMaxDetailValueBytes), ": ",
      response->findings_size(), " finding(s), ", response->history_size(), " change(s), ",
      response->idle_episodes_size(), " idle episode(s)");
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* CollectorAdminService::GetHost(grpc::CallbackServerContext* context,
                                                         const mamori::v1::GetHostRequest* request,
                                                         mamori::v1::GetHostResponse* response) {
  return Serve(context, kAdminGetHostMethod, *request,
               [&](const Principal& caller, absl::Time now, Effect& effect) {
                 return DoGetHost(request, response, caller, now, effect);
               });
}

absl::Status CollectorAdminService::DoListFindings(const mamori::v1::ListFindingsRequest* request,
                                                   mamori::v1::ListFindingsResponse* response,
                                                   const Principal&, absl::Time, Effect& effect) {
  effect.target = request->host();
  if (absl::Status status = CheckPage(request->page()); !status.ok()) {
    return status;
  }
  absl::StatusOr<mamori::v1::ListFindingsResponse> findings;
  {
    absl::MutexLock lock(&knowledge_mu_);
    findings = stores_.knowledge.ListFindings(*request);
  }
  if (!findings.ok()) {
    return findings.status();
  }
  *response = *std::move(findings);
  const std::string statuses = StatusNames(request->statuses());
  effect.detail = ListDetail(
      Filters({{"statuses", statuses}, {"rule_id", request->rule_id()}, {"area", request->area()}}),
      request->page(),
      absl::StrCat(response->findings_size(), " of ", response->total(), " finding(s)"));
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* CollectorAdminService::ListFindings(
    grpc::CallbackServerContext* context, const mamori::v1::ListFindingsRequest* request,
    mamori::v1::ListFindingsResponse* response) {
  return Serve(context, kAdminListFindingsMethod, *request,
               [&](const Principal& caller, absl::Time now, Effect& effect) {
                 return DoListFindings(request, response, caller, now, effect);
               });
}

absl::Status CollectorAdminService::DoListFindingHistory(
    const mamori::v1::ListFindingHistoryRequest* request,
    mamori::v1::ListFindingHistoryResponse* response, const Principal&, absl::Time,
    Effect& effect) {
  effect.target = request->host();
  if (absl::Status status = CheckPage(request->page()); !status.ok()) {
    return status;
  }
  absl::StatusOr<mamori::v1::ListFindingHistoryResponse> history;
  {
    absl::MutexLock lock(&knowledge_mu_);
    history = stores_.knowledge.ListFindingHistory(*request);
  }
  if (!history.ok()) {
    return history.status();
  }
  *response = *std::move(history);
  const std::string since =
      request->has_since() ? FormatTrustTime(codec::FromProtoTimestamp(request->since())) : "";
  effect.detail = ListDetail(Filters({{"rule_id", request->rule_id()}, {"since", since}}),
                             request->page(), absl::StrCat(response->changes_size(), " change(s)"));
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* CollectorAdminService::ListFindingHistory(
    grpc::CallbackServerContext* context, const mamori::v1::ListFindingHistoryRequest* request,
    mamori::v1::ListFindingHistoryResponse* response) {
  return Serve(context, kAdminListFindingHistoryMethod, *request,
               [&](const Principal& caller, absl::Time now, Effect& effect) {
                 return DoListFindingHistory(request, response, caller, now, effect);
               });
}

absl::Status CollectorAdminService::DoListLedger(const mamori::v1::ListLedgerRequest* request,
                                                 mamori::v1::ListLedgerResponse* response,
                                                 const Principal&, absl::Time, Effect& effect) {
  if (absl::Status status = CheckPage(request->page()); !status.ok()) {
    return status;
  }
  absl::StatusOr<mamori::v1::ListLedgerResponse> ledger;
  {
    absl::MutexLock lock(&knowledge_mu_);
    ledger = stores_.knowledge.ListLedger(*request);
  }
  if (!ledger.ok()) {
    return ledger.status();
  }
  *response = *std::move(ledger);
  effect.detail =
      ListDetail(Filters({{"role", request->role()}}), request->page(),
                 absl::StrCat(response->entries_size(), " of ", response->total(), " host(s)"));
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* CollectorAdminService::ListLedger(
    grpc::CallbackServerContext* context, const mamori::v1::ListLedgerRequest* request,
    mamori::v1::ListLedgerResponse* response) {
  return Serve(context, kAdminListLedgerMethod, *request,
               [&](const Principal& caller, absl::Time now, Effect& effect) {
                 return DoListLedger(request, response, caller, now, effect);
               });
}

absl::Status CollectorAdminService::DoListSoftware(const mamori::v1::ListSoftwareRequest* request,
                                                   mamori::v1::ListSoftwareResponse* response,
                                                   const Principal&, absl::Time, Effect& effect) {
  effect.target = request->host();
  if (absl::Status status = CheckPage(request->page()); !status.ok()) {
    return status;
  }
  absl::StatusOr<mamori::v1::ListSoftwareResponse> software;
  {
    absl::MutexLock lock(&knowledge_mu_);
    software = stores_.knowledge.ListSoftware(*request);
  }
  if (!software.ok()) {
    return software.status();
  }
  *response = *std::move(software);
  effect.detail = ListDetail(Filters({{"name_contains", request->name_contains()},
                                      {"version", request->version()},
                                      {"by_host", request->by_host() ? "true" : ""}}),
                             request->page(),
                             absl::StrCat(response->versions_size() + response->installs_size(),
                                          " of ", response->total(), " row(s)"));
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* CollectorAdminService::ListSoftware(
    grpc::CallbackServerContext* context, const mamori::v1::ListSoftwareRequest* request,
    mamori::v1::ListSoftwareResponse* response) {
  return Serve(context, kAdminListSoftwareMethod, *request,
               [&](const Principal& caller, absl::Time now, Effect& effect) {
                 return DoListSoftware(request, response, caller, now, effect);
               });
}

absl::Status CollectorAdminService::DoListAccounts(const mamori::v1::ListAccountsRequest* request,
                                                   mamori::v1::ListAccountsResponse* response,
                                                   const Principal&, absl::Time now,
                                                   Effect& effect) {
  effect.target = request->host();
  if (absl::Status status = CheckPage(request->page()); !status.ok()) {
    return status;
  }
  // Held for the call: a reload while it runs does not change its answer midway.
  const std::shared_ptr<const LoadedPolicy> policy = stores_.policy.Current();
  absl::StatusOr<mamori::v1::ListAccountsResponse> accounts;
  {
    absl::MutexLock lock(&knowledge_mu_);
    accounts = stores_.knowledge.ListAccounts(*request, policy->policy, now);
  }
  if (!accounts.ok()) {
    return accounts.status();
  }
  *response = *std::move(accounts);
  effect.detail =
      ListDetail(Filters({{"due_only", request->due_only() ? "true" : ""},
                          {"include_system", request->include_system() ? "true" : ""},
                          {"include_removed", request->include_removed() ? "true" : ""}}),
                 request->page(),
                 absl::StrCat(response->accounts_size(), " of ", response->total(), " account(s), ",
                              response->due(), " due"));
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* CollectorAdminService::ListAccounts(
    grpc::CallbackServerContext* context, const mamori::v1::ListAccountsRequest* request,
    mamori::v1::ListAccountsResponse* response) {
  return Serve(context, kAdminListAccountsMethod, *request,
               [&](const Principal& caller, absl::Time now, Effect& effect) {
                 return DoListAccounts(request, response, caller, now, effect);
               });
}

absl::Status CollectorAdminService::DoListIdleEpisodes(
    const mamori::v1::ListIdleEpisodesRequest* request,
    mamori::v1::ListIdleEpisodesResponse* response, const Principal&, absl::Time, Effect& effect) {
  effect.target = request->host();
  if (absl::Status status = CheckPage(request->page()); !status.ok()) {
    return status;
  }
  absl::StatusOr<mamori::v1::ListIdleEpisodesResponse> episodes;
  {
    absl::MutexLock lock(&knowledge_mu_);
    episodes = stores_.knowledge.ListIdleEpisodes(*request);
  }
  if (!episodes.ok()) {
    return episodes.status();
  }
  *response = *std::move(episodes);
  const std::string since =
      request->has_since() ? FormatTrustTime(codec::FromProtoTimestamp(request->since())) : "";
  effect.detail = ListDetail(Filters({{"since", since}}), request->page(),
                             absl::StrCat(response->episodes_size(), " episode(s)"));
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* CollectorAdminService::ListIdleEpisodes(
    grpc::CallbackServerContext* context, const mamori::v1::ListIdleEpisodesRequest* request,
    mamori::v1::ListIdleEpisodesResponse* response) {
  return Serve(context, kAdminListIdleEpisodesMethod, *request,
               [&](const Principal& caller, absl::Time now, Effect& effect) {
                 return DoListIdleEpisodes(request, response, caller, now, effect);
               });
}

absl::Status CollectorAdminService::DoUpdateHostAnnotations(
    const mamori::v1::UpdateHostAnnotationsRequest* request,
    mamori::v1::UpdateHostAnnotationsResponse* response, const Principal& caller, absl::Time now,
    Effect& effect) {
  effect.target = request->host();
  if (absl::Status status = Required(request->host(), "host"); !status.ok()) {
    return status;
  }
  absl::StatusOr<mamori::v1::UpdateHostAnnotationsResponse> updated;
  {
    absl::MutexLock lock(&knowledge_mu_);
    updated = stores_.knowledge.UpdateHostAnnotations(*request, caller.id, now);
  }
  if (!updated.ok()) {
    return updated.status();
  }
  *response = *std::move(updated);
  effect.target = response->agent_id();
  // The ledger's own fields are short and the clinic's record of who changed them to what;
  // a field set to "" is recorded as cleared.
  std::vector<std::string> changes;
  const auto change = [&](absl::string_view field, bool present, const std::string& value) {
    if (present) {
      changes.push_back(
          value.empty() ? absl::StrCat(field, " cleared")
                        : absl::StrCat(field, "=", SanitizeAuditText(value, kMaxDetailValueBytes)));
    }
  };
  change("location", request->has_location(), request->location());
  change("purpose", request->has_purpose(), request->purpose());
  change("person_in_charge", request->has_person_in_charge(), request->person_in_charge());
  effect.detail = changes.empty() ? "nothing changed" : absl::StrJoin(changes, " ");
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* CollectorAdminService::UpdateHostAnnotations(
    grpc::CallbackServerContext* context, const mamori::v1::UpdateHostAnnotationsRequest* request,
    mamori::v1::UpdateHostAnnotationsResponse* response) {
  return Serve(context, kAdminUpdateHostAnnotationsMethod, *request,
               [&](const Principal& caller, absl::Time now, Effect& effect) {
                 return DoUpdateHostAnnotations(request, response, caller, now, effect);
               });
}

absl::Status CollectorAdminService::DoRecordAccountReview(
    const mamori::v1::RecordAccountReviewRequest* request,
    mamori::v1::RecordAccountReviewResponse* response, const Principal& caller, absl::Time now,
    Effect& effect) {
  effect.target = request->host();
  if (absl::Status status = Required(request->host(), "host"); !status.ok()) {
    return status;
  }
  if (absl::Status status = Required(request->account(), "account"); !status.ok()) {
    return status;
  }
  if (request->decision() == mamori::v1::REVIEW_DECISION_UNSPECIFIED ||
      !mamori::v1::ReviewDecision_IsValid(request->decision())) {
    return absl::InvalidArgumentError("decision: must be keep, remove or investigate");
  }
  const std::size_t note_characters = CountCharacters(request->note());
  if (note_characters > kMaxReviewNoteCharacters) {
    return absl::InvalidArgumentError(
        absl::StrCat("note: at most ", kMaxReviewNoteCharacters, " characters"));
  }
  const std::shared_ptr<const LoadedPolicy> policy = stores_.policy.Current();
  absl::StatusOr<mamori::v1::RecordAccountReviewResponse> recorded;
  {
    absl::MutexLock lock(&knowledge_mu_);
    recorded = stores_.knowledge.RecordAccountReview(*request, caller.id, policy->policy, now);
  }
  if (!recorded.ok()) {
    return recorded.status();
  }
  *response = *std::move(recorded);
  effect.target = response->account().agent_id();
  // The note itself stays in account_reviews, the record it belongs to: it is free text that
  // may name people or worse, and the audit log is exported and kept.
  effect.detail = absl::StrCat(
      "account=", SanitizeAuditText(request->account(), kMaxDetailValueBytes), " decision=",
      ShortEnumName(mamori::v1::ReviewDecision_Name(request->decision()), "REVIEW_DECISION_"),
      " review_id=", response->account().review().review_id(), " note=", note_characters,
      " character(s)");
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* CollectorAdminService::RecordAccountReview(
    grpc::CallbackServerContext* context, const mamori::v1::RecordAccountReviewRequest* request,
    mamori::v1::RecordAccountReviewResponse* response) {
  return Serve(context, kAdminRecordAccountReviewMethod, *request,
               [&](const Principal& caller, absl::Time now, Effect& effect) {
                 return DoRecordAccountReview(request, response, caller, now, effect);
               });
}

absl::StatusOr<std::string> CollectorAdminService::RenderReport(
    const mamori::v1::GenerateReportRequest& request, const Principal& caller, absl::Time now,
    mamori::v1::ReportHeader& header) {
  if (request.kind() == mamori::v1::REPORT_KIND_UNSPECIFIED ||
      !mamori::v1::ReportKind_IsValid(request.kind())) {
    return absl::InvalidArgumentError(
        "kind: must be checklist, ledger, accounts, findings or visit");
  }
  if (request.format() == mamori::v1::REPORT_FORMAT_UNSPECIFIED ||
      !mamori::v1::ReportFormat_IsValid(request.format())) {
    return absl::InvalidArgumentError("format: must be html, csv or json");
  }
  if (!mamori::v1::ReportLanguage_IsValid(request.language())) {
    return absl::InvalidArgumentError("language: must be ja or en");
  }
  const mamori::v1::ReportLanguage language = request.language() == mamori::v1::REPORT_LANGUAGE_EN
                                                  ? mamori::v1::REPORT_LANGUAGE_EN
                                                  : mamori::v1::REPORT_LANGUAGE_JA;
  const std::shared_ptr<const LoadedPolicy> policy = stores_.policy.Current();
  ReportRequest build;
  build.kind = request.kind();
  build.generated_by = caller.id;
  build.generated_by_role = std::string(PrincipalKindName(caller.kind));
  build.now = now;

  absl::MutexLock lock(&knowledge_mu_);
  absl::StatusOr<mamori::v1::Report> report = stores_.reports.Build(build, policy->policy);
  if (!report.ok()) {
    return report.status();
  }
  std::string document;
  switch (request.format()) {
    case mamori::v1::REPORT_FORMAT_HTML:
      document = RenderReportHtml(*report, language);
      break;
    case mamori::v1::REPORT_FORMAT_CSV:
      document = RenderReportCsv(*report, language);
      break;
    default:
      document = RenderReportJson(*report);
      break;
  }
  if (document.empty()) {
    // The JSON printer fails only on invalid UTF-8, which validation keeps out of the database.
    return absl::InternalError("the report could not be rendered");
  }
  if (document.size() > kMaxReportBytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("the report is ", document.size(), " bytes, more than the ", kMaxReportBytes,
                     " the collector sends; pull the ledger, accounts and findings one by one"));
  }
  header.set_file_name(ReportFileName(*report, request.format()));
  header.set_content_type(ReportContentType(request.format()));
  header.set_size_bytes(static_cast<std::int64_t>(document.size()));
  header.set_sha256(pki::Sha256Hex(document));
  *header.mutable_generated_at() = report->cover().generated_at();

  ReportRun run;
  run.kind = request.kind();
  run.format = request.format();
  run.language = language;
  run.generated_by = build.generated_by;
  run.generated_by_role = build.generated_by_role;
  run.generated_at = now;
  run.size_bytes = header.size_bytes();
  run.sha256 = header.sha256();
  if (absl::Status recorded = stores_.reports.RecordRun(*report, run); !recorded.ok()) {
    return recorded;
  }
  return document;
}

absl::Status CollectorAdminService::DoGenerateReport(
    const mamori::v1::GenerateReportRequest* request, RenderedReport* rendered,
    const Principal& caller, absl::Time now, Effect& effect) {
  effect.target = std::string(codec::ReportKindName(request->kind()));
  absl::StatusOr<std::string> document = RenderReport(*request, caller, now, rendered->header);
  if (!document.ok()) {
    return document.status();
  }
  rendered->document = *std::move(document);
  effect.detail = absl::StrCat(
      "format=", ShortEnumName(mamori::v1::ReportFormat_Name(request->format()), "REPORT_FORMAT_"),
      " language=", request->language() == mamori::v1::REPORT_LANGUAGE_EN ? "en" : "ja",
      " bytes=", rendered->document.size(), " sha256=", rendered->header.sha256());
  return absl::OkStatus();
}

grpc::ServerWriteReactor<mamori::v1::ReportChunk>* CollectorAdminService::GenerateReport(
    grpc::CallbackServerContext* context, const mamori::v1::GenerateReportRequest* request) {
  RenderedReport rendered;
  // The pull is audited (kind, format, size, digest) before a byte is sent: a report that cannot
  // be audited is not sent.
  const absl::Status status =
      Handle(context, kAdminGenerateReportMethod, *request,
             [&](const Principal& caller, absl::Time now, Effect& effect) {
               return DoGenerateReport(request, &rendered, caller, now, effect);
             });
  if (!status.ok()) {
    return new ReportStream(status);
  }
  return new ReportStream(std::move(rendered.header), std::move(rendered.document));
}

absl::StatusOr<CollectorAdminService::RenderedReport> CollectorAdminService::GenerateReportAsPerson(
    const Principal& caller, const mamori::v1::GenerateReportRequest& request) {
  const absl::Time now = absl::Now();
  if (absl::Status allowed =
          authorizer_.AuthorizePerson(kAdminGenerateReportMethod, caller, kConsoleChannel, now);
      !allowed.ok()) {
    return allowed;
  }
  RenderedReport rendered;
  const absl::Status status =
      Run(caller, now, kAdminGenerateReportMethod, request, absl::StrCat(kConsoleChannel, ": "),
          [&](const Principal& person, absl::Time at, Effect& effect) {
            return DoGenerateReport(&request, &rendered, person, at, effect);
          });
  if (!status.ok()) {
    return status;
  }
  return rendered;
}

absl::Status CollectorAdminService::DoListOrgEvidence(
    const mamori::v1::ListOrgEvidenceRequest* request,
    mamori::v1::ListOrgEvidenceResponse* response, const Principal&, absl::Time now,
    Effect& effect) {
  const std::shared_ptr<const LoadedPolicy> policy = stores_.policy.Current();
  absl::StatusOr<mamori::v1::ListOrgEvidenceResponse> listed;
  {
    absl::MutexLock lock(&knowledge_mu_);
    listed = stores_.org.List(*request, policy->policy, now);
  }
  if (!listed.ok()) {
    return listed.status();
  }
  *response = *std::move(listed);
  effect.detail = absl::StrCat(request->include_history() ? "with history: " : "",
                               response->records_size(), " record(s)");
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* CollectorAdminService::ListOrgEvidence(
    grpc::CallbackServerContext* context, const mamori::v1::ListOrgEvidenceRequest* request,
    mamori::v1::ListOrgEvidenceResponse* response) {
  return Serve(context, kAdminListOrgEvidenceMethod, *request,
               [&](const Principal& caller, absl::Time now, Effect& effect) {
                 return DoListOrgEvidence(request, response, caller, now, effect);
               });
}

absl::Status CollectorAdminService::DoRecordOrgEvidence(
    const mamori::v1::RecordOrgEvidenceRequest* request,
    mamori::v1::RecordOrgEvidenceResponse* response, const Principal& caller, absl::Time now,
    Effect& effect) {
  effect.target =
      ShortEnumName(mamori::v1::OrgRecordKind_Name(request->record().kind()), "ORG_RECORD_KIND_");
  const std::shared_ptr<const LoadedPolicy> policy = stores_.policy.Current();
  absl::StatusOr<mamori::v1::RecordOrgEvidenceResponse> recorded;
  {
    absl::MutexLock lock(&knowledge_mu_);
    recorded = stores_.org.Record(*request, caller.id, policy->policy, now);
  }
  if (!recorded.ok()) {
    return recorded.status();
  }
  *response = *std::move(recorded);
  // Names, methods and notes stay in the register, the record they belong to; the
  // audit log says which record was added and how long its notes were.
  effect.detail =
      absl::StrCat("record_id=", response->record().record_id(),
                   " item=", SanitizeAuditText(response->record().item(), kMaxDetailValueBytes),
                   " date=", SanitizeAuditText(response->record().date(), kMaxDetailValueBytes),
                   " notes=", CountCharacters(response->record().notes()), " character(s)");
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* CollectorAdminService::RecordOrgEvidence(
    grpc::CallbackServerContext* context, const mamori::v1::RecordOrgEvidenceRequest* request,
    mamori::v1::RecordOrgEvidenceResponse* response) {
  return Serve(context, kAdminRecordOrgEvidenceMethod, *request,
               [&](const Principal& caller, absl::Time now, Effect& effect) {
                 return DoRecordOrgEvidence(request, response, caller, now, effect);
               });
}

absl::Status CollectorAdminService::DoGetClinicSummary(
    const mamori::v1::GetClinicSummaryRequest* request,
    mamori::v1::GetClinicSummaryResponse* response, const Principal& /*caller*/, absl::Time now,
    Effect& effect) {
  const std::shared_ptr<const LoadedPolicy> policy = stores_.policy.Current();
  absl::StatusOr<mamori::v1::GetClinicSummaryResponse> summary;
  {
    absl::MutexLock lock(&knowledge_mu_);
    absl::StatusOr<rules::OrgRegister> evidence = stores_.org.Current();
    if (!evidence.ok()) {
      return evidence.status();
    }
    const std::vector<rules::Finding> clinic =
        rules::EvaluateOrgRules(*evidence, policy->policy,
                                facts::Timestamp(std::chrono::seconds(absl::ToUnixSeconds(now))));
    summary = stores_.knowledge.GetClinicSummary(*request, policy->policy, now, clinic);
    if (summary.ok()) {
      for (const rules::OrgRecord& record : evidence->current) {
        if (record.kind == rules::OrgRecordKind::kClinic) {
          summary->set_clinic_name(record.name);
        }
      }
    }
  }
  if (!summary.ok()) {
    return summary.status();
  }
  *response = *std::move(summary);
  effect.detail =
      absl::StrCat(response->hosts(), " host(s): ", response->compliant(), " compliant, ",
                   response->not_compliant(), " not, ", response->unknown(), " unknown");
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* CollectorAdminService::GetClinicSummary(
    grpc::CallbackServerContext* context, const mamori::v1::GetClinicSummaryRequest* request,
    mamori::v1::GetClinicSummaryResponse* response) {
  return Serve(context, kAdminGetClinicSummaryMethod, *request,
               [&](const Principal& caller, absl::Time now, Effect& effect) {
                 return DoGetClinicSummary(request, response, caller, now, effect);
               });
}

}  // namespace mamori::collector
