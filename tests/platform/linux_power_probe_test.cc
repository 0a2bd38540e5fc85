#include "platform/linux/power_probe.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "platform/parse/login_records.h"
#include "tests/platform/fixture.h"
#include "tests/platform/scratch_root.h"

namespace mamori::platform {
namespace {

using std::chrono::seconds;
using ::testing::HasSubstr;

const facts::Timestamp kNow{seconds(1750000000)};

ProbeEnvironment Host(const std::filesystem::path& root) {
  return testing::FixedTimeEnvironment(root, kNow);
}

void SetAccessTime(const std::filesystem::path& path, facts::Timestamp when) {
  timespec times[2] = {};
  times[0].tv_sec = static_cast<time_t>(when.time_since_epoch().count());
  times[1].tv_nsec = UTIME_OMIT;
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
}

TEST(LinuxPowerProbe, ReadsLogindSessionsAndSkipsGreeters) {
  const facts::PowerState power =
      LinuxPowerProbe(Host(testing::FixturePath("linux-weak"))).Collect();
  EXPECT_EQ(power.meta.status, facts::ProbeStatus::Ok());
  ASSERT_EQ(power.sessions.size(), 2u);
  EXPECT_EQ(power.sessions[0].id, "2");
  EXPECT_EQ(power.sessions[0].user, "reception");
  EXPECT_EQ(power.sessions[0].type, "wayland");
  EXPECT_FALSE(power.sessions[0].remote);
  // Without D-Bus neither the lock state nor a graphical session's idle time is knowable.
  EXPECT_EQ(power.sessions[0].locked, std::nullopt);
  EXPECT_EQ(power.sessions[0].idle, std::nullopt);
  // The text console session beside it has a terminal whose access time tells its last input, but
  // the host's idle time stays unknown while the graphical session's is.
  EXPECT_EQ(power.sessions[1].id, "3");
  EXPECT_EQ(power.sessions[1].user, "doctor");
  EXPECT_EQ(power.sessions[1].type, "tty");
  EXPECT_TRUE(power.sessions[1].idle_since.has_value());
  EXPECT_EQ(power.idle, std::nullopt);
}

TEST(LinuxPowerProbe, ReportsSleepDisabledByAMaskedTargetAndGnomeSettings) {
  const auto power = LinuxPowerProbe(Host(testing::FixturePath("linux-weak"))).Collect();
  EXPECT_EQ(power.sleep_disabled, true);
  EXPECT_EQ(power.sleep_after_ac, std::nullopt);
}

TEST(LinuxPowerProbe, ReportsUnknownWithoutLogindOrUtmpButKeepsSleepSettings) {
  const auto power = LinuxPowerProbe(Host(testing::FixturePath("linux-hardened"))).Collect();
  EXPECT_EQ(power.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_THAT(power.meta.status.reason, HasSubstr("no logind: /run/systemd/system absent"));
  EXPECT_EQ(power.sleep_disabled, false);
  EXPECT_EQ(power.sleep_after_ac, seconds(1800));
}

TEST(LinuxPowerProbe, ReadsUptime) {
  const auto power = LinuxPowerProbe(Host(testing::FixturePath("linux-debian12"))).Collect();
  EXPECT_TRUE(power.uptime.has_value());
  EXPECT_EQ(power.sleep_disabled, std::nullopt);
}

TEST(LinuxPowerProbe, ComputesIdleFromUtmpTerminalsLikeW) {
  testing::ScratchRoot root("mamori-power");
  root.Write("proc/uptime", "3600.52 7000.10\n");
  std::string utmp;
  utmp += parse::EncodeUtmpRecordForTest(
      {parse::kUtmpUserProcess, 100, "pts/0", "doctor", "192.0.2.7", kNow - seconds(600)});
  utmp += parse::EncodeUtmpRecordForTest(
      {parse::kUtmpUserProcess, 101, "tty1", "reception", "", kNow - seconds(20000)});
  utmp += parse::EncodeUtmpRecordForTest({8, 102, "tty2", "gone", "", kNow - seconds(9)});
  root.Write("run/utmp", utmp);
  root.Write("dev/pts/0", "");
  root.Write("dev/tty1", "");
  SetAccessTime(root.path() / "dev/pts/0", kNow - seconds(120));
  SetAccessTime(root.path() / "dev/tty1", kNow - seconds(3 * 3600));

  const auto power = LinuxPowerProbe(Host(root.path())).Collect();
  EXPECT_EQ(power.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(power.uptime, seconds(3600));
  ASSERT_EQ(power.sessions.size(), 2u);
  EXPECT_EQ(power.sessions[0].user, "doctor");
  EXPECT_TRUE(power.sessions[0].remote);
  EXPECT_EQ(power.sessions[0].idle, false);
  EXPECT_EQ(power.sessions[0].idle_since, kNow - seconds(120));
  EXPECT_EQ(power.sessions[1].user, "reception");
  EXPECT_FALSE(power.sessions[1].remote);
  EXPECT_EQ(power.sessions[1].idle, true);
  EXPECT_EQ(power.idle, seconds(120));
}

TEST(LinuxPowerProbe, DropsUtmpEntriesWhoseProcessIsGone) {
  testing::ScratchRoot root("mamori-power");
  root.Write("proc/1/comm", "init\n");
  root.Write("proc/100/comm", "bash\n");
  root.Write("run/utmp",
             parse::EncodeUtmpRecordForTest({parse::kUtmpUserProcess, 100, "pts/0", "a", "", {}}) +
                 parse::EncodeUtmpRecordForTest(
                     {parse::kUtmpUserProcess, 555, "pts/1", "crashed", "", {}}));
  const auto power = LinuxPowerProbe(Host(root.path())).Collect();
  ASSERT_EQ(power.sessions.size(), 1u);
  EXPECT_EQ(power.sessions[0].user, "a");
}

TEST(LinuxPowerProbe, ReadsSleepConfDropInsAndGnomeTimeouts) {
  testing::ScratchRoot root("mamori-power");
  root.Write("etc/dconf/db/local.d/00-power",
             "[org/gnome/settings-daemon/plugins/power]\n"
             "sleep-inactive-ac-type='suspend'\nsleep-inactive-ac-timeout=uint32 3600\n");
  auto power = LinuxPowerProbe(Host(root.path())).Collect();
  EXPECT_EQ(power.sleep_disabled, false);
  EXPECT_EQ(power.sleep_after_ac, seconds(3600));
  EXPECT_EQ(power.sleep_after_dc, std::nullopt);

  root.Write("etc/systemd/sleep.conf.d/90-clinic.conf", "[Sleep]\nAllowSuspend=no\n");
  power = LinuxPowerProbe(Host(root.path())).Collect();
  EXPECT_EQ(power.sleep_disabled, true);
}

TEST(LinuxPowerProbe, RunsOnTheRealHost) {
  ProbeEnvironment env;
  const auto power = LinuxPowerProbe(env).Collect();
  EXPECT_TRUE(power.uptime.has_value());
  EXPECT_TRUE(power.meta.collected_at.has_value());
  EXPECT_NE(power.meta.status.state, facts::ProbeState::kError);
}

}  // namespace
}  // namespace mamori::platform
