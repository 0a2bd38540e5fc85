#include "agent/reconnect_backoff.h"

#include <algorithm>
#include <cmath>

namespace mamori::agent {

absl::Duration BackoffCeiling(const ReconnectBackoff& backoff, std::uint32_t failures) {
  // In seconds as a double: factor^failures overflows nothing before it passes the cap, and
  // std::min keeps it there.
  const double initial = absl::ToDoubleSeconds(backoff.initial);
  const double cap = absl::ToDoubleSeconds(backoff.cap);
  const double exponent = std::min<double>(failures, 200.0);
  const double ceiling = std::min(cap, initial * std::pow(backoff.factor, exponent));
  return absl::Seconds(std::max(0.0, ceiling));
}

absl::Duration ReconnectDelay(const ReconnectBackoff& backoff, std::uint32_t failures,
                              std::mt19937_64& rng) {
  const std::int64_t ceiling_ms = absl::ToInt64Milliseconds(BackoffCeiling(backoff, failures));
  std::uniform_int_distribution<std::int64_t> pick(0, std::max<std::int64_t>(0, ceiling_ms));
  return absl::Milliseconds(pick(rng));
}

}  // namespace mamori::agent
