#include "platform/linux/inventory_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/platform/fixture.h"

namespace mamori::platform {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const facts::Timestamp kNow{std::chrono::seconds(1750000000)};

ProbeEnvironment FixtureHost(const std::filesystem::path& root) {
  ProbeEnvironment env;
  env.root = root;
  env.now = [] { return kNow; };
  return env;
}

class FakeRunningKernel final : public RunningKernel {
 public:
  std::vector<InterfaceAddress> InterfaceAddresses() override {
    return {{"lo", "127.0.0.1/8"},
            {"eth0", "192.0.2.10/24"},
            {"eth0", "fe80::5054:ff:feab:cd01/64"},
            {"tun0", "10.8.0.2/24"}};
  }
  std::string MachineArchitecture() override { return "aarch64"; }
};

// A scratch root for the error cases, removed after the test.
class ScratchRoot {
 public:
  ScratchRoot()
      : path_(std::filesystem::temp_directory_path() /
              ("mamori-inventory-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchRoot() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }
  void Write(const std::string& relative, const std::string& text) const {
    std::filesystem::create_directories((path_ / relative).parent_path());
    std::ofstream(path_ / relative, std::ios::binary) << text;
  }

 private:
  std::filesystem::path path_;
};

TEST(LinuxInventoryProbe, ReadsADebian12Tree) {
  LinuxInventoryProbe probe(FixtureHost(testing::FixturePath("linux-debian12")), nullptr);
  const facts::Inventory inventory = probe.Collect();
  EXPECT_EQ(inventory.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(inventory.meta.collected_at, kNow);
  EXPECT_EQ(inventory.hostname, "reception-01");
  EXPECT_EQ(inventory.os_family, facts::OsFamily::kLinux);
  EXPECT_EQ(inventory.os_id, "debian");
  EXPECT_EQ(inventory.os_name, "Debian GNU/Linux");
  EXPECT_EQ(inventory.os_version, "12");
  EXPECT_EQ(inventory.os_codename, "bookworm");
  EXPECT_EQ(inventory.os_pretty_name, "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ(inventory.os_build, "");
  EXPECT_EQ(inventory.kernel_version, "6.1.0-26-amd64");
  EXPECT_EQ(inventory.architecture, "x86_64");
  EXPECT_EQ(inventory.cpu_model, "11th Gen Intel(R) Core(TM) i5-1135G7 @ 2.40GHz");
  EXPECT_EQ(inventory.cpu_logical_cores, 4u);
  EXPECT_EQ(inventory.memory_bytes, uint64_t{8039892} * 1024);
  EXPECT_EQ(inventory.boot_time, facts::Timestamp(std::chrono::seconds(1730790000)));
  EXPECT_EQ(inventory.machine_id, "4f1c2b7d9e0a4c6b8d2e1f3a5b7c9d0e");
  EXPECT_EQ(inventory.role, facts::HostRole::kUnspecified);
}

TEST(LinuxInventoryProbe, ListsInterfacesWithMacsButNotLoopbackOrPlainFiles) {
  LinuxInventoryProbe probe(FixtureHost(testing::FixturePath("linux-debian12")), nullptr);
  const facts::Inventory inventory = probe.Collect();
  EXPECT_THAT(inventory.interfaces,
              ElementsAre(facts::NetworkInterface{"eth0", "52:54:00:ab:cd:01", {}},
                          facts::NetworkInterface{"wlan0", "3c:6a:a7:12:34:56", {}}));
}

TEST(LinuxInventoryProbe, AttachesTheRunningKernelsAddressesToInterfaces) {
  LinuxInventoryProbe probe(FixtureHost(testing::FixturePath("linux-debian12")),
                            std::make_unique<FakeRunningKernel>());
  const facts::Inventory inventory = probe.Collect();
  EXPECT_THAT(inventory.interfaces,
              ElementsAre(
                  facts::NetworkInterface{
                      "eth0", "52:54:00:ab:cd:01", {"192.0.2.10/24", "fe80::5054:ff:feab:cd01/64"}},
                  facts::NetworkInterface{"tun0", "", {"10.8.0.2/24"}},
                  facts::NetworkInterface{"wlan0", "3c:6a:a7:12:34:56", {}}));
  // The tree's /proc/sys/kernel/arch wins over uname().
  EXPECT_EQ(inventory.architecture, "x86_64");
}

TEST(LinuxInventoryProbe, FallsBackToEtcHostnameUsrLibOsReleaseAndUptime) {
  LinuxInventoryProbe probe(FixtureHost(testing::FixturePath("linux-ubuntu2204-arm64")), nullptr);
  const facts::Inventory inventory = probe.Collect();
  EXPECT_EQ(inventory.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(inventory.hostname, "receipt-server");
  EXPECT_EQ(inventory.os_id, "ubuntu");
  EXPECT_EQ(inventory.os_version, "22.04");
  EXPECT_EQ(inventory.os_codename, "jammy");
  EXPECT_EQ(inventory.cpu_model, "ARM Cortex-A72");
  EXPECT_EQ(inventory.cpu_logical_cores, 4u);
  EXPECT_EQ(inventory.memory_bytes, uint64_t{3884128} * 1024);
  // No btime in /proc/stat: now minus /proc/uptime's 86400 seconds.
  EXPECT_EQ(inventory.boot_time, kNow - std::chrono::seconds(86400));
  // "uninitialized" is not an identity.
  EXPECT_EQ(inventory.machine_id, "");
  // No /proc/sys/kernel/arch and no running kernel to ask.
  EXPECT_EQ(inventory.architecture, "");
}

TEST(LinuxInventoryProbe, AsksTheRunningKernelForTheArchitectureWhenTheTreeHasNone) {
  LinuxInventoryProbe probe(FixtureHost(testing::FixturePath("linux-ubuntu2204-arm64")),
                            std::make_unique<FakeRunningKernel>());
  EXPECT_EQ(probe.Collect().architecture, "aarch64");
}

TEST(LinuxInventoryProbe, IsUnknownNamingThePathsWhenOsReleaseIsMissing) {
  const std::filesystem::path root = testing::FixturePath("linux-minimal");
  LinuxInventoryProbe probe(FixtureHost(root), nullptr);
  const facts::Inventory inventory = probe.Collect();
  EXPECT_EQ(inventory.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_EQ(inventory.meta.status.reason,
            "no os-release: cannot read /etc/os-release under root " + root.string() +
                ": No such file or directory; cannot read /usr/lib/os-release under root " +
                root.string() + ": No such file or directory");
  EXPECT_EQ(inventory.hostname, "build-container");
  EXPECT_EQ(inventory.os_family, facts::OsFamily::kLinux);
  EXPECT_EQ(inventory.os_id, "");
  EXPECT_FALSE(inventory.memory_bytes.has_value());
  EXPECT_FALSE(inventory.boot_time.has_value());
  EXPECT_TRUE(inventory.interfaces.empty());
  EXPECT_EQ(inventory.meta.collected_at, kNow);
}

TEST(LinuxInventoryProbe, IsUnknownWhenTheRootDoesNotExist) {
  LinuxInventoryProbe probe(FixtureHost(testing::FixturePath("no-such-tree")), nullptr);
  const facts::Inventory inventory = probe.Collect();
  EXPECT_EQ(inventory.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_THAT(inventory.meta.status.reason,
              HasSubstr("no hostname: cannot read /proc/sys/kernel/"));
  EXPECT_THAT(inventory.meta.status.reason, HasSubstr("no os-release: "));
}

TEST(LinuxInventoryProbe, IsAnErrorWhenOsReleaseIsUnreadable) {
  const ScratchRoot root;
  root.Write("etc/hostname", "pc-03\n");
  std::filesystem::create_directories(root.path() / "etc/os-release");
  root.Write("usr/lib/os-release", "# nothing assigned\n");
  LinuxInventoryProbe probe(FixtureHost(root.path()), nullptr);
  const facts::Inventory inventory = probe.Collect();
  EXPECT_EQ(inventory.meta.status.state, facts::ProbeState::kError);
  EXPECT_EQ(inventory.meta.status.reason, "no os-release: cannot read /etc/os-release under root " +
                                              root.path().string() +
                                              ": Is a directory; /usr/lib/os-release under root " +
                                              root.path().string() + " holds no valid os-release");
  EXPECT_EQ(inventory.hostname, "pc-03");
}

TEST(LinuxInventoryProbe, RefusesFilesLargerThanTheCap) {
  const ScratchRoot root;
  root.Write("etc/hostname", "pc-04\n");
  root.Write("etc/os-release", "ID=debian\n" + std::string(2 * 1024 * 1024, '#') + "\n");
  LinuxInventoryProbe probe(FixtureHost(root.path()), nullptr);
  const facts::Inventory inventory = probe.Collect();
  EXPECT_EQ(inventory.meta.status.state, facts::ProbeState::kError);
  EXPECT_THAT(inventory.meta.status.reason,
              HasSubstr("cannot read /etc/os-release under root " + root.path().string() +
                        ": larger than 1048576 bytes"));
}

TEST(LinuxInventoryProbe, IsAnErrorWhenTheHostnameIsGarbage) {
  const ScratchRoot root;
  root.Write("etc/hostname", "not a hostname\n");
  root.Write("etc/os-release", "ID=debian\n");
  LinuxInventoryProbe probe(FixtureHost(root.path()), nullptr);
  const facts::Inventory inventory = probe.Collect();
  EXPECT_EQ(inventory.meta.status.state, facts::ProbeState::kError);
  EXPECT_THAT(
      inventory.meta.status.reason,
      HasSubstr("/etc/hostname under root " + root.path().string() + " holds no valid hostname"));
  EXPECT_EQ(inventory.hostname, "");
}

// The real machine: only what is true on any Linux host (this one is a container without most of
// /sys).
TEST(LinuxInventoryProbe, ReadsTheRealHostThroughMakeHostProbes) {
  ProbeRegistry probes = MakeHostProbes(ProbeEnvironment{});
  ASSERT_NE(probes.inventory, nullptr);
  const facts::Inventory inventory = probes.inventory->Collect();
  EXPECT_FALSE(inventory.hostname.empty());
  EXPECT_EQ(inventory.os_family, facts::OsFamily::kLinux);
  EXPECT_FALSE(inventory.kernel_version.empty());
  EXPECT_FALSE(inventory.architecture.empty());
  EXPECT_TRUE(inventory.meta.collected_at.has_value());
}

}  // namespace
}  // namespace mamori::platform
