// Folds a host's power observations, in order, into "left on outside hours" episodes.
#include "platform/rules/idle_episodes.h"

#include <algorithm>

namespace mamori::rules {
namespace {

std::chrono::seconds Distance(facts::Timestamp a, facts::Timestamp b) {
  return a < b ? b - a : a - b;
}

// Does this qualifying observation carry on the open episode? A reboot since the episode's last
// observation shows as an uptime shorter than the time since then: the boot came after `to`.
// Deriving it this way needs no stored uptime and also catches a reboot that left the new uptime
// longer than the last one seen.
bool Continues(const IdleEpisode& open, const PowerObservation& observation,
               facts::Timestamp idle_since, const IdleEpisodeSettings& settings) {
  const std::chrono::seconds gap = observation.at - open.to;
  if (gap > settings.max_gap) {
    return false;
  }
  if (Distance(idle_since, open.idle_since) > settings.max_gap) {
    return false;  // someone used the machine in between
  }
  return !(observation.uptime && *observation.uptime < gap);
}

}  // namespace

IdleStep AdvanceIdle(const std::optional<IdleEpisode>& open, const PowerObservation& observation,
                     const BusinessHours& hours, const IdleEpisodeSettings& settings) {
  if (open && observation.at < open->to) {
    return {std::nullopt, open};  // late or replayed: the episode has moved past it
  }
  const bool qualifies = observation.idle && *observation.idle >= settings.threshold &&
                         !IsBusinessTime(hours, observation.at);
  if (!qualifies) {
    return {open, std::nullopt};
  }
  const facts::Timestamp idle_since = observation.at - *observation.idle;
  if (open && Continues(*open, observation, idle_since, settings)) {
    IdleEpisode extended = *open;
    extended.to = observation.at;
    extended.max_idle = std::max(extended.max_idle, *observation.idle);
    extended.locked = observation.locked;
    return {std::nullopt, extended};
  }
  IdleEpisode started;
  started.from =
      std::max(idle_since + settings.threshold, OutsideHoursSince(hours, observation.at));
  if (open) {
    // After a gap or a reboot the silent stretch belongs to neither episode: the new one starts
    // no earlier than the old one ended, so the two never overlap.
    started.from = std::max(started.from, open->to);
  }
  started.to = observation.at;
  started.max_idle = *observation.idle;
  started.idle_since = idle_since;
  started.locked = observation.locked;
  return {open, started};
}

std::optional<IdleEpisode> CloseIfSilent(const IdleEpisode& open, facts::Timestamp now,
                                         const IdleEpisodeSettings& settings) {
  if (now - open.to > settings.max_gap) {
    return open;
  }
  return std::nullopt;
}

}  // namespace mamori::rules
