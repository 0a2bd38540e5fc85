// Winsock: a non-blocking connect bounded by select() (WSAPoll misses failed connects on older
// Windows 10 builds), then back to blocking with SO_RCVTIMEO and SO_SNDTIMEO for OpenSSL. Each
// connection holds a Winsock reference (WSAStartup/WSACleanup count), since enrollment may run
// before gRPC has started Winsock.
#include <winsock2.h>
#include <ws2tcpip.h>

#include <string>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "agent/collector_address.h"
#include "agent/tcp_connection.h"

namespace mamori::agent {
namespace {

// FIONBIO's value does not fit ioctlsocket's signed `long` parameter; the cast is the documented
// use (C++20 defines it as modular).
constexpr long kFionbio = static_cast<long>(FIONBIO);

struct AddrInfoDeleter {
  void operator()(addrinfo* info) const { ::freeaddrinfo(info); }
};
using AddrInfoPtr = std::unique_ptr<addrinfo, AddrInfoDeleter>;

// One WSAStartup reference, released unless handed on to a TcpConnection.
class WinsockReference {
 public:
  WinsockReference() {
    WSADATA data{};
    started_ = ::WSAStartup(MAKEWORD(2, 2), &data) == 0;
  }
  ~WinsockReference() {
    if (started_) {
      ::WSACleanup();
    }
  }
  WinsockReference(const WinsockReference&) = delete;
  WinsockReference& operator=(const WinsockReference&) = delete;
  bool started() const { return started_; }
  void release() { started_ = false; }

 private:
  bool started_ = false;
};

class Socket {
 public:
  explicit Socket(SOCKET socket) : socket_(socket) {}
  ~Socket() {
    if (socket_ != INVALID_SOCKET) {
      ::closesocket(socket_);
    }
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  SOCKET get() const { return socket_; }
  SOCKET release() { return std::exchange(socket_, INVALID_SOCKET); }

 private:
  SOCKET socket_;
};

std::string WinsockMessage(int error) { return std::system_category().message(error); }

}  // namespace

absl::StatusOr<std::unique_ptr<TcpConnection>> TcpConnection::Open(const CollectorAddress& address,
                                                                   absl::Duration timeout) {
  WinsockReference winsock;
  if (!winsock.started()) {
    return CollectorUnreachable(address, "Winsock could not be started");
  }
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_family = AF_UNSPEC;
  addrinfo* raw = nullptr;
  const std::string port = std::to_string(address.port);
  if (const int rc = ::getaddrinfo(address.host.c_str(), port.c_str(), &hints, &raw); rc != 0) {
    return CollectorUnreachable(address, WinsockMessage(rc));
  }
  AddrInfoPtr results(raw);
  const DWORD timeout_ms = static_cast<DWORD>(absl::ToInt64Milliseconds(timeout));
  std::string last_error = "no address";
  for (const addrinfo* ai = results.get(); ai != nullptr; ai = ai->ai_next) {
    Socket socket(::WSASocketW(ai->ai_family, ai->ai_socktype, ai->ai_protocol, nullptr, 0,
                               WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT));
    if (socket.get() == INVALID_SOCKET) {
      last_error = WinsockMessage(::WSAGetLastError());
      continue;
    }
    u_long non_blocking = 1;
    ::ioctlsocket(socket.get(), kFionbio, &non_blocking);
    if (::connect(socket.get(), ai->ai_addr, static_cast<int>(ai->ai_addrlen)) == SOCKET_ERROR) {
      if (const int error = ::WSAGetLastError(); error != WSAEWOULDBLOCK) {
        last_error = WinsockMessage(error);
        continue;
      }
      fd_set writable;
      fd_set failed;
      FD_ZERO(&writable);
      FD_ZERO(&failed);
      FD_SET(socket.get(), &writable);
      FD_SET(socket.get(), &failed);
      timeval tv{};
      tv.tv_sec = static_cast<long>(timeout_ms / 1000);
      tv.tv_usec = static_cast<long>((timeout_ms % 1000) * 1000);
      const int ready = ::select(0, nullptr, &writable, &failed, &tv);
      if (ready <= 0) {
        last_error = ready == 0 ? "connection timed out" : WinsockMessage(::WSAGetLastError());
        continue;
      }
      int error = 0;
      int length = sizeof(error);
      if (FD_ISSET(socket.get(), &failed) ||
          ::getsockopt(socket.get(), SOL_SOCKET, SO_ERROR, reinterpret_cast<char*>(&error),
                       &length) != 0 ||
          error != 0) {
        last_error = WinsockMessage(error != 0 ? error : ::WSAGetLastError());
        continue;
      }
    }
    non_blocking = 0;
    ::ioctlsocket(socket.get(), kFionbio, &non_blocking);
    ::setsockopt(socket.get(), SOL_SOCKET, SO_RCVTIMEO, reinterpret_cast<const char*>(&timeout_ms),
                 sizeof(timeout_ms));
    ::setsockopt(socket.get(), SOL_SOCKET, SO_SNDTIMEO, reinterpret_cast<const char*>(&timeout_ms),
                 sizeof(timeout_ms));
    winsock.release();  // the connection keeps Winsock's reference until it closes
    return std::unique_ptr<TcpConnection>(
        new TcpConnection(static_cast<std::uintptr_t>(socket.release())));
  }
  return CollectorUnreachable(address, last_error);
}

TcpConnection::~TcpConnection() {
  ::closesocket(static_cast<SOCKET>(socket_));
  ::WSACleanup();
}

int TcpConnection::openssl_fd() const { return static_cast<int>(socket_); }

}  // namespace mamori::agent
