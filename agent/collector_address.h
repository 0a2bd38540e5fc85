// Parses the agent's --collector HOST:PORT. Every connection is TLS to the pinned CA, so any
// address is allowed; `loopback` only helps messages.
#pragma once

#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"

namespace mamori::agent {

struct CollectorAddress {
  std::string host;  // without brackets for IPv6
  uint16_t port = 0;
  bool loopback = false;  // 127.0.0.0/8, ::1 or "localhost"

  // "host:port" or "[v6]:port", as gRPC expects it.
  std::string Target() const;
};

// Accepts "127.0.0.1:7443", "localhost:7443", "[::1]:7443", "server-pc.local:7443".
absl::StatusOr<CollectorAddress> ParseCollectorAddress(absl::string_view text);

}  // namespace mamori::agent
