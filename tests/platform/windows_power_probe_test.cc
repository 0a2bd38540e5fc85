// The Windows power probe against fake sessions, power scheme, registry and idle source; and the
// real one under Wine through MakeHostProbes.
#include "platform/windows/power_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "platform/parse/windows_power.h"
#include "platform/parse/windows_version.h"
#include "tests/platform/fake_registry.h"
#include "tests/platform/fixture.h"

namespace mamori::platform {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using ::testing::HasSubstr;

const facts::Timestamp kNow{seconds(1750000000)};

class FakeSessions final : public SessionApi {
 public:
  SessionList list;
  milliseconds since_boot{0};
  std::optional<uint32_t> current_session;
  SessionIdle calling_idle;

  SessionList ListSessions() override { return list; }
  milliseconds SinceBoot() override { return since_boot; }
  std::optional<uint32_t> CurrentSessionId() override { return current_session; }
  SessionIdle CallingSessionIdle() override { return calling_idle; }
};

class FakePowerSettings final : public PowerSettings {
 public:
  SchemeSleepAfter sleep;
  SchemeSleepAfter ReadSleepAfter() override { return sleep; }
};

class FakeIdle final : public IdleSource {
 public:
  std::map<uint32_t, milliseconds> idle;
  SessionIdle IdleOf(uint32_t session_id) override {
    const auto found = idle.find(session_id);
    if (found == idle.end()) {
      return {std::nullopt,
              "no report from mamori-session-helper in session " + std::to_string(session_id)};
    }
    return {found->second, {}};
  }
};

parse::WtsSessionRecord Session(uint32_t id, std::string user, uint32_t state,
                                std::optional<uint16_t> protocol, std::optional<int32_t> flags) {
  parse::WtsSessionRecord session;
  session.id = id;
  session.user = std::move(user);
  session.connect_state = state;
  session.protocol = protocol;
  session.session_flags = flags;
  return session;
}

// A reception PC up for three days: services in session 0, 受付 at the console (unlocked), 医師
// over Remote Desktop (locked), the RDP listener; sleep after 30 min on AC, 15 on battery.
struct Pc {
  std::unique_ptr<FakeSessions> sessions = std::make_unique<FakeSessions>();
  std::unique_ptr<FakePowerSettings> power = std::make_unique<FakePowerSettings>();
  std::unique_ptr<testing::FakeRegistry> registry = std::make_unique<testing::FakeRegistry>();
  std::shared_ptr<FakeIdle> idle = std::make_shared<FakeIdle>();

