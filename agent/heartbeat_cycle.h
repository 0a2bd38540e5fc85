// A heartbeat: the power probe alone (uptime, idle time, sessions and their lock state), sent
// between snapshots so the collector sees a PC left on overnight and knows the agent is alive
// without the cost of every probe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agent/agent_state.h"
#include "mamori/v1/agent.pb.h"
#include "platform/facts/host_facts.h"
#include "platform/probe.h"

namespace mamori::agent {

// True when every session is locked, false when any is unlocked, nullopt when that cannot be told
// (no sessions, or a session whose lock state is unknown and none unlocked).
std::optional<bool> AllSessionsLocked(const std::vector<facts::UserSession>& sessions);

// The Heartbeat (seq left 0) for what the power probe found, sent at `sent_at`. Uptime and idle
// stay unset when the probe could not tell them.
mamori::v1::Heartbeat HeartbeatFromPower(const facts::PowerState& power, absl::Time sent_at);

// Runs only the power probe of `probes`, with the failure handling of every other collection (an
// empty slot is unknown, a throwing probe an error).
facts::PowerState CollectPowerState(platform::ProbeRegistry& probes,
                                    const platform::ProbeEnvironment& env);

// Delivers one Heartbeat built from `power` over its own session; the Hello names `hostname` (the
// last snapshot's). Returns the seq.
absl::StatusOr<uint64_t> DeliverHeartbeat(AgentState& state, const facts::PowerState& power,
                                          const std::string& hostname,
                                          const std::shared_ptr<grpc::Channel>& channel,
                                          absl::Duration timeout);

}  // namespace mamori::agent
