// Parsing and vetting the collector's --listen address. Until agents speak TLS to it, the collector
// serves plaintext and so may listen on a loopback address only.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mamori::collector {

struct ListenAddress {
  std::string host;        // an IP literal, without brackets
  std::uint16_t port = 0;  // 0: the kernel picks a free port

  // host:port, with IPv6 hosts in brackets: the form gRPC and people both read.
  std::string ToString() const;
};

// Accepts "127.0.0.1:7443", "127.x.y.z:PORT" and "[::1]:PORT". Anything else, including names such
// as "localhost" that could resolve to a non-loopback address, is refused with INVALID_ARGUMENT.
absl::StatusOr<ListenAddress> ParseLoopbackListenAddress(absl::string_view text);

}  // namespace mamori::collector