  Pc() {
    sessions->since_boot = std::chrono::hours(72) + milliseconds(999);
    sessions->list.sessions = {
        Session(0, "", 4, std::nullopt, std::nullopt),
        Session(1, "受付", parse::kWtsActive, parse::kWtsProtocolConsole,
                parse::kWtsSessionStateUnlock),
        Session(2, "医師", parse::kWtsActive, parse::kWtsProtocolRdp, parse::kWtsSessionStateLock),
        Session(65536, "", 6, std::nullopt, std::nullopt),
    };
    power->sleep = {1800, 900, {}};
    registry->SetString(parse::kWindowsCurrentVersionKey, "CurrentBuild", "19045");
    idle->idle = {{1, milliseconds(90'500)}, {2, minutes(45)}};
  }

  WindowsPowerProbe Probe() {
    return WindowsPowerProbe(testing::FixedTimeEnvironment({}, kNow), std::move(sessions),
                             std::move(power), std::move(registry), idle);
  }
};

TEST(WindowsPowerProbe, ListsTheLoggedOnSessionsWithTypeAndLockState) {
  Pc pc;
  const facts::PowerState power = pc.Probe().Collect();
  EXPECT_EQ(power.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(power.meta.collected_at, kNow);
  ASSERT_EQ(power.sessions.size(), 2u);
  EXPECT_EQ(power.sessions[0].id, "1");
  EXPECT_EQ(power.sessions[0].user, "受付");
  EXPECT_EQ(power.sessions[0].type, "console");
  EXPECT_FALSE(power.sessions[0].remote);
  EXPECT_EQ(power.sessions[0].locked, false);
  EXPECT_EQ(power.sessions[1].user, "医師");
  EXPECT_EQ(power.sessions[1].type, "rdp");
  EXPECT_TRUE(power.sessions[1].remote);
  EXPECT_EQ(power.sessions[1].locked, true);
}

TEST(WindowsPowerProbe, ReadsUptimeFromTheTickCount) {
  Pc pc;
  EXPECT_EQ(pc.Probe().Collect().uptime, std::chrono::hours(72));
}

TEST(WindowsPowerProbe, DatesEachSessionsLastInputAndTakesTheShortestIdle) {
  Pc pc;
  const facts::PowerState power = pc.Probe().Collect();
  EXPECT_EQ(power.sessions[0].idle_since, kNow - seconds(90));
  EXPECT_EQ(power.sessions[0].idle, false);
  EXPECT_EQ(power.sessions[1].idle_since, kNow - minutes(45));
  EXPECT_EQ(power.sessions[1].idle, true);
  EXPECT_EQ(power.idle, seconds(90));
}

TEST(WindowsPowerProbe, LeavesTheHostIdleUnknownWhenAnActiveSessionsIsUnknown) {
  Pc pc;
  pc.idle->idle.erase(1);
  const facts::PowerState power = pc.Probe().Collect();
  EXPECT_EQ(power.idle, std::nullopt);
  EXPECT_EQ(power.sessions[0].idle_since, std::nullopt);
  EXPECT_EQ(power.sessions[0].idle, std::nullopt);
  EXPECT_EQ(power.sessions[1].idle_since, kNow - minutes(45));
  EXPECT_TRUE(power.meta.status.ok());
  EXPECT_THAT(power.meta.status.reason,
              HasSubstr("idle of session 1 (受付): no report from mamori-session-helper"));
}

TEST(WindowsPowerProbe, SaysWhyEverySessionsIdleIsUnknownWhenTheIdlePipeCouldNotStart) {
  Pc pc;
  WindowsPowerProbe probe(testing::FixedTimeEnvironment({}, kNow), std::move(pc.sessions),
                          std::move(pc.power), std::move(pc.registry),
                          std::make_shared<UnavailableIdleSource>(
                              "CreateNamedPipeW failed: error 5 (ERROR_ACCESS_DENIED)"));
  const facts::PowerState power = probe.Collect();
  EXPECT_EQ(power.idle, std::nullopt);
  EXPECT_EQ(power.sessions[0].idle, std::nullopt);
  EXPECT_EQ(power.sessions[1].idle, std::nullopt);
  EXPECT_THAT(power.meta.status.reason,
              HasSubstr("idle of session 1 (受付): CreateNamedPipeW failed"));
}

TEST(WindowsPowerProbe, IgnoresADisconnectedSessionForTheHostIdleButReportsIt) {
  Pc pc;
  pc.sessions->list.sessions[2].connect_state = parse::kWtsDisconnected;
  pc.idle->idle.erase(2);
  const facts::PowerState power = pc.Probe().Collect();
  ASSERT_EQ(power.sessions.size(), 2u);
  EXPECT_EQ(power.sessions[1].locked, true);
  EXPECT_EQ(power.idle, seconds(90));
}

TEST(WindowsPowerProbe, ReadsSleepAfterFromTheActiveScheme) {
  Pc pc;
  const facts::PowerState power = pc.Probe().Collect();
  EXPECT_EQ(power.sleep_after_ac, seconds(1800));
  EXPECT_EQ(power.sleep_after_dc, seconds(900));
  EXPECT_EQ(power.sleep_disabled, false);
}

TEST(WindowsPowerProbe, ReportsNeverSleepingOnAcAsDisabled) {
  Pc pc;
  pc.power->sleep.ac_seconds = 0;
  const facts::PowerState power = pc.Probe().Collect();
  EXPECT_EQ(power.sleep_disabled, true);
  EXPECT_EQ(power.sleep_after_ac, seconds(0));
}

TEST(WindowsPowerProbe, LetsTheGroupPolicyOverrideTheScheme) {
  Pc pc;
  pc.registry->SetDword(parse::kStandbyIdlePolicyKey, "ACSettingIndex", 0);
  const facts::PowerState power = pc.Probe().Collect();
  EXPECT_EQ(power.sleep_disabled, true);
  EXPECT_EQ(power.sleep_after_ac, seconds(0));
  EXPECT_EQ(power.sleep_after_dc, seconds(900));
}

TEST(WindowsPowerProbe, SaysWhyTheSleepSettingIsUnknown) {
  Pc pc;
  pc.power->sleep = {std::nullopt, std::nullopt,
                     "PowerGetActiveScheme failed: error 2 (ERROR_FILE_NOT_FOUND)"};
  const facts::PowerState power = pc.Probe().Collect();
  EXPECT_EQ(power.sleep_disabled, std::nullopt);
  EXPECT_EQ(power.sleep_after_ac, std::nullopt);
  EXPECT_TRUE(power.meta.status.ok());
  EXPECT_THAT(power.meta.status.reason, HasSubstr("sleep setting: PowerGetActiveScheme failed"));
}

TEST(WindowsPowerProbe, CorrectsTheInvertedLockFlagsOfWindows7) {
  Pc pc;
  pc.registry->SetString(parse::kWindowsCurrentVersionKey, "CurrentBuild", "7601");
  const facts::PowerState power = pc.Probe().Collect();
  EXPECT_EQ(power.sessions[0].locked, true);   // reported UNLOCK
  EXPECT_EQ(power.sessions[1].locked, false);  // reported LOCK
}

TEST(WindowsPowerProbe, IsUnknownNamingTheCallWhenSessionsCannotBeListed) {
  Pc pc;
  pc.sessions->list.sessions.clear();
  pc.sessions->list.error = "WTSEnumerateSessionsW failed: error 5 (ERROR_ACCESS_DENIED)";
  const facts::PowerState power = pc.Probe().Collect();
  EXPECT_EQ(power.meta.status, facts::ProbeStatus::Unknown(
                                   "WTSEnumerateSessionsW failed: error 5 (ERROR_ACCESS_DENIED)"));
  EXPECT_EQ(power.uptime, std::chrono::hours(72));
  EXPECT_EQ(power.sleep_after_ac, seconds(1800));
}

TEST(WindowsPowerProbe, AcceptsTheListWhenItHoldsTheCallersOwnSession) {
  Pc pc;
  pc.sessions->current_session = 1;
  EXPECT_EQ(pc.Probe().Collect().meta.status, facts::ProbeStatus::Ok());
}

TEST(WindowsPowerProbe, IsUnknownWhenTheListMissesTheCallersOwnSession) {
  Pc pc;
  pc.sessions->current_session = 3;
  const facts::PowerState power = pc.Probe().Collect();
  EXPECT_EQ(power.meta.status,
            facts::ProbeStatus::Unknown(
                "WTSEnumerateSessionsW did not list this program's own session 3"));
  EXPECT_TRUE(power.sessions.empty());
}

TEST(WindowsPowerProbe, TrustsTheListFromTheServicesSession) {
  Pc pc;
  pc.sessions->current_session = 0;
  pc.sessions->list.sessions.clear();
  const facts::PowerState power = pc.Probe().Collect();
  EXPECT_EQ(power.meta.status, facts::ProbeStatus::Ok());
  EXPECT_TRUE(power.sessions.empty());
  EXPECT_EQ(power.idle, std::nullopt);
}

TEST(OwnSessionIdle, AnswersForItsOwnSessionOnly) {
  auto api = std::make_unique<FakeSessions>();
  api->current_session = 1;
  api->calling_idle = {milliseconds(4000), {}};
  OwnSessionIdle own(std::move(api));
  EXPECT_EQ(own.IdleOf(1).idle, milliseconds(4000));
  const SessionIdle other = own.IdleOf(2);
  EXPECT_EQ(other.idle, std::nullopt);
  EXPECT_EQ(other.unknown_reason,
            "input of session 2 is visible only inside it (this program runs in session 1)");
}

TEST(OwnSessionIdle, PassesOnWhyItsOwnInputIsUnknown) {
  auto api = std::make_unique<FakeSessions>();
  api->current_session = 1;
  api->calling_idle = {std::nullopt, "GetLastInputInfo reported no input since boot"};
  OwnSessionIdle own(std::move(api));
  EXPECT_EQ(own.IdleOf(1).unknown_reason, "GetLastInputInfo reported no input since boot");
}

// Wine's WTS, powrprof and GetLastInputInfo are partial: whatever they answer, the probe neither
// crashes nor passes off a failure as data.
TEST(WindowsPowerProbe, ReadsTheRealSessionsOrSaysWhichCallFailed) {
  ProbeRegistry probes = MakeHostProbes(ProbeEnvironment{});
  ASSERT_NE(probes.power, nullptr);
  const facts::PowerState power = probes.power->Collect();
  ASSERT_TRUE(power.uptime.has_value());
  EXPECT_GE(power.uptime->count(), 0);
  if (!power.meta.status.ok()) {
    EXPECT_EQ(power.meta.status.state, facts::ProbeState::kUnknown);
    // Wine 8: WTSEnumerateSessionsW succeeds but lists no session, not even this one.
    EXPECT_THAT(power.meta.status.reason, HasSubstr("WTSEnumerateSessionsW"));
  }
  for (const facts::UserSession& session : power.sessions) {
    EXPECT_FALSE(session.user.empty());
  }
}

}  // namespace
}  // namespace mamori::platform
