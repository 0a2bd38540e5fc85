// "Left on overnight" episodes (放置): a workstation powered on and idle past the policy's
// threshold outside business hours. Pure: the collector feeds each heartbeat's power observation in
// order and stores what comes out; tests feed sequences.
#pragma once

#include <chrono>
#include <optional>

#include "platform/facts/host_facts.h"
#include "platform/rules/business_hours.h"

namespace mamori::rules {

// What a heartbeat (or a snapshot's power section) says about the machine at one moment.
struct PowerObservation {
  facts::Timestamp at;
  std::optional<std::chrono::seconds> idle;    // since the last input on any session
  std::optional<std::chrono::seconds> uptime;  // since boot
  std::optional<bool> locked;                  // screen locked (all sessions)
};

struct IdleEpisode {
  facts::Timestamp from;  // when idle passed the threshold outside hours (see AdvanceIdle)
  facts::Timestamp to;    // the last observation that still qualified
  std::chrono::seconds max_idle{0};
  facts::Timestamp idle_since;  // the last input before the episode: observation.at - idle
  std::optional<bool> locked;   // at the last qualifying observation
  friend bool operator==(const IdleEpisode&, const IdleEpisode&) = default;
};

struct IdleEpisodeSettings {
  std::chrono::seconds threshold{std::chrono::minutes{60}};  // idle.after_hours_minutes
  // Two qualifying observations further apart than this are two episodes (the agent was silent:
  // the machine slept or was switched off in between).
  std::chrono::seconds max_gap{std::chrono::minutes{20}};
};

struct IdleStep {
  std::optional<IdleEpisode> closed;  // an episode that ended: store it as finished
  std::optional<IdleEpisode> open;    // the episode going on after this observation, if any
};

// An observation qualifies when it is outside business hours, the machine reports an idle time
// and that idle time is at least the threshold. Then:
//  - with an open episode that continues (gap <= max_gap, same idle_since within max_gap, uptime
//    did not go back): extend it (to, max_idle, locked);
//  - otherwise close the open one (if any) and start a new one with
//    from = max(idle_since + threshold, OutsideHoursSince(at)), and never before the closed
//    one's `to` (the silent gap belongs to neither; episodes never overlap).
// A non-qualifying observation closes the open episode (to stays its last qualifying time).
// Observations older than the open episode's `to` are ignored (returned unchanged).
IdleStep AdvanceIdle(const std::optional<IdleEpisode>& open, const PowerObservation& observation,
                     const BusinessHours& hours, const IdleEpisodeSettings& settings);

// The open episode, closed because the agent has been silent since `open.to` for more than
// max_gap at `now`; nullopt while it may still continue.
std::optional<IdleEpisode> CloseIfSilent(const IdleEpisode& open, facts::Timestamp now,
                                         const IdleEpisodeSettings& settings);

}  // namespace mamori::rules
