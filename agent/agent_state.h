// The agent's sequence counter, kept in its data directory under the agent id its certificate
// carries.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace mamori::agent {

// Persisted as DATA_DIR/agent-state.json. Written atomically (temporary file, fsync, rename, fsync
// of the directory) so a power cut leaves either the old or the new state, never a torn one.
class AgentState {
 public:
  // Loads the state of `agent_id` (the CN of the agent's certificate, which is the identity). A
  // state of another id (an older, locally generated one, or the one before a re-enrollment)
  // starts over at seq 0 under the new id: the collector knows nothing of the new id yet. Creates
  // the directory (owner-only) if needed. A state file that exists but does not parse is an error,
  // never silently replaced.
  static absl::StatusOr<AgentState> LoadForAgent(const std::filesystem::path& data_dir,
                                                 const std::string& agent_id);

  const std::string& agent_id() const { return agent_id_; }
  uint64_t last_seq() const { return last_seq_; }
  uint64_t last_acked_seq() const { return last_acked_seq_; }

  // Reserves the next sequence number and persists it before it is used, so that a crash can never
  // make the agent send two different records with one seq.
  absl::StatusOr<uint64_t> NextSeq();
  // The collector's view after Hello: if it has committed more than this agent remembers (state
  // restored from an old backup), continue above it so that fresh records are not taken for
  // replays.
  absl::Status ObserveCollectorSeq(uint64_t last_committed_seq);
  absl::Status RecordAck(uint64_t seq);

 private:
  AgentState(std::filesystem::path file, std::string agent_id)
      : file_(std::move(file)), agent_id_(std::move(agent_id)) {}
  absl::Status Save() const;

  std::filesystem::path file_;
  std::string agent_id_;
  uint64_t last_seq_ = 0;
  uint64_t last_acked_seq_ = 0;
};

}  // namespace mamori::agent
