// A Heartbeat says what the power probe found: uptime, idle time, the number of sessions and
// whether all of them are locked, with unknowns left unset rather than guessed.
#include "agent/heartbeat_cycle.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace mamori::agent {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

facts::UserSession Session(std::optional<bool> locked) {
  facts::UserSession session;
  session.id = "1";
  session.user = "受付";
  session.type = "console";
  session.locked = locked;
  return session;
}

TEST(HeartbeatFromPower, CarriesUptimeIdleSessionsAndSentAt) {
  facts::PowerState power;
  power.meta.status = facts::ProbeStatus::Ok();
  power.uptime = hours(10);
  power.idle = hours(3);
  power.sessions = {Session(true), Session(true)};
  const absl::Time sent_at = absl::FromUnixSeconds(1'795'000'000);
  const mamori::v1::Heartbeat heartbeat = HeartbeatFromPower(power, sent_at);
  EXPECT_EQ(heartbeat.seq(), 0u) << "the seq is reserved at delivery";
  EXPECT_EQ(heartbeat.sent_at().seconds(), 1'795'000'000);
  EXPECT_EQ(heartbeat.uptime().seconds(), 36'000);
  EXPECT_EQ(heartbeat.idle().seconds(), 10'800);
  ASSERT_TRUE(heartbeat.has_session_locked());
  EXPECT_TRUE(heartbeat.session_locked());
  EXPECT_EQ(heartbeat.sessions(), 2u);
}

TEST(HeartbeatFromPower, LeavesWhatTheProbeCouldNotTellUnset) {
  facts::PowerState power;
  power.meta.status = facts::ProbeStatus::Unknown("no logind");
  const mamori::v1::Heartbeat heartbeat = HeartbeatFromPower(power, absl::UnixEpoch());
  EXPECT_FALSE(heartbeat.has_uptime());
  EXPECT_FALSE(heartbeat.has_idle());
  EXPECT_FALSE(heartbeat.has_session_locked());
  EXPECT_EQ(heartbeat.sessions(), 0u);
}

TEST(HeartbeatFromPower, ReportsAZeroIdleTimeAsZeroNotUnknown) {
  facts::PowerState power;
  power.idle = minutes(0);
  EXPECT_TRUE(HeartbeatFromPower(power, absl::UnixEpoch()).has_idle());
}

TEST(AllSessionsLocked, IsTrueOnlyWhenEverySessionIsKnownLocked) {
  EXPECT_EQ(AllSessionsLocked({Session(true)}), true);
  EXPECT_EQ(AllSessionsLocked({Session(true), Session(true)}), true);
}

TEST(AllSessionsLocked, IsFalseWhenAnySessionIsUnlockedEvenBesideUnknownOnes) {
  EXPECT_EQ(AllSessionsLocked({Session(true), Session(false)}), false);
  EXPECT_EQ(AllSessionsLocked({Session(std::nullopt), Session(false)}), false);
}

TEST(AllSessionsLocked, IsUnknownWithoutSessionsOrWithAnUnknownAndNoUnlockedOne) {
  EXPECT_EQ(AllSessionsLocked({}), std::nullopt);
  EXPECT_EQ(AllSessionsLocked({Session(true), Session(std::nullopt)}), std::nullopt);
}

class FixedPowerProbe final : public platform::Probe<facts::PowerState> {
 public:
  std::string_view Name() const override { return "power"; }
  facts::PowerState Collect() override {
    ++runs;
    facts::PowerState power;
    power.meta.status = facts::ProbeStatus::Ok();
    power.idle = minutes(7);
    return power;
  }
  int runs = 0;
};

class ThrowingProbe final : public platform::Probe<facts::Inventory> {
 public:
  std::string_view Name() const override { return "inventory"; }
  facts::Inventory Collect() override { throw std::runtime_error("must not run"); }
};

TEST(CollectPowerState, RunsThePowerProbeAloneAndKeepsItInTheRegistry) {
  platform::ProbeRegistry probes;
  auto power_probe = std::make_unique<FixedPowerProbe>();
  FixedPowerProbe* power = power_probe.get();
  probes.power = std::move(power_probe);
  auto inventory_probe = std::make_unique<ThrowingProbe>();
  probes.inventory = std::move(inventory_probe);
  const platform::ProbeEnvironment env;

  const facts::PowerState collected = CollectPowerState(probes, env);
  EXPECT_EQ(collected.idle, minutes(7));
  EXPECT_TRUE(collected.meta.collected_at.has_value());
  EXPECT_EQ(power->runs, 1);
  EXPECT_EQ(probes.power.get(), power) << "the probe goes back for the next heartbeat";
  EXPECT_NE(probes.inventory, nullptr);
  CollectPowerState(probes, env);
  EXPECT_EQ(power->runs, 2);
}

TEST(CollectPowerState, ReportsAMissingPowerProbeAsUnknown) {
  platform::ProbeRegistry probes;
  const facts::PowerState collected = CollectPowerState(probes, platform::ProbeEnvironment{});
  EXPECT_EQ(collected.meta.status.state, facts::ProbeState::kUnknown);
}

}  // namespace
}  // namespace mamori::agent
