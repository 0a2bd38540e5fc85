#include "agent/reconnect_backoff.h"

#include <random>

#include "gtest/gtest.h"

namespace mamori::agent {
namespace {

TEST(ReconnectBackoff, CeilingGrowsByTheFactorFromOneSecondUpToFiveMinutes) {
  const ReconnectBackoff backoff;
  EXPECT_EQ(BackoffCeiling(backoff, 0), absl::Seconds(1));
  EXPECT_EQ(BackoffCeiling(backoff, 1), absl::Milliseconds(1600));
  EXPECT_EQ(BackoffCeiling(backoff, 2), absl::Milliseconds(2560));
  // 1.6^12 = 281.47 s is the last step below the cap; 1.6^13 = 450 s is capped.
  EXPECT_NEAR(absl::ToDoubleSeconds(BackoffCeiling(backoff, 12)), 281.475, 0.01);
  EXPECT_EQ(BackoffCeiling(backoff, 13), absl::Minutes(5));
  EXPECT_EQ(BackoffCeiling(backoff, 1000), absl::Minutes(5));
  EXPECT_EQ(BackoffCeiling(backoff, 0xFFFFFFFFu), absl::Minutes(5));
}

TEST(ReconnectBackoff, DelayIsFullJitterWithinZeroAndTheCeiling) {
  const ReconnectBackoff backoff;
  std::mt19937_64 rng(42);
  for (std::uint32_t failures = 0; failures < 20; ++failures) {
    absl::Duration smallest = absl::InfiniteDuration();
    absl::Duration largest = absl::ZeroDuration();
    for (int i = 0; i < 2000; ++i) {
      const absl::Duration delay = ReconnectDelay(backoff, failures, rng);
      ASSERT_GE(delay, absl::ZeroDuration());
      ASSERT_LE(delay, BackoffCeiling(backoff, failures));
      smallest = std::min(smallest, delay);
      largest = std::max(largest, delay);
    }
    // Spread over the whole range, not bunched at the ceiling: that is what keeps thousands of
    // agents from reconnecting in step after a collector restart.
    EXPECT_LT(smallest, BackoffCeiling(backoff, failures) / 20) << failures;
    EXPECT_GT(largest, BackoffCeiling(backoff, failures) * 19 / 20) << failures;
  }
}

TEST(ReconnectBackoff, TheSameSeedGivesTheSameSchedule) {
  const ReconnectBackoff backoff;
  std::mt19937_64 a(7);
  std::mt19937_64 b(7);
  for (std::uint32_t failures = 0; failures < 15; ++failures) {
    EXPECT_EQ(ReconnectDelay(backoff, failures, a), ReconnectDelay(backoff, failures, b));
  }
}

TEST(ReconnectBackoff, TenThousandAgentsAfterARestartSpreadOverTheFirstSecond) {
  const ReconnectBackoff backoff;
  std::mt19937_64 rng(1);
  int buckets[10] = {};
  for (int agent = 0; agent < 10'000; ++agent) {
    const absl::Duration delay = ReconnectDelay(backoff, 0, rng);
    ++buckets[std::min<std::int64_t>(9, absl::ToInt64Milliseconds(delay) / 100)];
  }
  for (int bucket : buckets) {
    EXPECT_GT(bucket, 800);
    EXPECT_LT(bucket, 1200);
  }
}

}  // namespace
}  // namespace mamori::agent
