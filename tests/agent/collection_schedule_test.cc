// When the collection loop sends a snapshot and when a heartbeat, without clocks or a collector.
#include "agent/collection_schedule.h"

#include <gtest/gtest.h>

#include <vector>

namespace mamori::agent {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1'800'000'000);

// The first `count` collections after a snapshot at kStart, each taking no time and delivered or
// not (the schedule does not care).
std::vector<DueCollection> Schedule(const CollectionSchedule& schedule, int count) {
  std::vector<DueCollection> runs;
  absl::Time last_snapshot = kStart;
  std::optional<absl::Time> last_heartbeat;
  for (int i = 0; i < count; ++i) {
    const DueCollection due = NextCollection(schedule, last_snapshot, last_heartbeat);
    runs.push_back(due);
    if (due.what == Collection::kSnapshot) {
      last_snapshot = due.at;
      last_heartbeat.reset();
    } else {
      last_heartbeat = due.at;
    }
  }
  return runs;
}

std::string Describe(const std::vector<DueCollection>& runs) {
  std::string text;
  for (const DueCollection& run : runs) {
    text += (run.what == Collection::kSnapshot ? "S@" : "H@") +
            absl::FormatDuration(run.at - kStart) + " ";
  }
  return text;
}

TEST(NextCollection, SendsHeartbeatsBetweenSnapshotsAndTheSnapshotAloneWhenBothFallTogether) {
  EXPECT_EQ(Describe(Schedule({absl::Minutes(15), absl::Minutes(5)}, 6)),
            "H@5m H@10m S@15m H@20m H@25m S@30m ");
}

TEST(NextCollection, NeverLetsAHeartbeatRunPastTheSnapshot) {
  EXPECT_EQ(Describe(Schedule({absl::Minutes(15), absl::Minutes(10)}, 4)),
            "H@10m S@15m H@25m S@30m ");
  EXPECT_EQ(Describe(Schedule({absl::Minutes(15), absl::Minutes(4)}, 5)),
            "H@4m H@8m H@12m S@15m H@19m ");
}

TEST(NextCollection, SendsOnlySnapshotsWhenTheIntervalsAreEqual) {
  EXPECT_EQ(Describe(Schedule({absl::Minutes(1), absl::Minutes(1)}, 3)), "S@1m S@2m S@3m ");
}

TEST(NextCollection, CountsFromWhenTheLastAttemptEndedSoASlowOrFailedOneIsNotRepeatedAtOnce) {
  // A heartbeat that timed out after a minute: the next one is a full interval after it ended.
  const CollectionSchedule schedule{absl::Minutes(15), absl::Minutes(5)};
  const DueCollection after_slow =
      NextCollection(schedule, kStart, kStart + absl::Minutes(5) + absl::Seconds(60));
  EXPECT_EQ(after_slow.what, Collection::kHeartbeat);
  EXPECT_EQ(after_slow.at, kStart + absl::Minutes(11));
  // A snapshot that took long: the heartbeat waits from its end too.
  const DueCollection after_snapshot = NextCollection(schedule, kStart, std::nullopt);
  EXPECT_EQ(after_snapshot.at, kStart + absl::Minutes(5));
}

TEST(NextCollection, AHeartbeatTooCloseToTheSnapshotGivesWayToIt) {
  const CollectionSchedule schedule{absl::Minutes(15), absl::Minutes(5)};
  const DueCollection due = NextCollection(schedule, kStart, kStart + absl::Minutes(11));
  EXPECT_EQ(due.what, Collection::kSnapshot);
  EXPECT_EQ(due.at, kStart + absl::Minutes(15));
}

TEST(CollectionAfterWait, RunsWhatWasDueWhenTheWaitRanItsCourse) {
  const DueCollection heartbeat{Collection::kHeartbeat, kStart};
  EXPECT_EQ(CollectionAfterWait(heartbeat, kStart), Collection::kHeartbeat);
  EXPECT_EQ(CollectionAfterWait(heartbeat, kStart + absl::Seconds(3)), Collection::kHeartbeat);
  // A timer firing a few milliseconds early is not a request.
  EXPECT_EQ(CollectionAfterWait(heartbeat, kStart - absl::Milliseconds(5)), Collection::kHeartbeat);
  const DueCollection snapshot{Collection::kSnapshot, kStart};
  EXPECT_EQ(CollectionAfterWait(snapshot, kStart), Collection::kSnapshot);
}

TEST(CollectionAfterWait, CollectsASnapshotWhenTheWaitWasEndedEarly) {
  // The Windows service was paused and continued: collect everything at once.
  EXPECT_EQ(CollectionAfterWait({Collection::kHeartbeat, kStart}, kStart - absl::Minutes(3)),
            Collection::kSnapshot);
}

}  // namespace
}  // namespace mamori::agent
