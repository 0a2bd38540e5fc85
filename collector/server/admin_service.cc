#include "collector/server/admin_service.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "collector/ingest/validate.h"
#include "spdlog/spdlog.h"

namespace mamori::collector {
namespace {

// Defaults of CreateEnrollmentToken, the same as `mamori-collector token create`.
constexpr absl::Duration kDefaultTokenTtl = absl::Hours(24);
constexpr std::int64_t kDefaultTokenUses = 1;

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) {
    return grpc::Status::OK;
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

// Through seconds and nanos, not one int64 of nanoseconds: the bounds validation allows the whole
// protobuf range (years 1..9999), which overflows nanoseconds.
google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  const std::int64_t seconds = absl::ToUnixSeconds(time);
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(seconds);
  timestamp.set_nanos(
      static_cast<std::int32_t>(absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(seconds))));
  return timestamp;
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

absl::Duration FromDuration(const google::protobuf::Duration& duration) {
  return absl::Seconds(duration.seconds()) + absl::Nanoseconds(duration.nanos());
}

// The method's name after the package: "CollectorAdmin/ListHosts", as the audit log names actions.
absl::string_view ActionName(absl::string_view method) {
  constexpr absl::string_view kPrefix = "/mamori.v1.";
  if (absl::StartsWith(method, kPrefix)) {
    method.remove_prefix(kPrefix.size());
  }
  return method;
}

}  // namespace

