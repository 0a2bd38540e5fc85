#include "collector/server/live_agent_streams.h"

#include <utility>

#include "spdlog/spdlog.h"

namespace mamori::collector {

std::uint64_t LiveAgentStreams::Add(std::string agent_id, std::string certificate_serial,
                                    grpc::CallbackServerContext* context) {
  absl::MutexLock lock(&mu_);
  for (auto& [older_id, entry] : streams_) {
    if (entry.stream.agent_id == agent_id) {
      spdlog::info("agent {} opened a new stream; closing its older one", agent_id);
      entry.context->TryCancel();
      ++replaced_;
    }
  }
  const std::uint64_t id = next_id_++;
  streams_.emplace(id, Entry{{id, std::move(agent_id), std::move(certificate_serial)}, context});
  return id;
}

std::uint64_t LiveAgentStreams::replaced_streams() const {
  absl::MutexLock lock(&mu_);
  return replaced_;
}

void LiveAgentStreams::Remove(std::uint64_t id) {
  absl::MutexLock lock(&mu_);
  streams_.erase(id);
}

std::vector<LiveAgentStreams::Stream> LiveAgentStreams::Snapshot() const {
  absl::MutexLock lock(&mu_);
  std::vector<Stream> out;
  out.reserve(streams_.size());
  for (const auto& [id, entry] : streams_) {
    out.push_back(entry.stream);
  }
  return out;
}

int LiveAgentStreams::CancelIf(absl::FunctionRef<bool(const Stream&)> revoked) {
  std::vector<std::uint64_t> doomed;
  for (const Stream& stream : Snapshot()) {
    if (revoked(stream)) {
      doomed.push_back(stream.id);
    }
  }
  int cancelled = 0;
  absl::MutexLock lock(&mu_);
  for (const std::uint64_t id : doomed) {
    // A stream that ended meanwhile is gone from the map; its context may already be freed.
    auto it = streams_.find(id);
    if (it != streams_.end()) {
      it->second.context->TryCancel();
      ++cancelled;
    }
  }
  return cancelled;
}

}  // namespace mamori::collector
