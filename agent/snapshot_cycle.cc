// A snapshot: every probe, converted to the wire format in one place (proto/codec), delivered with
// the seq discipline of record_delivery.
#include "agent/snapshot_cycle.h"

#include "agent/record_delivery.h"
#include "proto/codec/facts_codec.h"

namespace mamori::agent {

namespace v1 = ::mamori::v1;

absl::StatusOr<DeliveredSnapshot> CollectAndDeliver(AgentState& state,
                                                    platform::ProbeRegistry& probes,
                                                    const platform::ProbeEnvironment& env,
                                                    const std::shared_ptr<grpc::Channel>& channel,
                                                    absl::Duration timeout) {
  return DeliverSnapshot(state, platform::CollectHostFacts(probes, env), channel, timeout);
}

absl::StatusOr<DeliveredSnapshot> DeliverSnapshot(AgentState& state, const facts::HostFacts& host,
                                                  const std::shared_ptr<grpc::Channel>& channel,
                                                  absl::Duration timeout) {
  const absl::Time now = absl::Now();
  absl::StatusOr<uint64_t> seq =
      DeliverRecord(state, channel, host.inventory.hostname, now, timeout, [&](uint64_t reserved) {
        v1::AgentMessage message;
        v1::Snapshot* snapshot = message.mutable_snapshot();
        snapshot->set_seq(reserved);
        snapshot->mutable_collected_at()->set_seconds(absl::ToUnixSeconds(now));
        *snapshot->mutable_facts() = codec::ToProto(host);
        return message;
      });
  if (!seq.ok()) {
    return seq.status();
  }
  return DeliveredSnapshot{*seq, host.inventory.hostname, host.inventory.os_pretty_name};
}

}  // namespace mamori::agent