grpc::ServerUnaryReactor* CollectorAdminService::Serve(grpc::CallbackServerContext* context,
                                                       absl::string_view method,
                                                       const google::protobuf::Message& request,
                                                       Work work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const absl::Time now = absl::Now();
  absl::StatusOr<Principal> caller = authorizer_.Authorize(method, *context->auth_context(), now);
  if (!caller.ok()) {
    spdlog::warn("refused {} from {}: {}", std::string(ActionName(method)), context->peer(),
                 std::string(caller.status().message()));
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  Effect effect;
  absl::Status status = ValidateFieldBounds(request, "request");
  if (status.ok()) {
    status = work(*caller, now, effect);
  }
  AuditEntry entry;
  entry.actor = caller->id;
  entry.role = std::string(PrincipalKindName(caller->kind));
  entry.action = std::string(ActionName(method));
  entry.target = std::move(effect.target);
  entry.detail = status.ok() ? std::move(effect.detail) : std::string(status.message());
  entry.outcome = status.ok() ? AuditOutcome::kOk : AuditOutcome::kFailed;
  if (absl::Status audited = stores_.audit.Record(entry, now); !audited.ok()) {
    // An action that cannot be audited is not reported as done: the person retries, and the
    // operator sees why in the log.
    spdlog::error("cannot write the audit log: {}", std::string(audited.message()));
    if (status.ok()) {
      status = absl::UnavailableError("the collector cannot write its audit log right now");
    }
  }
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

grpc::ServerUnaryReactor* CollectorAdminService::ListHosts(
    grpc::CallbackServerContext* context, const mamori::v1::ListHostsRequest* request,
    mamori::v1::ListHostsResponse* response) {
  return Serve(context, kAdminListHostsMethod, *request,
               [&](const Principal&, absl::Time, Effect& effect) -> absl::Status {
                 absl::StatusOr<std::vector<HostSummary>> hosts;
                 {
                   absl::MutexLock lock(&hosts_mu_);
                   hosts = stores_.hosts.ListHosts();
                 }
                 if (!hosts.ok()) {
                   return hosts.status();
                 }
                 for (const HostSummary& summary : *hosts) {
                   mamori::v1::Host& host = *response->add_hosts();
                   host.set_agent_id(summary.agent_id);
                   host.set_hostname(summary.hostname);
                   host.set_os_name(summary.os_name);
                   host.set_os_version(summary.os_version);
                   host.set_os_pretty_name(summary.os_pretty_name);
                   *host.mutable_last_seen() = ToTimestamp(summary.last_seen);
                 }
                 effect.detail = absl::StrCat(hosts->size(), " host(s)");
                 return absl::OkStatus();
               });
}

grpc::ServerUnaryReactor* CollectorAdminService::ListEnrollmentTokens(
    grpc::CallbackServerContext* context, const mamori::v1::ListEnrollmentTokensRequest* request,
    mamori::v1::ListEnrollmentTokensResponse* response) {
  return Serve(context, kAdminListEnrollmentTokensMethod, *request,
               [&](const Principal&, absl::Time, Effect& effect) -> absl::Status {
                 absl::StatusOr<std::vector<EnrollmentTokenInfo>> tokens =
                     stores_.trust.ListTokens();
                 if (!tokens.ok()) {
                   return tokens.status();
                 }
                 for (const EnrollmentTokenInfo& info : *tokens) {
                   mamori::v1::EnrollmentToken& token = *response->add_tokens();
                   token.set_token_id(info.token_id);
                   token.set_label(info.label);
                   *token.mutable_created_at() = ToTimestamp(info.created_at);
                   *token.mutable_expires_at() = ToTimestamp(info.expires_at);
                   token.set_uses_left(info.uses_left);
                   if (info.revoked_at.has_value()) {
                     *token.mutable_revoked_at() = ToTimestamp(*info.revoked_at);
                   }
                 }
                 effect.detail = absl::StrCat(tokens->size(), " token(s)");
                 return absl::OkStatus();
               });
}

grpc::ServerUnaryReactor* CollectorAdminService::CreateEnrollmentToken(
    grpc::CallbackServerContext* context, const mamori::v1::CreateEnrollmentTokenRequest* request,
    mamori::v1::CreateEnrollmentTokenResponse* response) {
  return Serve(context, kAdminCreateEnrollmentTokenMethod, *request,
               [&](const Principal&, absl::Time now, Effect& effect) -> absl::Status {
                 const absl::Duration ttl =
                     request->has_ttl() ? FromDuration(request->ttl()) : kDefaultTokenTtl;
                 const std::int64_t uses =
                     request->uses() == 0 ? kDefaultTokenUses : request->uses();
                 absl::StatusOr<NewEnrollmentToken> token =
                     stores_.trust.CreateToken(request->label(), ttl, uses, now);
                 if (!token.ok()) {
                   return token.status();
                 }
                 response->set_token_id(token->token_id);
                 response->set_token(token->token);
                 *response->mutable_expires_at() = ToTimestamp(token->expires_at);
                 response->set_uses(token->uses);
                 // Never the token itself.
                 effect.target = token->token_id;
                 effect.detail = absl::StrCat("label=", request->label(), " uses=", token->uses,
                                              " expires=", FormatTrustTime(token->expires_at));
                 return absl::OkStatus();
               });
}

grpc::ServerUnaryReactor* CollectorAdminService::RevokeEnrollmentToken(
    grpc::CallbackServerContext* context, const mamori::v1::RevokeEnrollmentTokenRequest* request,
    mamori::v1::RevokeEnrollmentTokenResponse* /*response*/) {
  return Serve(context, kAdminRevokeEnrollmentTokenMethod, *request,
               [&](const Principal&, absl::Time now, Effect& effect) -> absl::Status {
                 effect.target = request->token_id();
                 return stores_.trust.RevokeToken(request->token_id(), now);
               });
}

grpc::ServerUnaryReactor* CollectorAdminService::RemoveHost(
    grpc::CallbackServerContext* context, const mamori::v1::RemoveHostRequest* request,
    mamori::v1::RemoveHostResponse* response) {
  return Serve(
      context, kAdminRemoveHostMethod, *request,
      [&](const Principal&, absl::Time now, Effect& effect) -> absl::Status {
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
      });
}

grpc::ServerUnaryReactor* CollectorAdminService::ListAuditEvents(
    grpc::CallbackServerContext* context, const mamori::v1::ListAuditEventsRequest* request,
    mamori::v1::ListAuditEventsResponse* response) {
  return Serve(context, kAdminListAuditEventsMethod, *request,
               [&](const Principal&, absl::Time, Effect& effect) -> absl::Status {
                 if (request->limit() < 0 || request->limit() > kMaxAuditEventLimit) {
                   return absl::InvalidArgumentError(
                       absl::StrCat("limit: must be from 0 to ", kMaxAuditEventLimit));
                 }
                 const int limit =
                     request->limit() == 0 ? kDefaultAuditEventLimit : request->limit();
                 std::optional<absl::Time> since;
                 if (request->has_since()) {
                   since = FromTimestamp(request->since());
                 }
                 absl::StatusOr<std::vector<AuditEvent>> events = stores_.audit.List(since, limit);
                 if (!events.ok()) {
                   return events.status();
                 }
                 for (const AuditEvent& event : *events) {
                   mamori::v1::AuditEvent& out = *response->add_events();
                   out.set_id(event.id);
                   *out.mutable_at() = ToTimestamp(event.at);
                   out.set_actor(event.entry.actor);
                   out.set_role(event.entry.role);
                   out.set_action(event.entry.action);
                   out.set_target(event.entry.target);
                   out.set_detail(event.entry.detail);
                   out.set_outcome(std::string(AuditOutcomeName(event.entry.outcome)));
                 }
                 effect.detail = absl::StrCat(events->size(), " event(s)");
                 return absl::OkStatus();
               });
}

}  // namespace mamori::collector
