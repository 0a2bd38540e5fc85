// The collection loop's timing decisions, kept free of clocks and I/O.
#include "agent/collection_schedule.h"

#include <algorithm>

namespace mamori::agent {
namespace {

// A waiter's timer may fire a little before the time asked for; that is not an early wake.
constexpr absl::Duration kWakeTolerance = absl::Seconds(1);

}  // namespace

DueCollection NextCollection(const CollectionSchedule& schedule, absl::Time last_snapshot,
                             std::optional<absl::Time> last_heartbeat) {
  const absl::Time snapshot_at = last_snapshot + schedule.snapshot_interval;
  const absl::Time last_record =
      last_heartbeat.has_value() ? std::max(last_snapshot, *last_heartbeat) : last_snapshot;
  const absl::Time heartbeat_at = last_record + schedule.heartbeat_interval;
  if (heartbeat_at < snapshot_at) {
    return {Collection::kHeartbeat, heartbeat_at};
  }
  return {Collection::kSnapshot, snapshot_at};
}

Collection CollectionAfterWait(const DueCollection& due, absl::Time woke_at) {
  if (woke_at + kWakeTolerance < due.at) {
    return Collection::kSnapshot;
  }
  return due.what;
}

}  // namespace mamori::agent
