// What the console answers to one HTTP request (docs/console.md, the HTTP contract): static files,
// the session API and /api/v1/<Method> through CollectorAdminService::CallAsPerson. No sockets
// here: console_server.cc reads requests and writes the answers, and tests call Handle directly
// or through a real TLS connection. Not thread-safe: the server calls it from its one I/O thread.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <boost/beast/http.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "collector/console/console_sessions.h"
#include "collector/people/console_password.h"
#include "collector/server/admin_service.h"
#include "collector/storage/audit_log.h"
#include "collector/storage/user_store.h"

namespace mamori::collector {

using ConsoleRequest = boost::beast::http::request<boost::beast::http::string_body>;
using ConsoleResponse = boost::beast::http::response<boost::beast::http::string_body>;

inline constexpr char kConsoleSessionCookie[] = "__Host-mamori_session";
inline constexpr std::size_t kMaxConsoleBodyBytes = 64 * 1024;
inline constexpr std::size_t kMaxConsoleHeaderBytes = 8 * 1024;

struct ConsoleApiOptions {
  // Sessions' idle and absolute expiry and login locks are measured with this clock.
  std::function<absl::Time()> clock = [] { return absl::Now(); };
  // The cost of the hash a login for an unknown name is checked against, so that it takes as long
  // as a real one. Tests lower it together with their users' cost.
  ScryptCost unknown_user_cost = kConsolePasswordCost;
};

class ConsoleApi {
 public:
  // All must outlive the API. `admin` is the serving collector's (one lock over the knowledge).
  static absl::StatusOr<std::unique_ptr<ConsoleApi>> Create(CollectorAdminService& admin,
                                                            UserStore& users, AuditLog& audit,
                                                            ConsoleApiOptions options = {});

  // The answer to `request` from `client_address` (an IP literal), with every security header.
  ConsoleResponse Handle(const ConsoleRequest& request, absl::string_view client_address);

  // The answer to a request the server could not read whole (413 body too large, 400 for headers
  // over the limit or bad syntax), with the security headers and Connection: close.
  static ConsoleResponse Refuse(unsigned version, boost::beast::http::status status,
                                absl::string_view code, absl::string_view message);

 private:
  ConsoleApi(CollectorAdminService& admin, UserStore& users, AuditLog& audit,
             ConsoleApiOptions options, std::string unknown_user_hash)
      : admin_(admin),
        users_(users),
        audit_(audit),
        options_(std::move(options)),
        unknown_user_hash_(std::move(unknown_user_hash)) {}

  ConsoleResponse Static(const ConsoleRequest& request, absl::string_view path);
  ConsoleResponse Login(const ConsoleRequest& request, absl::string_view client_address);
  ConsoleResponse Session(const ConsoleRequest& request);
  ConsoleResponse Logout(const ConsoleRequest& request, absl::string_view client_address);
  ConsoleResponse Call(const ConsoleRequest& request, absl::string_view method,
                       absl::string_view client_address);

  // The live session of the request's cookie, re-checked against the people's table (revoked,
  // role changed, password changed: the session ends). Null when there is none.
  ConsoleSession* LiveSession(const ConsoleRequest& request, absl::Time now, bool touch);
  void Audit(absl::string_view actor, absl::string_view role, absl::string_view action,
             absl::string_view detail, AuditOutcome outcome, absl::Time now);

  CollectorAdminService& admin_;
  UserStore& users_;
  AuditLog& audit_;
  ConsoleApiOptions options_;
  std::string unknown_user_hash_;
  ConsoleSessions sessions_;
  LoginThrottle throttle_;
};

// The HTTP status of a gRPC code name's error (docs/console.md).
boost::beast::http::status ConsoleHttpStatus(absl::StatusCode code);

}  // namespace mamori::collector
