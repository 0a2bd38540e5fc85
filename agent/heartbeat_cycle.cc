// The heartbeat's facts come from the same power probe as the snapshot's power section, so the
// collector can patch one with the other.
#include "agent/heartbeat_cycle.h"

#include <utility>

#include "agent/record_delivery.h"

namespace mamori::agent {

namespace v1 = ::mamori::v1;

std::optional<bool> AllSessionsLocked(const std::vector<facts::UserSession>& sessions) {
  if (sessions.empty()) {
    return std::nullopt;
  }
  bool all_known = true;
  for (const facts::UserSession& session : sessions) {
    if (!session.locked.has_value()) {
      all_known = false;
    } else if (!*session.locked) {
      return false;  // one unlocked session is enough for someone to use the PC
    }
  }
  return all_known ? std::optional<bool>(true) : std::nullopt;
}

v1::Heartbeat HeartbeatFromPower(const facts::PowerState& power, absl::Time sent_at) {
  v1::Heartbeat heartbeat;
  heartbeat.mutable_sent_at()->set_seconds(absl::ToUnixSeconds(sent_at));
  if (power.uptime.has_value()) {
    heartbeat.mutable_uptime()->set_seconds(power.uptime->count());
  }
  if (power.idle.has_value()) {
    heartbeat.mutable_idle()->set_seconds(power.idle->count());
  }
  if (const std::optional<bool> locked = AllSessionsLocked(power.sessions); locked.has_value()) {
    heartbeat.set_session_locked(*locked);
  }
  heartbeat.set_sessions(static_cast<uint32_t>(power.sessions.size()));
  return heartbeat;
}

facts::PowerState CollectPowerState(platform::ProbeRegistry& probes,
                                    const platform::ProbeEnvironment& env) {
  // The registry with the power probe alone: CollectHostFacts stays the one place where a probe's
  // failure becomes data, and the empty slots cost nothing.
  platform::ProbeRegistry power_only;
  power_only.power = std::move(probes.power);
  facts::PowerState power = platform::CollectHostFacts(power_only, env).power;
  probes.power = std::move(power_only.power);
  return power;
}

absl::StatusOr<uint64_t> DeliverHeartbeat(AgentState& state, const facts::PowerState& power,
                                          const std::string& hostname,
                                          const std::shared_ptr<grpc::Channel>& channel,
                                          absl::Duration timeout) {
  const absl::Time now = absl::Now();
  return DeliverRecord(state, channel, hostname, now, timeout, [&](uint64_t seq) {
    v1::AgentMessage message;
    *message.mutable_heartbeat() = HeartbeatFromPower(power, now);
    message.mutable_heartbeat()->set_seq(seq);
    return message;
  });
}

}  // namespace mamori::agent
