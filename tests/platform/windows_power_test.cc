// Sleep settings and WTS session decoding on every OS.
#include "platform/parse/windows_power.h"

#include <gtest/gtest.h>

namespace mamori::parse {
namespace {

using std::chrono::seconds;

SleepIndexes Indexes(std::optional<uint32_t> scheme_ac, std::optional<uint32_t> scheme_dc,
                     std::optional<uint32_t> policy_ac = std::nullopt,
                     std::optional<uint32_t> policy_dc = std::nullopt) {
  SleepIndexes indexes;
  indexes.scheme_ac = scheme_ac;
  indexes.scheme_dc = scheme_dc;
  indexes.policy_ac = policy_ac;
  indexes.policy_dc = policy_dc;
  return indexes;
}

TEST(WindowsSleepSettings, ReadsTheActiveSchemeInSeconds) {
  const SleepSettings settings = DecodeSleepSettings(Indexes(1800, 900));
  EXPECT_EQ(settings.after_ac, seconds(1800));
  EXPECT_EQ(settings.after_dc, seconds(900));
  EXPECT_EQ(settings.disabled, false);
}

TEST(WindowsSleepSettings, CallsNeverOnAcDisabled) {
  const SleepSettings settings = DecodeSleepSettings(Indexes(0, 900));
  EXPECT_EQ(settings.disabled, true);
  EXPECT_EQ(settings.after_ac, seconds(0));
}

TEST(WindowsSleepSettings, LetsThePolicyWinPerPowerSource) {
  const SleepSettings settings = DecodeSleepSettings(Indexes(0, 900, 1200));
  EXPECT_EQ(settings.after_ac, seconds(1200));
  EXPECT_EQ(settings.after_dc, seconds(900));
  EXPECT_EQ(settings.disabled, false);

  EXPECT_EQ(DecodeSleepSettings(Indexes(1800, std::nullopt, 0)).disabled, true);
}

TEST(WindowsSleepSettings, LeavesEverythingUnknownWhenNothingWasRead) {
  EXPECT_EQ(DecodeSleepSettings(SleepIndexes{}), SleepSettings{});
}

TEST(WindowsLockState, ReadsSessionFlagsAsDocumentedFromWindows8On) {
  EXPECT_EQ(DecodeLockState(kWtsSessionStateLock, 19045), true);
  EXPECT_EQ(DecodeLockState(kWtsSessionStateUnlock, 19045), false);
  EXPECT_EQ(DecodeLockState(kWtsSessionStateLock, 9200), true);
  EXPECT_EQ(DecodeLockState(kWtsSessionStateLock, std::nullopt), true);
}

TEST(WindowsLockState, CorrectsTheInvertedFlagsOfWindows7) {
  EXPECT_EQ(DecodeLockState(kWtsSessionStateLock, 7601), false);
  EXPECT_EQ(DecodeLockState(kWtsSessionStateUnlock, 7601), true);
}

TEST(WindowsLockState, LeavesUnknownAndMissingFlagsUnknown) {
  EXPECT_EQ(DecodeLockState(kWtsSessionStateUnknown, 19045), std::nullopt);
  EXPECT_EQ(DecodeLockState(7, 19045), std::nullopt);
  EXPECT_EQ(DecodeLockState(std::nullopt, 19045), std::nullopt);
}

WtsSessionRecord Session(uint32_t id, std::string user, uint32_t state) {
  WtsSessionRecord session;
  session.id = id;
  session.user = std::move(user);
  session.connect_state = state;
  return session;
}

TEST(WindowsSession, CountsOnlyUsersLoggedOn) {
  EXPECT_TRUE(IsLoggedOnSession(Session(1, "受付", kWtsActive)));
  EXPECT_TRUE(IsLoggedOnSession(Session(2, "医師", kWtsDisconnected)));
  EXPECT_FALSE(IsLoggedOnSession(Session(0, "", kWtsDisconnected)));  // services
  EXPECT_FALSE(IsLoggedOnSession(Session(65536, "", 6)));             // RDP listener
  EXPECT_FALSE(IsLoggedOnSession(Session(3, "受付", 8)));             // WTSDown
}

TEST(WindowsSession, NamesTheConsoleAndRemoteDesktopByProtocol) {
  WtsSessionRecord console = Session(1, "受付", kWtsActive);
  console.protocol = kWtsProtocolConsole;
  console.session_flags = kWtsSessionStateUnlock;
  const facts::UserSession local = DecodeSession(console, 19045);
  EXPECT_EQ(local.id, "1");
  EXPECT_EQ(local.user, "受付");
  EXPECT_EQ(local.type, "console");
  EXPECT_FALSE(local.remote);
  EXPECT_EQ(local.locked, false);

  WtsSessionRecord rdp = Session(2, "医師", kWtsActive);
  rdp.protocol = kWtsProtocolRdp;
  rdp.session_flags = kWtsSessionStateLock;
  const facts::UserSession remote = DecodeSession(rdp, 19045);
  EXPECT_EQ(remote.type, "rdp");
  EXPECT_TRUE(remote.remote);
  EXPECT_EQ(remote.locked, true);
}

TEST(WindowsSession, FallsBackToTheStationNameWithoutAProtocol) {
  WtsSessionRecord rdp = Session(2, "医師", kWtsActive);
  rdp.station = "RDP-Tcp#3";
  EXPECT_EQ(DecodeSession(rdp, 19045).type, "rdp");
  EXPECT_TRUE(DecodeSession(rdp, 19045).remote);
  WtsSessionRecord console = Session(1, "受付", kWtsActive);
  console.station = "Console";
  EXPECT_EQ(DecodeSession(console, 19045).type, "console");
}

TEST(WindowsSession, CountsADisconnectedSessionAsLocked) {
  WtsSessionRecord session = Session(2, "医師", kWtsDisconnected);
  session.session_flags = kWtsSessionStateUnknown;
  EXPECT_EQ(DecodeSession(session, 19045).locked, true);
}

}  // namespace
}  // namespace mamori::parse
