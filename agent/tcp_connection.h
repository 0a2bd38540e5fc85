// A plain TCP connection to the collector, opened within a timeout, for the one TLS handshake that
// checks the pinned CA before enrolling (enrollment.cc). One implementation per OS, chosen in
// CMake: BSD sockets (tcp_connection_posix.cc), Winsock (tcp_connection_windows.cc).
#pragma once

#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agent/collector_address.h"

namespace mamori::agent {

class TcpConnection {
 public:
  // Tries each address of `address.host` in turn; each connect is bounded by `timeout`, and so is
  // every later send and receive. UNAVAILABLE with the OS's reason when none connects.
  static absl::StatusOr<std::unique_ptr<TcpConnection>> Open(const CollectorAddress& address,
                                                             absl::Duration timeout);
  ~TcpConnection();
  TcpConnection(const TcpConnection&) = delete;
  TcpConnection& operator=(const TcpConnection&) = delete;

  // The socket as OpenSSL's SSL_set_fd takes it (on Windows, a SOCKET cast to int, as OpenSSL
  // documents).
  int openssl_fd() const;

 private:
  explicit TcpConnection(std::uintptr_t socket) : socket_(socket) {}

  std::uintptr_t socket_;  // an fd (POSIX) or a SOCKET (Windows), owned
};

}  // namespace mamori::agent
