// The facts of a simulated clinic fleet (TEST ONLY): Windows 11 and Windows 10 workstations and a
// share of Linux servers with Japanese host names, built from the healthy hosts the rules tests use
// (tests/rules/healthy_host.h) and varied per agent and per change. mamori-fleetsim sends them; the
// raw SQLite ingest baseline (tests/bench) stores the same rows.
#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "mamori/v1/agent.pb.h"
#include "platform/facts/host_facts.h"

namespace mamori::fleet {

enum class FleetProfile { kWindows11Workstation, kWindows10Workstation, kLinuxServer };

// Out of every 20 agents: 12 Windows 11, 6 Windows 10, 2 Linux servers, interleaved by index.
FleetProfile ProfileOf(std::uint32_t index);

// "受付PC-0001", "診察室PC-0002", ... "電子カルテSV-0019": stable for an index, unique in a fleet.
std::string FleetHostname(std::uint32_t index);

// Stable per index, so a cached identity and its facts keep agreeing.
std::string FleetMachineId(std::uint32_t index);

// The host as its probes would report it at `now` after `changes` changes of its facts (a
// software update, a patch installed, a new pending update), varied per index: software list,
// hardware, addresses, sessions. Deterministic in (index, changes); times relative to `now`.
facts::HostFacts FleetHostFacts(std::uint32_t index, std::uint64_t changes, absl::Time now);

// The Snapshot (seq left 0) of FleetHostFacts collected at `now`.
mamori::v1::Snapshot FleetSnapshot(std::uint32_t index, std::uint64_t changes, absl::Time now);

// A Heartbeat (seq left 0) sent at `now`: uptime since the index's boot time, idle and lock state
// varying with `beat` (the agent's heartbeat count).
mamori::v1::Heartbeat FleetHeartbeat(std::uint32_t index, std::uint64_t beat, absl::Time now);

}  // namespace mamori::fleet
