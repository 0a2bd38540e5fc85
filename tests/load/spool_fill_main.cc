// mamori-spool-fill: TEST ONLY, never installed. Fills an enrolled agent's spool with the backlog a
// PC builds up while the collector is away (by default a week: a heartbeat every 5 minutes, a
// changed snapshot once a day), so tests/bench/agent_memory.sh can measure the real agent while it
// drains that backlog. The agent must not be running (the spool's lock says so).
//
//   mamori-spool-fill --data-dir DIR [--days 7] [--heartbeat-interval 5m] [--snapshots-per-day 1]
#include <CLI/CLI.hpp>

#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agent/agent_credentials.h"
#include "agent/agent_spool.h"
#include "agent/agent_state.h"
#include "agent/spool_delivery.h"
#include "mamori/v1/agent.pb.h"
#include "tests/load/fleet_facts.h"

namespace {

int Fail(const std::string& message) {
  std::cerr << "mamori-spool-fill: " << message << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"mamori-spool-fill: a week of backlog in an enrolled agent's spool (TEST ONLY)"};
  std::string data_dir;
  int days = 7;
  std::string heartbeat_text = "5m";
  int snapshots_per_day = 1;
  app.add_option("--data-dir", data_dir, "the enrolled agent's data directory")->required();
  app.add_option("--days", days, "how long the collector was away")
      ->check(CLI::Range(1, 31))
      ->capture_default_str();
  app.add_option("--heartbeat-interval", heartbeat_text, "the agent's heartbeat interval")
      ->capture_default_str();
  app.add_option("--snapshots-per-day", snapshots_per_day, "changed snapshots per day")
      ->check(CLI::Range(0, 96))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  absl::Duration heartbeat;
  if (!absl::ParseDuration(heartbeat_text, &heartbeat) || heartbeat < absl::Seconds(10) ||
      heartbeat > absl::Hours(1)) {
    return Fail("--heartbeat-interval must be between 10s and 1h");
  }
  absl::StatusOr<std::optional<mamori::agent::AgentCredentials>> credentials =
      mamori::agent::LoadAgentCredentials(data_dir);
  if (!credentials.ok()) {
    return Fail(std::string(credentials.status().message()));
  }
  if (!credentials->has_value()) {
    return Fail("the agent in " + data_dir + " is not enrolled");
  }
  absl::StatusOr<mamori::agent::AgentState> state =
      mamori::agent::AgentState::LoadForAgent(data_dir, (*credentials)->agent_id());
  if (!state.ok()) {
    return Fail(std::string(state.status().message()));
  }
  absl::StatusOr<std::unique_ptr<mamori::platform::spool::Spool>> spool =
      mamori::agent::OpenAgentSpool(data_dir, *state, mamori::agent::kDefaultSpoolMaxBytes);
  if (!spool.ok()) {
    return Fail(std::string(spool.status().message()));
  }

  const absl::Time now = absl::Now();
  const absl::Time start = now - absl::Hours(24 * days);
  const std::int64_t beats_per_snapshot =
      snapshots_per_day == 0 ? 0 : absl::Hours(24) / heartbeat / snapshots_per_day;
  std::uint64_t heartbeats = 0;
  std::uint64_t snapshots = 0;
  std::uint64_t thinned = 0;
  std::uint64_t beat = 0;
  for (absl::Time at = start; at < now; at += heartbeat, ++beat) {
    mamori::v1::AgentMessage message;
    const bool snapshot =
        beats_per_snapshot > 0 && beat % static_cast<std::uint64_t>(beats_per_snapshot) == 0;
    if (snapshot) {
      *message.mutable_snapshot() = mamori::fleet::FleetSnapshot(0, snapshots, at);
    } else {
      *message.mutable_heartbeat() = mamori::fleet::FleetHeartbeat(0, beat, at);
    }
    const mamori::platform::spool::AppendResult appended =
        (*spool)->Append(snapshot ? mamori::platform::spool::RecordKind::kSnapshot
                                  : mamori::platform::spool::RecordKind::kHeartbeat,
                         mamori::agent::SpoolPayload(message));
    if (!appended.ok()) {
      return Fail(appended.error);
    }
    thinned += appended.heartbeats_thinned;
    ++(snapshot ? snapshots : heartbeats);
  }
  const mamori::platform::spool::SpoolStats stats = (*spool)->Stats();
  std::cout << "spooled " << snapshots << " snapshots and " << heartbeats << " heartbeats over "
            << days << " days: " << stats.records << " records pending, " << stats.bytes
            << " bytes in " << stats.segments << " segments, ids up to " << stats.next_id - 1
            << ", " << thinned << " heartbeats thinned\n";
  return 0;
}
