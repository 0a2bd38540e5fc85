// The seq discipline for every record the agent sends, snapshot or heartbeat: a seq is reserved
// (and persisted) only after the collector's Welcome, and the Ack is recorded only after the
// collector has committed the record.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agent/agent_state.h"
#include "mamori/v1/agent.pb.h"

namespace mamori::agent {

// Builds the record to send under `seq`.
using RecordWithSeq = std::function<mamori::v1::AgentMessage(uint64_t seq)>;

// Opens a Connect session (Hello names `hostname`, agent time `now`), reserves the next seq, sends
// `make_record(seq)`, records its Ack and closes the session, all within `timeout`. Returns the
// seq. One session per record, without a spool: only the test-only fixture agent delivers this
// way (through DeliverSnapshot / DeliverHeartbeat); mamori-agent spools every record and sends it
// on its long-lived stream (spool_delivery.h).
absl::StatusOr<uint64_t> DeliverRecord(AgentState& state,
                                       const std::shared_ptr<grpc::Channel>& channel,
                                       const std::string& hostname, absl::Time now,
                                       absl::Duration timeout, const RecordWithSeq& make_record);

}  // namespace mamori::agent
