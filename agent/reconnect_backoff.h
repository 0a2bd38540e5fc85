// How long the agent waits before opening a new stream after one failed: exponential backoff with
// full jitter, so thousands of agents that lost the collector at the same moment (a restart) come
// back spread over time instead of all at once.
#pragma once

#include <cstdint>
#include <random>

#include "absl/time/time.h"

namespace mamori::agent {

struct ReconnectBackoff {
  absl::Duration initial = absl::Seconds(1);
  double factor = 1.6;
  absl::Duration cap = absl::Minutes(5);
  // A stream that stayed open this long after its Welcome counts as healthy: the next failure
  // starts the schedule again from `initial`.
  absl::Duration healthy_after = absl::Seconds(60);
};

// The ceiling after `failures` consecutive failed attempts (0 = the first retry):
// min(cap, initial * factor^failures).
absl::Duration BackoffCeiling(const ReconnectBackoff& backoff, std::uint32_t failures);

// The wait before the next attempt: uniform in [0, BackoffCeiling(failures)] ("full jitter").
// Pure but for `rng`, so tests pass a seeded one.
absl::Duration ReconnectDelay(const ReconnectBackoff& backoff, std::uint32_t failures,
                              std::mt19937_64& rng);

}  // namespace mamori::agent
