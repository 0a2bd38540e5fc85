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

// What a fleet is for. kLoad: the benchmarks and fault tests (healthy PCs, varied). kDemo: the demo
// clinic of scripts/demo, which shows a newcomer what a real clinic looks like in the console: host
// names start with "デモ-", and out of every 8 PCs one is healthy and the others each have one
// problem clinics really have: antivirus off, updates not installed for 75 days, USB storage
// allowed with a stick attached, a former employee's account unused for 200 days, Windows 10 past
// its end of support, a PC left on and untouched after hours, and a Linux receipt server (ORCA)
// with a security update pending.
enum class FleetKind { kLoad, kDemo };

// kLoad: out of every 20 agents 12 Windows 11, 6 Windows 10, 2 Linux servers, interleaved by
// index. kDemo: index % 8 == 5 is Windows 10, 7 a Linux server, the rest Windows 11.
FleetProfile ProfileOf(std::uint32_t index, FleetKind kind = FleetKind::kLoad);

// "受付PC-0001", "診察室PC-0002", ... "電子カルテSV-0019": stable for an index, unique in a fleet;
// "デモ-受付PC-0001" ... for the demo clinic.
std::string FleetHostname(std::uint32_t index, FleetKind kind = FleetKind::kLoad);

// Stable per index, so a cached identity and its facts keep agreeing.
std::string FleetMachineId(std::uint32_t index);

// The host as its probes would report it at `now` after `changes` changes of its facts (a
// software update, a patch installed, a new pending update), varied per index: software list,
// hardware, addresses, sessions. Deterministic in (index, changes); times relative to `now`.
facts::HostFacts FleetHostFacts(std::uint32_t index, std::uint64_t changes, absl::Time now,
                                FleetKind kind = FleetKind::kLoad);

// The Snapshot (seq left 0) of FleetHostFacts collected at `now`.
mamori::v1::Snapshot FleetSnapshot(std::uint32_t index, std::uint64_t changes, absl::Time now,
                                   FleetKind kind = FleetKind::kLoad);

// A Heartbeat (seq left 0) sent at `now`: uptime since the index's boot time, idle and lock state
// varying with `beat` (the agent's heartbeat count); the demo's PC left on stays idle and unlocked.
mamori::v1::Heartbeat FleetHeartbeat(std::uint32_t index, std::uint64_t beat, absl::Time now,
                                     FleetKind kind = FleetKind::kLoad);

}  // namespace mamori::fleet
