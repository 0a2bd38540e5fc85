#include "platform/linux/logon_probe.h"

#include <gtest/gtest.h>

#include "tests/platform/fixture.h"
#include "tests/platform/scratch_root.h"

namespace mamori::platform {
namespace {

const facts::Timestamp kNow{std::chrono::seconds(1750000000)};

ProbeEnvironment Host(const std::filesystem::path& root) {
  return testing::FixedTimeEnvironment(root, kNow);
}

TEST(LinuxLogonProbe, ReportsGdmAutomaticLogin) {
  const facts::LogonSecurity logon =
      LinuxLogonProbe(Host(testing::FixturePath("linux-weak"))).Collect();
  EXPECT_EQ(logon.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(logon.auto_logon_enabled, true);
  EXPECT_EQ(logon.auto_logon_user, "reception");
}

TEST(LinuxLogonProbe, ReportsNoScreenLockWhenGnomeNeverBlanks) {
  // local.d sets idle-delay 0; gdm.d's 900 is the login screen's and does not count.
  const auto logon = LinuxLogonProbe(Host(testing::FixturePath("linux-weak"))).Collect();
  EXPECT_EQ(logon.screen_lock_enabled, false);
  EXPECT_EQ(logon.screen_lock_timeout, std::nullopt);
}

TEST(LinuxLogonProbe, AHostWithoutADisplayManagerHasNoAutoLoginAndUnknownScreenLock) {
  const auto logon = LinuxLogonProbe(Host(testing::FixturePath("linux-usb-blocked"))).Collect();
  EXPECT_EQ(logon.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(logon.auto_logon_enabled, false);
  EXPECT_EQ(logon.auto_logon_user, "");
  EXPECT_EQ(logon.screen_lock_enabled, std::nullopt);
}

TEST(LinuxLogonProbe, ReadsALockedFiveMinuteScreenLockFromSystemDconf) {
  const auto logon = LinuxLogonProbe(Host(testing::FixturePath("linux-hardened"))).Collect();
  EXPECT_EQ(logon.screen_lock_enabled, true);
  EXPECT_EQ(logon.screen_lock_timeout, std::chrono::seconds(300));
}

TEST(LinuxLogonProbe, AppliesGnomeDefaultsWhenNothingOverridesThem) {
  testing::ScratchRoot root("mamori-logon");
  root.Write("usr/bin/gnome-shell", "");
  const auto logon = LinuxLogonProbe(Host(root.path())).Collect();
  EXPECT_EQ(logon.screen_lock_enabled, true);
  EXPECT_EQ(logon.screen_lock_timeout, std::chrono::seconds(300));
}

TEST(LinuxLogonProbe, AddsTheLockDelayToTheIdleDelay) {
  testing::ScratchRoot root("mamori-logon");
  root.Write("etc/dconf/db/local.d/00-lock",
             "[org/gnome/desktop/session]\nidle-delay=uint32 600\n"
             "[org/gnome/desktop/screensaver]\nlock-enabled=true\nlock-delay=uint32 30\n");
  const auto logon = LinuxLogonProbe(Host(root.path())).Collect();
  EXPECT_EQ(logon.screen_lock_enabled, true);
  EXPECT_EQ(logon.screen_lock_timeout, std::chrono::seconds(630));
}

TEST(LinuxLogonProbe, ReportsLightdmAutologinFromAConfDirectory) {
  testing::ScratchRoot root("mamori-logon");
  root.Write("etc/lightdm/lightdm.conf", "[Seat:*]\ngreeter-session=slick-greeter\n");
  root.Write("etc/lightdm/lightdm.conf.d/50-autologin.conf", "[Seat:*]\nautologin-user=nurse\n");
  const auto logon = LinuxLogonProbe(Host(root.path())).Collect();
  EXPECT_EQ(logon.auto_logon_enabled, true);
  EXPECT_EQ(logon.auto_logon_user, "nurse");
}

TEST(LinuxLogonProbe, AnEmptyLightdmAutologinUserInTheMainFileWins) {
  testing::ScratchRoot root("mamori-logon");
  root.Write("etc/lightdm/lightdm.conf.d/50-autologin.conf", "[Seat:*]\nautologin-user=nurse\n");
  root.Write("etc/lightdm/lightdm.conf", "[Seat:*]\nautologin-user=\n");
  EXPECT_EQ(LinuxLogonProbe(Host(root.path())).Collect().auto_logon_enabled, false);
}

TEST(LinuxLogonProbe, ReportsSddmAndGettyAutologin) {
  testing::ScratchRoot sddm("mamori-logon-sddm");
  sddm.Write("etc/sddm.conf.d/kde_settings.conf", "[Autologin]\nSession=plasma\nUser=clerk\n");
  EXPECT_EQ(LinuxLogonProbe(Host(sddm.path())).Collect().auto_logon_user, "clerk");

  testing::ScratchRoot getty("mamori-logon-getty");
  getty.Write("etc/systemd/system/getty@tty1.service.d/autologin.conf",
              "[Service]\nExecStart=\nExecStart=-/sbin/agetty --autologin pi --noclear %I $TERM\n");
  const auto logon = LinuxLogonProbe(Host(getty.path())).Collect();
  EXPECT_EQ(logon.auto_logon_enabled, true);
  EXPECT_EQ(logon.auto_logon_user, "pi");
}

TEST(LinuxLogonProbe, RunsOnTheRealHost) {
  ProbeEnvironment env;
  const auto logon = LinuxLogonProbe(env).Collect();
  EXPECT_EQ(logon.meta.status, facts::ProbeStatus::Ok());
  EXPECT_TRUE(logon.auto_logon_enabled.has_value());
}

}  // namespace
}  // namespace mamori::platform
