// Runs on the mingw-w64 build under Wine: the system calls are Wine's, the registry a fake or
// Wine's own.
#include "platform/windows/inventory_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "platform/parse/windows_version.h"
#include "tests/platform/fake_registry.h"

namespace mamori::platform {
namespace {

using ::testing::HasSubstr;

const facts::Timestamp kNow{std::chrono::seconds(1750000000)};

ProbeEnvironment FixedClock() {
  ProbeEnvironment env;
  env.now = [] { return kNow; };
  return env;
}

std::unique_ptr<testing::FakeRegistry> Windows11Pro() {
  auto registry = std::make_unique<testing::FakeRegistry>();
  const std::string_view key = parse::kWindowsCurrentVersionKey;
  registry->SetString(key, "ProductName", "Windows 10 Pro")
      .SetString(key, "EditionID", "Professional")
      .SetString(key, "DisplayVersion", "23H2")
      .SetString(key, "CurrentBuild", "22631")
      .SetDword(key, "UBR", 4460)
      .SetDword(key, "CurrentMajorVersionNumber", 10)
      .SetDword(key, "CurrentMinorVersionNumber", 0)
      .SetString(R"(HARDWARE\DESCRIPTION\System\CentralProcessor\0)", "ProcessorNameString",
                 "Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz   ")
      .SetString(R"(SOFTWARE\Microsoft\Cryptography)", "MachineGuid",
                 "5d1b3c7e-2f4a-4b6c-9d8e-0a1b2c3d4e5f");
  return registry;
}

TEST(WindowsInventoryProbe, NamesWindows11FromTheRegistryValues) {
  WindowsInventoryProbe probe(FixedClock(), Windows11Pro());
  const facts::Inventory inventory = probe.Collect();
  EXPECT_EQ(inventory.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(inventory.os_family, facts::OsFamily::kWindows);
  EXPECT_EQ(inventory.os_id, "Professional");
  EXPECT_EQ(inventory.os_name, "Windows 11 Pro");
  EXPECT_EQ(inventory.os_version, "23H2");
  EXPECT_EQ(inventory.os_build, "22631.4460");
  EXPECT_EQ(inventory.os_pretty_name, "Windows 11 Pro 23H2");
  EXPECT_EQ(inventory.kernel_version, "10.0.22631");
  EXPECT_EQ(inventory.cpu_model, "Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz");
  EXPECT_EQ(inventory.machine_id, "5d1b3c7e-2f4a-4b6c-9d8e-0a1b2c3d4e5f");
  EXPECT_EQ(inventory.meta.collected_at, kNow);
}

TEST(WindowsInventoryProbe, ReadsTheRunningSystem) {
  WindowsInventoryProbe probe(FixedClock(), Windows11Pro());
  const facts::Inventory inventory = probe.Collect();
  EXPECT_FALSE(inventory.hostname.empty());
  EXPECT_EQ(inventory.architecture, "x86_64");
  ASSERT_TRUE(inventory.cpu_logical_cores.has_value());
  EXPECT_GE(*inventory.cpu_logical_cores, 1u);
  ASSERT_TRUE(inventory.memory_bytes.has_value());
  EXPECT_GT(*inventory.memory_bytes, uint64_t{0});
  ASSERT_TRUE(inventory.boot_time.has_value());
  EXPECT_LE(*inventory.boot_time, kNow);
  for (const facts::NetworkInterface& adapter : inventory.interfaces) {
    EXPECT_FALSE(adapter.name.empty());
  }
}

TEST(WindowsInventoryProbe, IsAnErrorNamingTheKeyWhenTheReleaseIsUnreadable) {
  WindowsInventoryProbe probe(FixedClock(), std::make_unique<testing::FakeRegistry>());
  const facts::Inventory inventory = probe.Collect();
  EXPECT_EQ(inventory.meta.status.state, facts::ProbeState::kError);
  EXPECT_EQ(
      inventory.meta.status.reason,
      R"(no Windows release: cannot read ProductName under HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion)");
  EXPECT_EQ(inventory.os_family, facts::OsFamily::kWindows);
  EXPECT_FALSE(inventory.hostname.empty());
}

// Wine's own registry through the real reader: only what any Windows (or Wine) has.
TEST(WindowsInventoryProbe, ReadsTheRealRegistryThroughMakeHostProbes) {
  ProbeRegistry probes = MakeHostProbes(ProbeEnvironment{});
  ASSERT_NE(probes.inventory, nullptr);
  const facts::Inventory inventory = probes.inventory->Collect();
  EXPECT_EQ(inventory.meta.status, facts::ProbeStatus::Ok());
  EXPECT_FALSE(inventory.hostname.empty());
  EXPECT_EQ(inventory.os_family, facts::OsFamily::kWindows);
  EXPECT_THAT(inventory.os_name, HasSubstr("Windows"));
  EXPECT_FALSE(inventory.os_build.empty());
}

}  // namespace
}  // namespace mamori::platform
