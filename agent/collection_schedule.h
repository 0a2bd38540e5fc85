// What the collection loop does next: a snapshot (every probe) or a heartbeat (the power probe
// only), and when. Pure, so the schedule is tested without clocks or a collector.
#pragma once

#include <optional>

#include "absl/time/time.h"

namespace mamori::agent {

struct CollectionSchedule {
  absl::Duration snapshot_interval;
  absl::Duration heartbeat_interval;  // at most snapshot_interval
};

enum class Collection { kSnapshot, kHeartbeat };

struct DueCollection {
  Collection what = Collection::kSnapshot;
  absl::Time at;
};

// The next collection after the last snapshot attempt ended at `last_snapshot` and the last
// heartbeat attempt since then, if any, ended at `last_heartbeat`. Times are of attempts, delivered
// or not: a failed record is dropped, never retried before its interval. A heartbeat is due one
// heartbeat interval after the last record of either kind; when that is not before the next
// snapshot, the snapshot goes alone (it carries the power facts too).
DueCollection NextCollection(const CollectionSchedule& schedule, absl::Time last_snapshot,
                             std::optional<absl::Time> last_heartbeat);

// What to run when the wait for `due` ended at `woke_at`. A wait ended early was ended on purpose
// (the Windows service continued after a pause): collect a full snapshot at once.
Collection CollectionAfterWait(const DueCollection& due, absl::Time woke_at);

}  // namespace mamori::agent
