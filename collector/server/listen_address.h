// Parsing the collector's --listen address. Every connection is TLS (agents with their own
// certificates), so any local address may be used, including the wildcards 0.0.0.0 and [::].
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

// Accepts an IP literal and a port: "127.0.0.1:7443", "0.0.0.0:7443", "192.168.1.10:7443",
// "[::1]:7443", "[::]:7443". Host names are refused with INVALID_ARGUMENT: what a name resolves to
// may change, the address bound should not.
absl::StatusOr<ListenAddress> ParseListenAddress(absl::string_view text);

// 0.0.0.0 or ::, i.e. every interface.
bool IsWildcard(const ListenAddress& address);

}  // namespace mamori::collector
