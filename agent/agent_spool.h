// The agent's spool in its data directory (DATA_DIR/spool). It belongs to one agent id, written
// beside it: a re-enrolled PC starts a fresh sequence like its fresh agent state, and the records
// of an identity it no longer holds (they could never be delivered) are removed. One directory
// level only: with the longest DataDir the Windows service accepts (200 bytes) the spool's longest
// file name stays below MAX_PATH.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>

#include "absl/status/statusor.h"
#include "agent/agent_state.h"
#include "platform/spool/spool.h"

namespace mamori::agent {

inline constexpr std::uint64_t kDefaultSpoolMaxBytes = 50u * 1024u * 1024u;

// The spool directory under `data_dir`.
std::filesystem::path AgentSpoolDir(const std::filesystem::path& data_dir);

// Opens (creating) the spool of `state`'s agent. Its first id continues the seq of the agent state
// (an agent upgraded from a version without a spool keeps its sequence); from then on the spool
// issues the seqs. What recovery repaired is logged once.
absl::StatusOr<std::unique_ptr<platform::spool::Spool>> OpenAgentSpool(
    const std::filesystem::path& data_dir, const AgentState& state, std::uint64_t max_bytes);

}  // namespace mamori::agent
