// Whether a snapshot is worth sending: the SHA-256 of the facts without what changes on every
// collection, compared with the last snapshot spooled. Unchanged facts send no snapshot (the
// heartbeat says the PC is alive); a full snapshot still goes out once a day so the collector's
// view cannot drift (docs/spool.md, "Snapshots only when facts changed").
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "mamori/v1/facts.pb.h"

namespace mamori::agent {

// A full snapshot at least this often, changed facts or not.
inline constexpr absl::Duration kFullSnapshotEvery = absl::Hours(24);

// The hex SHA-256 of `facts` serialized deterministically after clearing the volatile fields:
// every section's meta.collected_at, power.uptime, power.idle, each session's idle and
// idle_since; inventory.boot_time is rounded down to 5 minutes (Windows derives it from a tick
// count, so it wobbles by a second between collections; a real reboot moves it by more).
std::string FactsDigest(const mamori::v1::HostFacts& facts);

// The last snapshot put in the spool, persisted beside it.
struct LastSnapshot {
  std::string digest;
  absl::Time spooled_at;
};

// Missing file: nullopt. A damaged one is reported as nullopt too (the cost is one snapshot that
// may repeat the last), never an error that would stop collection.
std::optional<LastSnapshot> LoadLastSnapshot(const std::filesystem::path& file);
absl::Status SaveLastSnapshot(const std::filesystem::path& file, const LastSnapshot& last);

// True when a snapshot with `digest` should be spooled at `now`: nothing spooled before, other
// facts, or the last one is kFullSnapshotEvery old (or from the future: the clock was set back).
bool SnapshotDue(const std::optional<LastSnapshot>& last, const std::string& digest,
                 absl::Time now);

}  // namespace mamori::agent
