// One record, one session: Hello, Welcome, seq, record, Ack, close.
#include "agent/record_delivery.h"

#include "agent/collector_session.h"
#include "agent/version.h"

namespace mamori::agent {

namespace v1 = ::mamori::v1;

absl::StatusOr<uint64_t> DeliverRecord(AgentState& state,
                                       const std::shared_ptr<grpc::Channel>& channel,
                                       const std::string& hostname, absl::Time now,
                                       absl::Duration timeout, const RecordWithSeq& make_record) {
  v1::Hello hello;
  hello.set_agent_id(state.agent_id());
  hello.set_agent_version(kAgentVersion);
  hello.set_last_acked_seq(state.last_acked_seq());
  hello.set_hostname(hostname);
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
  if (absl::Status sent = (*session)->SendAndAwaitAck(make_record(*seq), *seq); !sent.ok()) {
    return sent;
  }
  if (absl::Status acked = state.RecordAck(*seq); !acked.ok()) {
    return acked;
  }
  if (absl::Status closed = (*session)->Close(); !closed.ok()) {
    return closed;
  }
  return *seq;
}

}  // namespace mamori::agent
