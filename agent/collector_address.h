// The agent's --collector HOST:PORT as an absl::StatusOr, for agent code. Every connection is TLS
// to the pinned CA, so any address is allowed; `loopback` only helps messages.
#pragma once

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "agent/agent_options.h"

namespace mamori::agent {

// Accepts "127.0.0.1:7443", "localhost:7443", "[::1]:7443", "server-pc.local:7443";
// INVALID_ARGUMENT otherwise. The checks themselves are CheckCollectorAddress (agent_options.h),
// shared with the Windows service's registry settings.
absl::StatusOr<CollectorAddress> ParseCollectorAddress(absl::string_view text);

// UNAVAILABLE "cannot reach the collector at HOST:PORT: <why>": one wording for every way a
// connection to the collector fails before TLS has proved anything.
absl::Status CollectorUnreachable(const CollectorAddress& address, absl::string_view why);

}  // namespace mamori::agent
