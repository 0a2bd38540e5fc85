// BSD sockets: a non-blocking connect bounded by poll(), then back to blocking with SO_RCVTIMEO
// and SO_SNDTIMEO for OpenSSL's handshake.
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "agent/collector_address.h"
#include "agent/tcp_connection.h"
#include "platform/linux/unique_fd.h"

namespace mamori::agent {
namespace {

struct AddrInfoDeleter {
  void operator()(addrinfo* info) const { freeaddrinfo(info); }
};
using AddrInfoPtr = std::unique_ptr<addrinfo, AddrInfoDeleter>;

}  // namespace

absl::StatusOr<std::unique_ptr<TcpConnection>> TcpConnection::Open(const CollectorAddress& address,
                                                                   absl::Duration timeout) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_family = AF_UNSPEC;
  addrinfo* raw = nullptr;
  const std::string port = std::to_string(address.port);
  if (const int rc = getaddrinfo(address.host.c_str(), port.c_str(), &hints, &raw); rc != 0) {
    return CollectorUnreachable(address, gai_strerror(rc));
  }
  AddrInfoPtr results(raw);
  std::string last_error = "no address";
  for (const addrinfo* ai = results.get(); ai != nullptr; ai = ai->ai_next) {
    platform::UniqueFd socket(
        ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol));
    if (socket.get() < 0) {
      last_error = std::strerror(errno);
      continue;
    }
    if (::connect(socket.get(), ai->ai_addr, ai->ai_addrlen) != 0) {
      if (errno != EINPROGRESS) {
        last_error = std::strerror(errno);
        continue;
      }
      pollfd pfd{socket.get(), POLLOUT, 0};
      const int ready = ::poll(&pfd, 1, static_cast<int>(absl::ToInt64Milliseconds(timeout)));
      int error = 0;
      socklen_t length = sizeof(error);
      if (ready <= 0) {
        last_error = ready == 0 ? "connection timed out" : std::strerror(errno);
        continue;
      }
      if (::getsockopt(socket.get(), SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) {
        last_error = std::strerror(error != 0 ? error : errno);
        continue;
      }
    }
    // Back to blocking, with timeouts, for OpenSSL's handshake.
    const int flags = ::fcntl(socket.get(), F_GETFL);
    ::fcntl(socket.get(), F_SETFL, flags & ~O_NONBLOCK);
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(absl::ToInt64Seconds(timeout));
    ::setsockopt(socket.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    ::setsockopt(socket.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    return std::unique_ptr<TcpConnection>(
        new TcpConnection(static_cast<std::uintptr_t>(socket.release())));
  }
  return CollectorUnreachable(address, last_error);
}

TcpConnection::~TcpConnection() { ::close(static_cast<int>(socket_)); }

int TcpConnection::openssl_fd() const { return static_cast<int>(socket_); }

}  // namespace mamori::agent
