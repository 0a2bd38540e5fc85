// The parsers on recorded files from real hosts (tests/fixtures). Runs on every build: under Wine
// it also shows that the fixture path from CMake ("/work/...") reaches the Linux file system.
#include <gtest/gtest.h>

#include "platform/parse/boot_time.h"
#include "platform/parse/cpuinfo.h"
#include "platform/parse/hostname.h"
#include "platform/parse/mac_address.h"
#include "platform/parse/machine_id.h"
#include "platform/parse/meminfo.h"
#include "platform/parse/os_release.h"
#include "tests/platform/fixture.h"

namespace mamori::parse {
namespace {

using testing::ReadFixture;

TEST(FixtureFiles, Debian12OsReleaseParses) {
  const auto release = ParseOsRelease(ReadFixture("linux-debian12/etc/os-release"));
  ASSERT_TRUE(release.has_value());
  EXPECT_EQ(release->id, "debian");
  EXPECT_EQ(release->version_id, "12");
  EXPECT_EQ(release->version_codename, "bookworm");
  EXPECT_EQ(release->pretty_name, "Debian GNU/Linux 12 (bookworm)");
}

TEST(FixtureFiles, Ubuntu2204OsReleaseParses) {
  const auto release = ParseOsRelease(ReadFixture("linux-ubuntu2204-arm64/usr/lib/os-release"));
  ASSERT_TRUE(release.has_value());
  EXPECT_EQ(release->id, "ubuntu");
  EXPECT_EQ(release->version_id, "22.04");
  EXPECT_EQ(release->version_codename, "jammy");
  EXPECT_EQ(release->name, "Ubuntu");
}

TEST(FixtureFiles, Debian12ProcFilesParse) {
  EXPECT_EQ(ParseMemTotalBytes(ReadFixture("linux-debian12/proc/meminfo")),
            uint64_t{8039892} * 1024);
  const CpuInfo cpu = ParseCpuInfo(ReadFixture("linux-debian12/proc/cpuinfo"));
  EXPECT_EQ(cpu.model, "11th Gen Intel(R) Core(TM) i5-1135G7 @ 2.40GHz");
  EXPECT_EQ(cpu.logical_processors, 4u);
  EXPECT_EQ(ParseProcStatBootTime(ReadFixture("linux-debian12/proc/stat")),
            facts::Timestamp(std::chrono::seconds(1730790000)));
  EXPECT_EQ(ParseUptime(ReadFixture("linux-debian12/proc/uptime")), std::chrono::seconds(350735));
}

TEST(FixtureFiles, RaspberryPiCpuinfoNamesTheCore) {
  const CpuInfo cpu = ParseCpuInfo(ReadFixture("linux-ubuntu2204-arm64/proc/cpuinfo"));
  EXPECT_EQ(cpu.model, "ARM Cortex-A72");
  EXPECT_EQ(cpu.logical_processors, 4u);
}

TEST(FixtureFiles, IdentityFilesParse) {
  EXPECT_EQ(ParseHostname(ReadFixture("linux-ubuntu2204-arm64/etc/hostname")), "receipt-server");
  EXPECT_EQ(ParseMachineId(ReadFixture("linux-debian12/etc/machine-id")),
            "4f1c2b7d9e0a4c6b8d2e1f3a5b7c9d0e");
  EXPECT_FALSE(ParseMachineId(ReadFixture("linux-ubuntu2204-arm64/etc/machine-id")).has_value());
  EXPECT_EQ(ParseMacAddress(ReadFixture("linux-debian12/sys/class/net/eth0/address")),
            "52:54:00:ab:cd:01");
}

}  // namespace
}  // namespace mamori::parse
