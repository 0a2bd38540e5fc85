// The console's HTTPS server (Boost.Beast over Boost.Asio SSL, TLS 1.2+ with the collector's own
// server certificate): one I/O thread of its own, bounded connections, header and body sizes,
// timeouts and keep-alive; each request is answered by ConsoleApi.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "collector/console/console_api.h"
#include "collector/server/collector_identity.h"
#include "collector/server/listen_address.h"

namespace mamori::collector {

inline constexpr char kDefaultConsoleListen[] = "127.0.0.1:8443";

struct ConsoleServerOptions {
  std::string listen = kDefaultConsoleListen;  // IP:PORT; port 0 picks a free one
  int max_connections = 64;
  absl::Duration read_timeout = absl::Seconds(30);  // handshake, a whole request, keep-alive idle
  absl::Duration write_timeout = absl::Seconds(60);
  int max_requests_per_connection = 1000;
  ConsoleApiOptions api;
};

class ConsoleServer {
 public:
  // Listens with TLS (the server certificate and chain of `identity`) and serves until Stop.
  // `admin`, `users`, `audit` and `identity` must outlive the server.
  static absl::StatusOr<std::unique_ptr<ConsoleServer>> Start(const ConsoleServerOptions& options,
                                                              CollectorAdminService& admin,
                                                              UserStore& users, AuditLog& audit,
                                                              const CollectorIdentity& identity);
  ~ConsoleServer();
  ConsoleServer(const ConsoleServer&) = delete;
  ConsoleServer& operator=(const ConsoleServer&) = delete;

  // The address actually bound, with the real port.
  const ListenAddress& address() const { return address_; }

  // Stops accepting, closes every connection and joins the I/O thread. Idempotent.
  void Stop();

 private:
  struct State;
  explicit ConsoleServer(std::unique_ptr<State> state, ListenAddress address);

  std::unique_ptr<State> state_;
  ListenAddress address_;
};

}  // namespace mamori::collector
