// The seq discipline lives here: a seq is reserved (and persisted) only after the collector's
// Welcome, and the Ack is recorded only after the collector has committed the snapshot.
#include "agent/snapshot_cycle.h"

#include "agent/collector_session.h"
#include "agent/version.h"
#include "proto/codec/facts_codec.h"

namespace mamori::agent {

namespace v1 = ::mamori::v1;

absl::StatusOr<DeliveredSnapshot> CollectAndDeliver(AgentState& state,
                                                    platform::ProbeRegistry& probes,
                                                    const platform::ProbeEnvironment& env,
                                                    const std::shared_ptr<grpc::Channel>& channel,
                                                    absl::Duration timeout) {
  const facts::HostFacts host = platform::CollectHostFacts(probes, env);
  const absl::Time now = absl::Now();

  v1::Hello hello;
  hello.set_agent_id(state.agent_id());
  hello.set_agent_version(kAgentVersion);
  hello.set_last_acked_seq(state.last_acked_seq());
  hello.set_hostname(host.inventory.hostname);
  hello.mutable_agent_time()->set_seconds(absl::ToUnixSeconds(now));

  absl::StatusOr<std::unique_ptr<CollectorSession>> session =
      CollectorSession::Open(channel, hello, now + timeout);
  if (!session.ok()) {
    return session.status();
  }
  if (absl::Status s = state.ObserveCollectorSeq((*session)->welcome().last_committed_seq());
      !s.ok()) {
    return s;
  }
  absl::StatusOr<uint64_t> seq = state.NextSeq();
  if (!seq.ok()) {
    return seq.status();
  }

  v1::AgentMessage message;
  v1::Snapshot* snapshot = message.mutable_snapshot();
  snapshot->set_seq(*seq);
  snapshot->mutable_collected_at()->set_seconds(absl::ToUnixSeconds(now));
  *snapshot->mutable_facts() = codec::ToProto(host);

  if (absl::Status sent = (*session)->SendAndAwaitAck(message, *seq); !sent.ok()) {
    return sent;
  }
  if (absl::Status acked = state.RecordAck(*seq); !acked.ok()) {
    return acked;
  }
  if (absl::Status closed = (*session)->Close(); !closed.ok()) {
    return closed;
  }
  return DeliveredSnapshot{*seq, host.inventory.hostname, host.inventory.os_pretty_name};
}

}  // namespace mamori::agent
