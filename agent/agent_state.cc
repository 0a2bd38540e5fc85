// Atomic persistence of the agent's identity and sequence numbers.
#include "agent/agent_state.h"

#include <cstdint>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "collector/pki/key_files.h"
#include "nlohmann/json.hpp"

namespace mamori::agent {
namespace {

constexpr char kStateFileName[] = "agent-state.json";
constexpr std::uintmax_t kMaxStateFileBytes = 64 * 1024;

}  // namespace

absl::StatusOr<AgentState> AgentState::LoadForAgent(const std::filesystem::path& data_dir,
                                                    const std::string& agent_id) {
  if (agent_id.empty()) {
    return absl::InvalidArgumentError("an agent state needs the agent id of its certificate");
  }
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    return absl::InternalError(
        absl::StrCat("cannot create data directory ", data_dir.string(), ": ", ec.message()));
  }
  std::filesystem::permissions(data_dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  const std::filesystem::path file = data_dir / kStateFileName;

  auto fresh = [&]() -> absl::StatusOr<AgentState> {
    AgentState state(file, agent_id);
    if (absl::Status saved = state.Save(); !saved.ok()) {
      return saved;
    }
    return state;
  };
  if (!std::filesystem::exists(file)) {
    return fresh();
  }

  const std::uintmax_t size = std::filesystem::file_size(file, ec);
  if (ec || size > kMaxStateFileBytes) {
    return absl::DataLossError(
        absl::StrCat(file.string(), ": unreadable or larger than ", kMaxStateFileBytes, " bytes"));
  }
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const nlohmann::json json =
      nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("agent_id") || !json["agent_id"].is_string() ||
      !json.contains("last_seq") || !json["last_seq"].is_number_unsigned() ||
      !json.contains("last_acked_seq") || !json["last_acked_seq"].is_number_unsigned()) {
    return absl::DataLossError(
        absl::StrCat(file.string(), " is damaged; move it away to enroll this PC as a new agent"));
  }
  AgentState state(file, json["agent_id"].get<std::string>());
  state.last_seq_ = json["last_seq"].get<uint64_t>();
  state.last_acked_seq_ = json["last_acked_seq"].get<uint64_t>();
  if (state.agent_id_.empty() || state.last_acked_seq_ > state.last_seq_) {
    return absl::DataLossError(absl::StrCat(file.string(), " is inconsistent"));
  }
  if (state.agent_id_ != agent_id) {
    return fresh();
  }
  return state;
}

absl::Status AgentState::Save() const {
  const nlohmann::json json = {
      {"agent_id", agent_id_}, {"last_seq", last_seq_}, {"last_acked_seq", last_acked_seq_}};
  // Owner-only and atomic: written beside the file, fsync-ed, renamed over it, directory fsync-ed.
  return pki::ReplaceSecretFile(file_, json.dump(2) + "\n");
}

absl::StatusOr<uint64_t> AgentState::NextSeq() {
  ++last_seq_;
  if (absl::Status saved = Save(); !saved.ok()) {
    return saved;
  }
  return last_seq_;
}

absl::Status AgentState::ObserveCollectorSeq(uint64_t last_committed_seq) {
  if (last_committed_seq <= last_seq_) {
    return absl::OkStatus();
  }
  last_seq_ = last_committed_seq;
  last_acked_seq_ = last_committed_seq;
  return Save();
}

absl::Status AgentState::RecordAck(uint64_t seq) {
  if (seq <= last_acked_seq_) {
    return absl::OkStatus();
  }
  last_acked_seq_ = seq;
  return Save();
}

}  // namespace mamori::agent
