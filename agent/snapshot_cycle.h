// One snapshot: probe the host, open a session with the collector, deliver the snapshot, await Ack.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agent/agent_state.h"
#include "platform/probe.h"

namespace mamori::agent {

struct DeliveredSnapshot {
  uint64_t seq = 0;
  std::string hostname;
  std::string os_pretty_name;
};

// Runs every probe and delivers the facts as one Snapshot.
absl::StatusOr<DeliveredSnapshot> CollectAndDeliver(AgentState& state,
                                                    platform::ProbeRegistry& probes,
                                                    const platform::ProbeEnvironment& env,
                                                    const std::shared_ptr<grpc::Channel>& channel,
                                                    absl::Duration timeout);

// Delivers facts collected elsewhere (the test-only fixture agent's) as one Snapshot, collected
// now.
absl::StatusOr<DeliveredSnapshot> DeliverSnapshot(AgentState& state, const facts::HostFacts& host,
                                                  const std::shared_ptr<grpc::Channel>& channel,
                                                  absl::Duration timeout);

}  // namespace mamori::agent
