#include "platform/linux/usb_storage_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "tests/platform/fixture.h"
#include "tests/platform/scratch_root.h"

namespace mamori::platform {
namespace {

using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const facts::Timestamp kNow{std::chrono::seconds(1795600000)};

ProbeEnvironment Host(const std::filesystem::path& root) {
  return testing::FixedTimeEnvironment(root, kNow);
}

facts::UsbStoragePolicy Collect(const std::filesystem::path& root) {
  return LinuxUsbStorageProbe(Host(root)).Collect();
}

// A root where everything but the modprobe configuration reads cleanly.
void WriteQuietHost(const testing::ScratchRoot& root) {
  root.Write("proc/modules", "");
  root.Write("proc/sys/kernel/osrelease", "6.1.0-26-amd64\n");
  root.Write("lib/modules/6.1.0-26-amd64/modules.builtin", "kernel/drivers/usb/host/xhci-hcd.ko\n");
  std::filesystem::create_directories(root.path() / "sys/bus/usb/devices");
}

TEST(LinuxUsbStorageProbe, ReportsBlockedWhenModprobeInstallsFalse) {
  const facts::UsbStoragePolicy usb = Collect(testing::FixturePath("linux-usb-blocked"));
  EXPECT_EQ(usb.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(usb.meta.collected_at, kNow);
  EXPECT_EQ(usb.mode, facts::UsbStorageMode::kBlocked);
  ASSERT_EQ(usb.controls.size(), 1u);
  EXPECT_EQ(usb.controls[0].mechanism, "modprobe: install usb-storage /bin/false");
  EXPECT_THAT(usb.controls[0].detail, HasSubstr("etc/modprobe.d/mamori-usb-storage.conf"));
  EXPECT_EQ(usb.driver_loaded, false);
  EXPECT_EQ(usb.driver_builtin, false);
  EXPECT_TRUE(usb.devices.empty());
}

TEST(LinuxUsbStorageProbe, ReportsABlacklistAloneAsAllowedWithTheDriverLoadedAndTheStick) {
  const facts::UsbStoragePolicy usb = Collect(testing::FixturePath("linux-usb-open"));
  EXPECT_EQ(usb.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(usb.mode, facts::UsbStorageMode::kAllowed);
  ASSERT_EQ(usb.controls.size(), 1u);
  EXPECT_THAT(usb.controls[0].mechanism, HasSubstr("blacklist usb-storage"));
  EXPECT_EQ(usb.driver_loaded, true);
  EXPECT_EQ(usb.driver_builtin, false);
  ASSERT_EQ(usb.devices.size(), 1u);  // the keyboard (class 03) and the hub (09) are not storage
  EXPECT_EQ(usb.devices[0].vendor, "SanDisk");
  EXPECT_EQ(usb.devices[0].product, "Cruzer Blade (0781:5567)");
  EXPECT_EQ(usb.devices[0].serial_number, "4C530001231120115142");
  EXPECT_TRUE(usb.devices[0].present);
}

TEST(LinuxUsbStorageProbe, ReportsBlockedByConfigEvenWhenTheDriverIsLoadedOrBuiltIn) {
  testing::ScratchRoot root("mamori-usb");
  WriteQuietHost(root);
  root.Write("etc/modprobe.d/usb.conf", "install usb_storage /usr/bin/true\n");
  root.Write("proc/modules", "usb_storage 81920 0 - Live 0x0\n");
  root.Write("lib/modules/6.1.0-26-amd64/modules.builtin",
             "kernel/drivers/usb/storage/usb-storage.ko\n");
  const facts::UsbStoragePolicy usb = Collect(root.path());
  EXPECT_EQ(usb.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(usb.mode, facts::UsbStorageMode::kBlocked);
  EXPECT_EQ(usb.driver_loaded, true);
  EXPECT_EQ(usb.driver_builtin, true);
}

TEST(LinuxUsbStorageProbe, ReportsAllowedWithoutAnyConfiguration) {
  testing::ScratchRoot root("mamori-usb");
  WriteQuietHost(root);
  const facts::UsbStoragePolicy usb = Collect(root.path());
  EXPECT_EQ(usb.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(usb.mode, facts::UsbStorageMode::kAllowed);
  EXPECT_TRUE(usb.controls.empty());
}

TEST(LinuxUsbStorageProbe, DoesNotTreatAnInstallCommandThatLoadsTheModuleAsBlocking) {
  testing::ScratchRoot root("mamori-usb");
  WriteQuietHost(root);
  root.Write("etc/modprobe.d/usb.conf",
             "install usb-storage /bin/true; /sbin/modprobe --ignore-install usb-storage\n");
  const facts::UsbStoragePolicy usb = Collect(root.path());
  EXPECT_EQ(usb.mode, facts::UsbStorageMode::kAllowed);
  ASSERT_EQ(usb.controls.size(), 1u);
  EXPECT_THAT(usb.controls[0].mechanism, HasSubstr("not recognised as blocking"));
}

TEST(LinuxUsbStorageProbe, FollowsKmodFileOrderAcrossDirectories) {
  testing::ScratchRoot root("mamori-usb");
  WriteQuietHost(root);
  // 10-*.conf sorts before 50-*.conf wherever it lives: its install line is the one modprobe uses.
  root.Write("lib/modprobe.d/10-vendor.conf",
             "install usb-storage /sbin/modprobe --ignore-install usb-storage\n");
  root.Write("etc/modprobe.d/50-clinic.conf", "install usb-storage /bin/false\n");
  EXPECT_EQ(Collect(root.path()).mode, facts::UsbStorageMode::kAllowed);
}

TEST(LinuxUsbStorageProbe, LetsAnEtcFileHideTheSameNameUnderLib) {
  testing::ScratchRoot root("mamori-usb");
  WriteQuietHost(root);
  root.Write("lib/modprobe.d/usb.conf", "install usb-storage /bin/false\n");
  root.Write("etc/modprobe.d/usb.conf", "# overridden by the admin\n");
  EXPECT_EQ(Collect(root.path()).mode, facts::UsbStorageMode::kAllowed);
}

TEST(LinuxUsbStorageProbe, TreatsASymlinkToDevNullAsMaskingTheFile) {
  testing::ScratchRoot root("mamori-usb");
  WriteQuietHost(root);
  root.Write("lib/modprobe.d/usb.conf", "install usb-storage /bin/false\n");
  root.Symlink("/dev/null", "etc/modprobe.d/usb.conf");
  const facts::UsbStoragePolicy usb = Collect(root.path());
  EXPECT_EQ(usb.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(usb.mode, facts::UsbStorageMode::kAllowed);
}

TEST(LinuxUsbStorageProbe, ReportsUnknownButKeepsWhatItReadWhenAConfigFileIsASymlinkLoop) {
  testing::ScratchRoot root("mamori-usb");
  WriteQuietHost(root);
  root.Write("etc/modprobe.d/block.conf", "install usb-storage /bin/false\n");
  root.Symlink("loop-b.conf", "etc/modprobe.d/loop-a.conf");
  root.Symlink("loop-a.conf", "etc/modprobe.d/loop-b.conf");
  root.Symlink(".", "etc/modprobe.d/self.d");
  const facts::UsbStoragePolicy usb = Collect(root.path());
  EXPECT_EQ(usb.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_THAT(usb.meta.status.reason, HasSubstr("loop-a.conf"));
  EXPECT_EQ(usb.mode, facts::UsbStorageMode::kBlocked);
}

TEST(LinuxUsbStorageProbe, ReportsUnknownForAFifoOrHugeConfigFileWithoutHanging) {
  testing::ScratchRoot root("mamori-usb");
  WriteQuietHost(root);
  std::filesystem::create_directories(root.path() / "etc/modprobe.d");
  ASSERT_EQ(::mkfifo((root.path() / "etc/modprobe.d/fifo.conf").c_str(), 0600), 0);
  root.WriteSparse("etc/modprobe.d/huge.conf", std::uintmax_t{2} * 1024 * 1024 * 1024,
                   "install usb-storage /bin/false\n");
  const facts::UsbStoragePolicy usb = Collect(root.path());
  EXPECT_EQ(usb.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_THAT(usb.meta.status.reason, HasSubstr("fifo.conf: not a regular file"));
  EXPECT_THAT(usb.meta.status.reason, HasSubstr("huge.conf: larger than"));
  EXPECT_EQ(usb.mode, facts::UsbStorageMode::kAllowed);  // nothing readable blocks
}

TEST(LinuxUsbStorageProbe, SkipsBinaryGarbageInConfigFiles) {
  testing::ScratchRoot root("mamori-usb");
  WriteQuietHost(root);
  std::string garbage(70000, '\0');
  for (std::size_t i = 0; i < garbage.size(); ++i) {
    garbage[i] = static_cast<char>((i * 131) % 256);
  }
  root.Write("etc/modprobe.d/garbage.conf", garbage);
  const facts::UsbStoragePolicy usb = Collect(root.path());
  EXPECT_EQ(usb.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(usb.mode, facts::UsbStorageMode::kAllowed);
}

TEST(LinuxUsbStorageProbe, ReportsBlockedWhenUsbGuardBlocksAndItsDaemonRuns) {
  testing::ScratchRoot root("mamori-usb");
  WriteQuietHost(root);
  root.Write("etc/usbguard/usbguard-daemon.conf",
             "RuleFile=/etc/usbguard/rules.conf\nImplicitPolicyTarget=block\n");
  root.Write("etc/usbguard/rules.conf", "allow id 1d6b:0002 serial \"0000:00:14.0\"\n");
  root.Write("proc/640/comm", "usbguard-daemon\n");
  const facts::UsbStoragePolicy usb = Collect(root.path());
  EXPECT_EQ(usb.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(usb.mode, facts::UsbStorageMode::kBlocked);
  ASSERT_EQ(usb.controls.size(), 1u);
  EXPECT_EQ(usb.controls[0].mechanism, "USBGuard: ImplicitPolicyTarget=block");
}

TEST(LinuxUsbStorageProbe, ReportsAllowedWhenUsbGuardIsConfiguredButNotRunning) {
  testing::ScratchRoot root("mamori-usb");
  WriteQuietHost(root);
  root.Write("etc/usbguard/usbguard-daemon.conf", "ImplicitPolicyTarget=block\n");
  root.Write("proc/1/comm", "systemd\n");
  const facts::UsbStoragePolicy usb = Collect(root.path());
  EXPECT_EQ(usb.mode, facts::UsbStorageMode::kAllowed);
  ASSERT_EQ(usb.controls.size(), 1u);
  EXPECT_THAT(usb.controls[0].mechanism, HasSubstr("not running"));
}

TEST(LinuxUsbStorageProbe, ReportsAllowedWhenAUsbGuardRuleAllowsEverything) {
  testing::ScratchRoot root("mamori-usb");
  WriteQuietHost(root);
  root.Write("etc/usbguard/usbguard-daemon.conf", "ImplicitPolicyTarget=block\n");
  root.Write("etc/usbguard/rules.conf", "allow\n");
  root.Write("proc/640/comm", "usbguard-daemon\n");
  EXPECT_EQ(Collect(root.path()).mode, facts::UsbStorageMode::kAllowed);
}

TEST(LinuxUsbStorageProbe, CleansHostileDeviceStrings) {
  testing::ScratchRoot root("mamori-usb");
  WriteQuietHost(root);
  root.Write("sys/bus/usb/devices/2-1/manufacturer", "Evil\x1b[31m\xff\xfe Corp\n");
  root.Write("sys/bus/usb/devices/2-1/product",
             "\xe3\x83\x90\xe3\x83\x83\xe3\x83\x95\xe3\x82\xa1\n");
  root.Write("sys/bus/usb/devices/2-1:1.0/bInterfaceClass", "08\n");
  root.Write("sys/bus/usb/devices/2-1:1.1/bInterfaceClass", "08\n");
  const facts::UsbStoragePolicy usb = Collect(root.path());
  ASSERT_EQ(usb.devices.size(), 1u);  // two storage interfaces, one stick
  EXPECT_EQ(usb.devices[0].vendor, "Evil?[31m?? Corp");
  EXPECT_EQ(usb.devices[0].product, "\xe3\x83\x90\xe3\x83\x83\xe3\x83\x95\xe3\x82\xa1");
}

TEST(LinuxUsbStorageProbe, ReplacesOverlongSurrogateAndOutOfRangeSequences) {
  testing::ScratchRoot root("mamori-usb");
  WriteQuietHost(root);
  // Overlong '/', the surrogate U+D800 and U+110000: each byte of each becomes '?'.
  root.Write("sys/bus/usb/devices/2-1/manufacturer",
             "A\xe0\x80\xaf"
             "B\xed\xa0\x80"
             "C\xf4\x90\x80\x80\n");
  root.Write("sys/bus/usb/devices/2-1:1.0/bInterfaceClass", "08\n");
  const facts::UsbStoragePolicy usb = Collect(root.path());
  ASSERT_EQ(usb.devices.size(), 1u);
  EXPECT_EQ(usb.devices[0].vendor, "A???B???C????");
}

TEST(LinuxUsbStorageProbe, DoesNotLetAHostileKernelReleaseLeaveLibModules) {
  testing::ScratchRoot root("mamori-usb");
  WriteQuietHost(root);
  root.Write("proc/sys/kernel/osrelease", "../../etc\n");
  const facts::UsbStoragePolicy usb = Collect(root.path());
  EXPECT_FALSE(usb.driver_builtin.has_value());
  EXPECT_THAT(usb.meta.status.reason, HasSubstr("built in is unknown"));
}

TEST(LinuxUsbStorageProbe, ReportsConfigFactsButUnknownOnAContainerLikeRoot) {
  testing::ScratchRoot root("mamori-usb");
  root.Write("etc/modprobe.d/usb.conf", "install usb-storage /bin/false\n");
  const facts::UsbStoragePolicy usb = Collect(root.path());
  EXPECT_EQ(usb.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_THAT(usb.meta.status.reason, HasSubstr("no /sys/bus/usb"));
  EXPECT_THAT(usb.meta.status.reason, HasSubstr("/proc/modules"));
  EXPECT_EQ(usb.mode, facts::UsbStorageMode::kBlocked);
  EXPECT_FALSE(usb.driver_loaded.has_value());
  EXPECT_FALSE(usb.driver_builtin.has_value());
}

// This build machine is a container without /sys/bus/usb: the section must say so, not pass.
TEST(LinuxUsbStorageProbe, ReportsAttachedDevicesUnknownOnTheRealHostWithoutSysBusUsb) {
  if (std::filesystem::exists("/sys/bus/usb/devices")) {
    GTEST_SKIP() << "this host has /sys/bus/usb";
  }
  ProbeRegistry probes = MakeHostProbes(ProbeEnvironment{});
  ASSERT_NE(probes.usb_storage, nullptr);
  const facts::UsbStoragePolicy usb = probes.usb_storage->Collect();
  EXPECT_EQ(usb.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_THAT(usb.meta.status.reason, HasSubstr("no /sys/bus/usb"));
  EXPECT_NE(usb.mode, facts::UsbStorageMode::kUnspecified);
}

}  // namespace
}  // namespace mamori::platform
