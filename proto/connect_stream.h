// The numbers the agent and the collector must agree on for the long-lived Connect stream: the
// message bound and HTTP/2 keepalive. One header for both sides, so a change to one cannot forget
// the other (a client that pings more often than the server permits is cut off with GOAWAY
// "too_many_pings"). docs/wire-format.md explains each value.
#pragma once

#include <cstddef>

namespace mamori::wire {

// The largest AgentMessage the collector accepts (gRPC refuses larger ones before the gateway
// sees them). The agent never spools a snapshot above it: it could never be delivered.
inline constexpr std::size_t kMaxAgentMessageBytes = 4 * 1024 * 1024;

// Agent (client): one keepalive ping after 60 s without frames, so a NAT or firewall between the
// clinic's PCs and the collector never sees the stream idle for long, and a dead collector is
// noticed within 80 s. Pings only while a call is open (the stream), never on an idle channel.
inline constexpr int kAgentKeepaliveTimeMs = 60'000;
inline constexpr int kAgentKeepaliveTimeoutMs = 20'000;
inline constexpr int kAgentKeepalivePermitWithoutCalls = 0;
// 0 = no limit: gRPC's default (2) stops the client's pings after two without data, which would
// let a quiet stream between cycles be cut by a middlebox.
inline constexpr int kAgentMaxPingsWithoutData = 0;

// Collector (server): accepts a ping without data every 30 s at most, half the agent's interval,
// so timer jitter never counts as a strike; two strikes end the connection (gRPC's default).
inline constexpr int kCollectorMinRecvPingIntervalWithoutDataMs = 30'000;
inline constexpr int kCollectorMaxPingStrikes = 2;
// Pings without an open call are not expected (the agent sends none) and not permitted.
inline constexpr int kCollectorKeepalivePermitWithoutCalls = kAgentKeepalivePermitWithoutCalls;
// The collector pings too, every 2 minutes, so a stream whose agent vanished (a PC switched off at
// the wall) is closed within 2m20s and its memory freed.
inline constexpr int kCollectorKeepaliveTimeMs = 120'000;
inline constexpr int kCollectorKeepaliveTimeoutMs = 20'000;
inline constexpr int kCollectorMaxPingsWithoutData = 0;

static_assert(kAgentKeepaliveTimeMs >= 2 * kCollectorMinRecvPingIntervalWithoutDataMs,
              "the agent must ping less often than the collector permits, with margin");

}  // namespace mamori::wire
