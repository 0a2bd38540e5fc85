// "Left on overnight" episodes from sequences of heartbeats, as the collector feeds them.
#include "platform/rules/idle_episodes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <vector>

namespace mamori::rules {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

facts::Timestamp Jst(int year, unsigned month, unsigned day, int hour, int minute) {
  const std::chrono::sys_days date{std::chrono::year{year} / std::chrono::month{month} /
                                   std::chrono::day{day}};
  return facts::Timestamp{date} + hours{hour} + minutes{minute} - hours{9};
}

// A heartbeat of a PC booted long ago, last touched at `last_input`.
PowerObservation Heartbeat(facts::Timestamp at, facts::Timestamp last_input,
                           std::optional<bool> locked = std::nullopt) {
  PowerObservation observation;
  observation.at = at;
  observation.idle = at - last_input;
  observation.uptime = hours{30};
  observation.locked = locked;
  return observation;
}

// Feeds observations in order; collects the closed episodes and keeps the open one.
struct Collector {
  BusinessHours clinic;          // Monday to Friday 08:30-18:30, Asia/Tokyo
  IdleEpisodeSettings settings;  // 60 min threshold, 20 min max gap
  std::optional<IdleEpisode> open;
  std::vector<IdleEpisode> closed;

  void Feed(const PowerObservation& observation) {
    IdleStep step = AdvanceIdle(open, observation, clinic, settings);
    if (step.closed) {
      closed.push_back(*step.closed);
    }
    open = step.open;
  }
  // Heartbeats every `every` in [from, to], the last input at `last_input`.
  void FeedIdle(facts::Timestamp from, facts::Timestamp to, facts::Timestamp last_input,
                minutes every = minutes{5}) {
    for (facts::Timestamp at = from; at <= to; at += every) {
      Feed(Heartbeat(at, last_input, true));
    }
  }
};

// Wednesday 2026-11-25: the reception PC was last used at 18:00, the clinic closed at 18:30.
TEST(IdleEpisodes, ANightOfHeartbeatsIsOneEpisodeFromWhenIdlePassedTheThreshold) {
  Collector collector;
  collector.FeedIdle(Jst(2026, 11, 25, 18, 0), Jst(2026, 11, 25, 21, 10), Jst(2026, 11, 25, 18, 0));
  EXPECT_TRUE(collector.closed.empty());
  ASSERT_TRUE(collector.open.has_value());
  EXPECT_EQ(collector.open->from, Jst(2026, 11, 25, 19, 0));  // 18:00 + 60 min, after the close
  EXPECT_EQ(collector.open->to, Jst(2026, 11, 25, 21, 10));
  EXPECT_EQ(collector.open->max_idle, hours{3} + minutes{10});
  EXPECT_EQ(collector.open->idle_since, Jst(2026, 11, 25, 18, 0));
  EXPECT_EQ(collector.open->locked, true);
}

TEST(IdleEpisodes, StartsAtTheCloseWhenIdleBeganLongBeforeIt) {
  Collector collector;
  collector.Feed(Heartbeat(Jst(2026, 11, 25, 18, 35), Jst(2026, 11, 25, 15, 0)));
  ASSERT_TRUE(collector.open.has_value());
  EXPECT_EQ(collector.open->from, Jst(2026, 11, 25, 18, 30));
  EXPECT_EQ(collector.open->max_idle, hours{3} + minutes{35});
}

TEST(IdleEpisodes, ClosesWhenInputResumes) {
  Collector collector;
  collector.FeedIdle(Jst(2026, 11, 25, 19, 0), Jst(2026, 11, 25, 21, 0), Jst(2026, 11, 25, 18, 0));
  collector.Feed(Heartbeat(Jst(2026, 11, 25, 21, 5), Jst(2026, 11, 25, 21, 4), false));
  EXPECT_FALSE(collector.open.has_value());
  ASSERT_EQ(collector.closed.size(), 1u);
  EXPECT_EQ(collector.closed[0].from, Jst(2026, 11, 25, 19, 0));
  EXPECT_EQ(collector.closed[0].to, Jst(2026, 11, 25, 21, 0));
  EXPECT_EQ(collector.closed[0].max_idle, hours{3});
  EXPECT_EQ(collector.closed[0].locked, true);
}

TEST(IdleEpisodes, ClosesWhenTheHeartbeatNoLongerReportsAnIdleTime) {
  Collector collector;
  collector.FeedIdle(Jst(2026, 11, 25, 19, 0), Jst(2026, 11, 25, 19, 30), Jst(2026, 11, 25, 18, 0));
  PowerObservation unknown;
  unknown.at = Jst(2026, 11, 25, 19, 35);
  collector.Feed(unknown);
  EXPECT_FALSE(collector.open.has_value());
  ASSERT_EQ(collector.closed.size(), 1u);
  EXPECT_EQ(collector.closed[0].to, Jst(2026, 11, 25, 19, 30));
}

TEST(IdleEpisodes, AGapLongerThanMaxGapMakesTwoEpisodes) {
  Collector collector;
  const facts::Timestamp last_input = Jst(2026, 11, 25, 18, 0);
  collector.FeedIdle(Jst(2026, 11, 25, 19, 0), Jst(2026, 11, 25, 19, 30), last_input);
  // The agent falls silent for 40 minutes (the PC slept), then reports the same last input.
  collector.FeedIdle(Jst(2026, 11, 25, 20, 10), Jst(2026, 11, 25, 20, 30), last_input);
  ASSERT_EQ(collector.closed.size(), 1u);
  EXPECT_EQ(collector.closed[0].to, Jst(2026, 11, 25, 19, 30));
  ASSERT_TRUE(collector.open.has_value());
  EXPECT_EQ(collector.open->to, Jst(2026, 11, 25, 20, 30));
  // The silent stretch belongs to neither: the second episode starts no earlier than the first
  // ended.
  EXPECT_GE(collector.open->from, collector.closed[0].to);
}

TEST(IdleEpisodes, AGapWithinMaxGapContinuesTheEpisode) {
  Collector collector;
  const facts::Timestamp last_input = Jst(2026, 11, 25, 18, 0);
  collector.FeedIdle(Jst(2026, 11, 25, 19, 0), Jst(2026, 11, 25, 19, 30), last_input);
  collector.FeedIdle(Jst(2026, 11, 25, 19, 50), Jst(2026, 11, 25, 20, 0), last_input);
  EXPECT_TRUE(collector.closed.empty());
  ASSERT_TRUE(collector.open.has_value());
  EXPECT_EQ(collector.open->from, Jst(2026, 11, 25, 19, 0));
  EXPECT_EQ(collector.open->to, Jst(2026, 11, 25, 20, 0));
}

TEST(IdleEpisodes, ARebootStartsANewEpisode) {
  Collector collector;
  const facts::Timestamp last_input = Jst(2026, 11, 25, 18, 0);
  collector.FeedIdle(Jst(2026, 11, 25, 19, 0), Jst(2026, 11, 25, 19, 30), last_input);
  // Windows Update restarted the PC at 19:33; the session's last input is still reported.
  PowerObservation after_reboot = Heartbeat(Jst(2026, 11, 25, 19, 35), last_input);
  after_reboot.uptime = minutes{2};
  collector.Feed(after_reboot);
  ASSERT_EQ(collector.closed.size(), 1u);
  EXPECT_EQ(collector.closed[0].to, Jst(2026, 11, 25, 19, 30));
  ASSERT_TRUE(collector.open.has_value());
  EXPECT_EQ(collector.open->to, Jst(2026, 11, 25, 19, 35));
}

TEST(IdleEpisodes, AStartOfBusinessHoursClosesTheNightsEpisode) {
  Collector collector;
  const facts::Timestamp last_input = Jst(2026, 11, 25, 18, 0);
  collector.FeedIdle(Jst(2026, 11, 25, 19, 0), Jst(2026, 11, 26, 8, 25), last_input);
  EXPECT_TRUE(collector.closed.empty());
  collector.Feed(Heartbeat(Jst(2026, 11, 26, 8, 30), last_input));
  EXPECT_FALSE(collector.open.has_value());
  ASSERT_EQ(collector.closed.size(), 1u);
  EXPECT_EQ(collector.closed[0].from, Jst(2026, 11, 25, 19, 0));
  EXPECT_EQ(collector.closed[0].to, Jst(2026, 11, 26, 8, 25));
  EXPECT_EQ(collector.closed[0].max_idle, hours{14} + minutes{25});
}

TEST(IdleEpisodes, IgnoresAnObservationOlderThanTheOpenEpisode) {
  Collector collector;
  const facts::Timestamp last_input = Jst(2026, 11, 25, 18, 0);
  collector.FeedIdle(Jst(2026, 11, 25, 19, 0), Jst(2026, 11, 25, 20, 0), last_input);
  const std::optional<IdleEpisode> before = collector.open;
  // A replayed heartbeat from 19:50 saying someone typed at 19:49.
  const IdleStep step =
      AdvanceIdle(collector.open, Heartbeat(Jst(2026, 11, 25, 19, 50), Jst(2026, 11, 25, 19, 49)),
                  collector.clinic, collector.settings);
  EXPECT_FALSE(step.closed.has_value());
  EXPECT_EQ(step.open, before);
}

TEST(IdleEpisodes, NothingHappensDuringBusinessHoursOrBelowTheThreshold) {
  Collector collector;
  collector.Feed(Heartbeat(Jst(2026, 11, 25, 11, 0), Jst(2026, 11, 25, 8, 30)));   // in hours
  collector.Feed(Heartbeat(Jst(2026, 11, 25, 19, 0), Jst(2026, 11, 25, 18, 10)));  // 50 min
  EXPECT_FALSE(collector.open.has_value());
  EXPECT_TRUE(collector.closed.empty());
}

TEST(IdleEpisodes, FollowsTheThresholdSetting) {
  Collector collector;
  collector.settings.threshold = minutes{30};
  collector.Feed(Heartbeat(Jst(2026, 11, 25, 19, 0), Jst(2026, 11, 25, 18, 25)));
  ASSERT_TRUE(collector.open.has_value());
  EXPECT_EQ(collector.open->from, Jst(2026, 11, 25, 18, 55));
}

TEST(IdleEpisodes, CloseIfSilentClosesOnlyAfterMaxGapWithoutHeartbeats) {
  Collector collector;
  collector.FeedIdle(Jst(2026, 11, 25, 19, 0), Jst(2026, 11, 25, 20, 0), Jst(2026, 11, 25, 18, 0));
  ASSERT_TRUE(collector.open.has_value());
  EXPECT_EQ(CloseIfSilent(*collector.open, Jst(2026, 11, 25, 20, 15), collector.settings),
            std::nullopt);
  EXPECT_EQ(CloseIfSilent(*collector.open, Jst(2026, 11, 25, 20, 20), collector.settings),
            std::nullopt);
  const std::optional<IdleEpisode> closed =
      CloseIfSilent(*collector.open, Jst(2026, 11, 25, 20, 21), collector.settings);
  ASSERT_TRUE(closed.has_value());
  EXPECT_EQ(*closed, *collector.open);
}

}  // namespace
}  // namespace mamori::rules
