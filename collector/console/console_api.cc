#include "collector/console/console_api.h"

#include <google/protobuf/util/json_util.h>
#include <openssl/crypto.h>

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "collector/console/console_assets.h"
#include "nlohmann/json.hpp"
#include "spdlog/spdlog.h"

namespace mamori::collector {
namespace {

namespace http = boost::beast::http;

constexpr char kContentSecurityPolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
constexpr char kJson[] = "application/json; charset=utf-8";
constexpr absl::string_view kChannel = "console";
// The one answer to a wrong name and to a wrong password.
constexpr char kLoginRefused[] = "名前またはパスワードが違います (wrong name or password)";
constexpr char kNoSession[] = "ログインしてください (no session, or it has ended)";
constexpr char kCsrfRefused[] =
    "この操作は受け付けられません。ページを読み込み直してください (missing or wrong X-CSRF-Token)";

void AddSecurityHeaders(ConsoleResponse& response, bool api) {
  response.set("Content-Security-Policy", kContentSecurityPolicy);
  response.set("X-Frame-Options", "DENY");
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "no-referrer");
  response.set("Strict-Transport-Security", "max-age=31536000");
  response.set(http::field::cache_control, api ? "no-store" : "no-cache");
}

ConsoleResponse Answer(const ConsoleRequest& request, http::status status,
                       absl::string_view content_type, std::string body, bool api = true) {
  ConsoleResponse response(status, request.version());
  AddSecurityHeaders(response, api);
  if (!content_type.empty()) {
    response.set(http::field::content_type, std::string(content_type));
  }
  response.body() = std::move(body);
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  return response;
}

std::string ErrorBody(absl::string_view code, absl::string_view message) {
  return nlohmann::json{{"code", std::string(code)}, {"message", std::string(message)}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

ConsoleResponse Error(const ConsoleRequest& request, const absl::Status& status) {
  return Answer(request, ConsoleHttpStatus(status.code()), kJson,
                ErrorBody(absl::StatusCodeToString(status.code()), status.message()));
}

// The value of the session cookie in the request's Cookie headers; "" when there is none.
std::string SessionCookie(const ConsoleRequest& request) {
  const std::string prefix = absl::StrCat(kConsoleSessionCookie, "=");
  for (auto it = request.find(http::field::cookie);
       it != request.end() && it->name() == http::field::cookie; ++it) {
    const absl::string_view header(it->value().data(), it->value().size());
    for (absl::string_view part : absl::StrSplit(header, ';')) {
      part = absl::StripAsciiWhitespace(part);
      if (absl::StartsWith(part, prefix)) {
        return std::string(part.substr(prefix.size()));
      }
    }
  }
  return "";
}

bool SameSecret(absl::string_view a, absl::string_view b) {
  return a.size() == b.size() && !a.empty() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool IsJson(const ConsoleRequest& request) {
  const auto it = request.find(http::field::content_type);
  if (it == request.end()) {
    return false;
  }
  const absl::string_view type(it->value().data(), it->value().size());
  const absl::string_view media = absl::StripAsciiWhitespace(type.substr(0, type.find(';')));
  return absl::EqualsIgnoreCase(media, "application/json");
}

// "GetHost": a method name as the service spells them; nothing else reaches the lookup.
bool IsMethodName(absl::string_view name) {
  if (name.empty() || name.size() > 64) {
    return false;
  }
  for (const char c : name) {
    if (!absl::ascii_isalpha(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

PrincipalKind KindOf(UserRole role) {
  return role == UserRole::kAdmin ? PrincipalKind::kAdmin : PrincipalKind::kVendor;
}

std::string SessionBody(const ConsoleSession& session) {
  return nlohmann::json{{"name", session.name},
                        {"role", std::string(UserRoleName(session.role))},
                        {"csrfToken", session.csrf_token},
                        {"idleTimeoutSeconds", absl::ToInt64Seconds(kConsoleIdleTimeout)}}
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

http::status ConsoleHttpStatus(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return http::status::ok;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return http::status::bad_request;
    case absl::StatusCode::kUnauthenticated:
      return http::status::unauthorized;
    case absl::StatusCode::kPermissionDenied:
      return http::status::forbidden;
    case absl::StatusCode::kNotFound:
      return http::status::not_found;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
      return http::status::conflict;
    case absl::StatusCode::kResourceExhausted:
      return http::status::too_many_requests;
    case absl::StatusCode::kUnavailable:
      return http::status::service_unavailable;
    default:
      return http::status::internal_server_error;
  }
}

absl::StatusOr<std::unique_ptr<ConsoleApi>> ConsoleApi::Create(CollectorAdminService& admin,
                                                               UserStore& users, AuditLog& audit,
                                                               ConsoleApiOptions options) {
  // A password nobody has: an unknown name is checked against it, as long as a real check takes.
  absl::StatusOr<std::string> unknown =
      HashConsolePassword("mamori: no such person, no such password", options.unknown_user_cost);
  if (!unknown.ok()) {
    return unknown.status();
  }
  return std::unique_ptr<ConsoleApi>(
      new ConsoleApi(admin, users, audit, std::move(options), *std::move(unknown)));
}

ConsoleResponse ConsoleApi::Refuse(unsigned version, http::status status, absl::string_view code,
                                   absl::string_view message) {
  ConsoleResponse response(status, version);
  AddSecurityHeaders(response, true);
  response.set(http::field::content_type, kJson);
  response.body() = ErrorBody(code, message);
  response.keep_alive(false);
  response.prepare_payload();
  return response;
}

void ConsoleApi::Audit(absl::string_view actor, absl::string_view role, absl::string_view action,
                       absl::string_view detail, AuditOutcome outcome, absl::Time now) {
  AuditEntry entry;
  entry.actor = std::string(actor);
  entry.role = std::string(role);
  entry.action = std::string(action);
  entry.detail = absl::StrCat(kChannel, ": ", detail);
  entry.outcome = outcome;
  if (absl::Status status = audit_.Record(entry, now); !status.ok()) {
    spdlog::error("cannot write the audit log: {}", std::string(status.message()));
  }
}

ConsoleResponse ConsoleApi::Handle(const ConsoleRequest& request,
                                   absl::string_view client_address) {
  const absl::string_view target(request.target().data(), request.target().size());
  const absl::string_view path = target.substr(0, target.find('?'));
  // Only plain paths: no dot segments, no escapes, no backslashes (the asset table is looked up by
  // exact name anyway; this makes a probe visible as what it is).
  if (!absl::StartsWith(path, "/") || absl::StrContains(path, "..") ||
      absl::StrContains(path, "%") || absl::StrContains(path, "\\") ||
      absl::StrContains(path, "//")) {
    return Error(request, absl::InvalidArgumentError("path refused"));
  }
  if (absl::StartsWith(path, "/api/")) {
    const bool post = request.method() == http::verb::post;
    if (path == "/api/session") {
      if (request.method() != http::verb::get) {
        ConsoleResponse response =
            Error(request, absl::InvalidArgumentError("GET /api/session only"));
        response.result(http::status::method_not_allowed);
        response.set(http::field::allow, "GET");
        return response;
      }
      return Session(request);
    }
    if (!post) {
      ConsoleResponse response = Error(request, absl::InvalidArgumentError("POST only"));
      response.result(http::status::method_not_allowed);
      response.set(http::field::allow, "POST");
      return response;
    }
    if (!request.body().empty() && !IsJson(request)) {
      return Error(request, absl::InvalidArgumentError("Content-Type must be application/json"));
    }
    if (path == "/api/login") {
      return Login(request, client_address);
    }
    if (path == "/api/logout") {
      return Logout(request, client_address);
    }
    constexpr absl::string_view kApi = "/api/v1/";
    if (absl::StartsWith(path, kApi)) {
      return Call(request, path.substr(kApi.size()), client_address);
    }
    return Error(request, absl::NotFoundError("no such API"));
  }
  return Static(request, path);
}

ConsoleResponse ConsoleApi::Static(const ConsoleRequest& request, absl::string_view path) {
  if (request.method() != http::verb::get) {
    ConsoleResponse response = Error(request, absl::InvalidArgumentError("GET only"));
    response.result(http::status::method_not_allowed);
    response.set(http::field::allow, "GET");
    return response;
  }
  absl::string_view name;
  if (path == "/") {
    name = "/index.html";
  } else if (absl::StartsWith(path, "/assets/")) {
    name = path.substr(std::string_view("/assets").size());
  }
  for (const ConsoleAsset& asset : ConsoleAssets()) {
    if (!name.empty() && asset.path == std::string_view(name.data(), name.size())) {
      return Answer(request, http::status::ok,
                    absl::string_view(asset.content_type.data(), asset.content_type.size()),
                    std::string(asset.body), false);
    }
  }
  return Answer(request, http::status::not_found, "text/plain; charset=utf-8", "not found\n",
                false);
}

ConsoleSession* ConsoleApi::LiveSession(const ConsoleRequest& request, absl::Time now, bool touch) {
  const std::string cookie = SessionCookie(request);
  if (cookie.empty()) {
    return nullptr;
  }
  ConsoleSession* session = sessions_.Find(cookie, now, touch);
  if (session == nullptr) {
    return nullptr;
  }
  // The people's table decides on every request: a revoked person, a changed role or a new
  // password (`user password`, perhaps from another process) ends the session.
  absl::StatusOr<std::optional<ConsoleLogin>> login = users_.FindConsoleLogin(session->name);
  if (!login.ok()) {
    spdlog::error("cannot check console user {}: {}", session->name,
                  std::string(login.status().message()));
    return nullptr;
  }
  if (!login->has_value() || (*login)->role != session->role ||
      (*login)->password_set_at != session->password_set_at) {
    Audit(session->name, UserRoleName(session->role), "console.logout",
          "session ended: the person was revoked or their role or password changed",
          AuditOutcome::kOk, now);
    sessions_.End(cookie);
    return nullptr;
  }
  return session;
}

ConsoleResponse ConsoleApi::Login(const ConsoleRequest& request, absl::string_view client_address) {
  const absl::Time now = options_.clock();
  nlohmann::json body = nlohmann::json::parse(request.body(), nullptr, false);
  if (body.is_discarded() || !body.is_object() || body.size() != 2 || !body.contains("name") ||
      !body.contains("password") || !body["name"].is_string() || !body["password"].is_string()) {
    return Error(request, absl::InvalidArgumentError(
                              "the body must be {\"name\": \"...\", \"password\": \"...\"}"));
  }
  const std::string name = body["name"].get<std::string>();
  std::string password = body["password"].get<std::string>();
  body = nullptr;
  if (const std::optional<absl::Duration> locked = throttle_.LockedFor(name, client_address, now)) {
    OPENSSL_cleanse(password.data(), password.size());
    const std::int64_t seconds =
        std::max<std::int64_t>(1, absl::ToInt64Seconds(absl::Ceil(*locked, absl::Seconds(1))));
    ConsoleResponse response =
        Error(request, absl::ResourceExhaustedError(absl::StrCat(
                           "ログインの失敗が続いたため、しばらく待ってください (too many failed "
                           "logins; retry after ",
                           seconds, " s)")));
    response.set(http::field::retry_after, std::to_string(seconds));
    return response;
  }
  absl::StatusOr<std::optional<ConsoleLogin>> login =
      name.size() <= kMaxUserNameBytes ? users_.FindConsoleLogin(name)
                                       : absl::StatusOr<std::optional<ConsoleLogin>>(std::nullopt);
  if (!login.ok()) {
    OPENSSL_cleanse(password.data(), password.size());
    spdlog::error("cannot look up console user: {}", std::string(login.status().message()));
    return Error(request, absl::UnavailableError("the collector cannot check logins right now"));
  }
  // The same work, and the same answer, for an unknown name as for a wrong password.
  absl::StatusOr<bool> matches = VerifyConsolePassword(
      password, login->has_value() ? (*login)->password_hash : unknown_user_hash_);
  OPENSSL_cleanse(password.data(), password.size());
  if (!matches.ok()) {
    spdlog::error("console user {}: {}", name, std::string(matches.status().message()));
  }
  if (!login->has_value() || !matches.ok() || !*matches) {
    const bool locked = throttle_.Fail(name, client_address, now);
    const std::string role = login->has_value() ? std::string(UserRoleName((*login)->role)) : "";
    Audit(name, role, "console.login", absl::StrCat("wrong name or password from ", client_address),
          AuditOutcome::kRefused, now);
    if (locked) {
      Audit(name, role, "console.lockout",
            absl::StrCat("too many failed logins from ", client_address, ": locked for ",
                         absl::FormatDuration(kLoginLockout)),
            AuditOutcome::kRefused, now);
    }
    return Error(request, absl::UnauthenticatedError(kLoginRefused));
  }
  throttle_.Succeed(name, client_address);
  // A new session every time (no fixation): a cookie the browser still sends ends here.
  if (const std::string old = SessionCookie(request); !old.empty()) {
    sessions_.End(old);
  }
  absl::StatusOr<ConsoleSessions::Created> created = sessions_.Create(**login, now);
  if (!created.ok()) {
    return Error(request, created.status());
  }
  Audit(name, UserRoleName((*login)->role), "console.login",
        absl::StrCat("logged in from ", client_address), AuditOutcome::kOk, now);
  ConsoleResponse response =
      Answer(request, http::status::ok, kJson, SessionBody(*created->session));
  response.set(http::field::set_cookie,
               absl::StrCat(kConsoleSessionCookie, "=", created->cookie,
                            "; Secure; HttpOnly; SameSite=Strict; Path=/"));
  return response;
}

ConsoleResponse ConsoleApi::Session(const ConsoleRequest& request) {
  const ConsoleSession* session = LiveSession(request, options_.clock(), /*touch=*/false);
  if (session == nullptr) {
    return Error(request, absl::UnauthenticatedError(kNoSession));
  }
  return Answer(request, http::status::ok, kJson, SessionBody(*session));
}

ConsoleResponse ConsoleApi::Logout(const ConsoleRequest& request,
                                   absl::string_view client_address) {
  const absl::Time now = options_.clock();
  ConsoleResponse response = Answer(request, http::status::no_content, "", "");
  response.set(http::field::set_cookie,
               absl::StrCat(kConsoleSessionCookie,
                            "=; Secure; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"));
  const ConsoleSession* session = LiveSession(request, now, /*touch=*/false);
  if (session == nullptr) {
    return response;  // nothing to end
  }
  const auto csrf = request.find("X-CSRF-Token");
  if (csrf == request.end() ||
      !SameSecret(absl::string_view(csrf->value().data(), csrf->value().size()),
                  session->csrf_token)) {
    return Error(request, absl::PermissionDeniedError(kCsrfRefused));
  }
  Audit(session->name, UserRoleName(session->role), "console.logout",
        absl::StrCat("logged out from ", client_address), AuditOutcome::kOk, now);
  sessions_.End(SessionCookie(request));
  return response;
}

ConsoleResponse ConsoleApi::Call(const ConsoleRequest& request, absl::string_view method,
                                 absl::string_view client_address) {
  const absl::Time now = options_.clock();
  const ConsoleSession* session = LiveSession(request, now, /*touch=*/true);
  if (session == nullptr) {
    return Error(request, absl::UnauthenticatedError(kNoSession));
  }
  const auto csrf = request.find("X-CSRF-Token");
  if (csrf == request.end() ||
      !SameSecret(absl::string_view(csrf->value().data(), csrf->value().size()),
                  session->csrf_token)) {
    Audit(session->name, UserRoleName(session->role),
          absl::StrCat("CollectorAdmin/", method.substr(0, 64)),
          absl::StrCat("refused without a valid X-CSRF-Token from ", client_address),
          AuditOutcome::kRefused, now);
    return Error(request, absl::PermissionDeniedError(kCsrfRefused));
  }
  if (!IsMethodName(method)) {
    return Error(request, absl::NotFoundError("no such method"));
  }
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> parsed =
      CollectorAdminService::NewRequest(method);
  if (!parsed.ok()) {
    return Error(request, parsed.status());
  }
  google::protobuf::Message& message = **parsed;
  if (!request.body().empty()) {
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    const auto status =
        google::protobuf::util::JsonStringToMessage(request.body(), &message, options);
    if (!status.ok()) {
      return Error(request, absl::InvalidArgumentError(
                                absl::StrCat("the body is not a ", message.GetDescriptor()->name(),
                                             " in JSON: ", status.ToString())));
    }
  }
  const Principal caller{KindOf(session->role), session->name, ""};
  if (method == "GenerateReport") {
    absl::StatusOr<CollectorAdminService::RenderedReport> report = admin_.GenerateReportAsPerson(
        caller, static_cast<const mamori::v1::GenerateReportRequest&>(message));
    if (!report.ok()) {
      return Error(request, report.status());
    }
    std::string content_type = report->header.content_type();
    if (!absl::StrContains(content_type, "charset")) {
      absl::StrAppend(&content_type, "; charset=utf-8");
    }
    ConsoleResponse response =
        Answer(request, http::status::ok, content_type, std::move(report->document));
    response.set(http::field::content_disposition,
                 absl::StrCat("attachment; filename=\"", report->header.file_name(), "\""));
    response.set("X-Content-SHA256", report->header.sha256());
    return response;
  }
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> answer =
      admin_.CallAsPerson(caller, method, message);
  if (!answer.ok()) {
    return Error(request, answer.status());
  }
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  options.always_print_enums_as_ints = false;
  options.preserve_proto_field_names = false;
  std::string json;
  if (const auto status = google::protobuf::util::MessageToJsonString(**answer, &json, options);
      !status.ok()) {
    return Error(request, absl::InternalError("the answer could not be written as JSON"));
  }
  return Answer(request, http::status::ok, kJson, std::move(json));
}

}  // namespace mamori::collector
