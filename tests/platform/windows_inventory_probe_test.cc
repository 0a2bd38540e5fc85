// Runs on the mingw-w64 build under Wine: the system calls are Wine's, the registry and WMI fakes
// or Wine's own.
#include "platform/windows/inventory_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "platform/parse/windows_version.h"
#include "platform/windows/installed_software.h"
#include "tests/platform/fake_registry.h"
#include "tests/platform/fake_wmi.h"
#include "tests/platform/fixture.h"

namespace mamori::platform {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr std::string_view kCimV2 = R"(ROOT\CIMV2)";
constexpr std::string_view kComputerSystemQuery =
    "SELECT Manufacturer, Model FROM Win32_ComputerSystem";
constexpr std::string_view kBiosQuery = "SELECT SerialNumber FROM Win32_BIOS";

const facts::Timestamp kNow{std::chrono::seconds(1750000000)};

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

// A desktop PC as its firmware describes itself (padded, as firmware strings often are).
std::unique_ptr<testing::FakeWmi> FujitsuDesktop() {
  auto wmi = std::make_unique<testing::FakeWmi>();
  wmi->Answer(kCimV2, kComputerSystemQuery,
              {{{"Manufacturer", std::string("FUJITSU CLIENT COMPUTING LIMITED")},
                {"Model", std::string("ESPRIMO D7012/L ")}}})
      .Answer(kCimV2, kBiosQuery, {{{"SerialNumber", std::string("  YMGF012345")}}});
  return wmi;
}

TEST(WindowsInventoryProbe, NamesWindows11FromTheRegistryValues) {
  WindowsInventoryProbe probe(testing::FixedTimeEnvironment({}, kNow), Windows11Pro(),
                              FujitsuDesktop());
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

TEST(WindowsInventoryProbe, ReadsTheHardwareFromWmi) {
  WindowsInventoryProbe probe(testing::FixedTimeEnvironment({}, kNow), Windows11Pro(),
                              FujitsuDesktop());
  const facts::Inventory inventory = probe.Collect();
  EXPECT_EQ(inventory.hardware.manufacturer, "FUJITSU CLIENT COMPUTING LIMITED");
  EXPECT_EQ(inventory.hardware.model, "ESPRIMO D7012/L");
  EXPECT_EQ(inventory.hardware.serial_number, "YMGF012345");
}

TEST(WindowsInventoryProbe, LeavesHardwareEmptyAndTheSectionOkWhenWmiFails) {
  auto wmi = std::make_unique<testing::FakeWmi>();
  wmi->Fail(kCimV2, kComputerSystemQuery,
            R"(ConnectServer(ROOT\CIMV2) failed: 0x80041014 (WBEM_E_INITIALIZATION_FAILURE))")
      .Answer(kCimV2, kBiosQuery, {{{"SerialNumber", std::string("5CD1234XYZ")}}});
  WindowsInventoryProbe probe(testing::FixedTimeEnvironment({}, kNow), Windows11Pro(),
                              std::move(wmi));
  const facts::Inventory inventory = probe.Collect();
  EXPECT_EQ(inventory.meta.status.state, facts::ProbeState::kOk);
  EXPECT_EQ(inventory.meta.status.reason,
            "hardware model not read: Win32_ComputerSystem: ConnectServer(ROOT\\CIMV2) failed: "
            "0x80041014 (WBEM_E_INITIALIZATION_FAILURE)");
  EXPECT_EQ(inventory.hardware.manufacturer, "");
  EXPECT_EQ(inventory.hardware.model, "");
  EXPECT_EQ(inventory.hardware.serial_number, "5CD1234XYZ");
  EXPECT_EQ(inventory.os_name, "Windows 11 Pro");
}

TEST(WindowsInventoryProbe, ListsInstalledSoftwareWithJapaneseNames) {
  std::unique_ptr<testing::FakeRegistry> registry = Windows11Pro();
  const std::string entry =
      std::string(kUninstallKey) + R"(\{0A1B2C3D-0000-4000-8000-00000000ABCD})";
  registry->SetString(entry, "DisplayName", "ORCA 日医標準レセプトソフト クライアント")
      .SetString(entry, "DisplayVersion", "5.2.0")
      .SetString(entry, "Publisher", "日本医師会");
  WindowsInventoryProbe probe(testing::FixedTimeEnvironment({}, kNow), std::move(registry),
                              FujitsuDesktop());
  const facts::Inventory inventory = probe.Collect();
  ASSERT_EQ(inventory.software.size(), 1u);
  EXPECT_EQ(inventory.software[0].name, "ORCA 日医標準レセプトソフト クライアント");
  EXPECT_EQ(inventory.software[0].version, "5.2.0");
  EXPECT_EQ(inventory.software[0].publisher, "日本医師会");
}

TEST(WindowsInventoryProbe, ReadsTheRunningSystem) {
  WindowsInventoryProbe probe(testing::FixedTimeEnvironment({}, kNow), Windows11Pro(),
                              FujitsuDesktop());
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
  WindowsInventoryProbe probe(testing::FixedTimeEnvironment({}, kNow),
                              std::make_unique<testing::FakeRegistry>(), FujitsuDesktop());
  const facts::Inventory inventory = probe.Collect();
  EXPECT_EQ(inventory.meta.status.state, facts::ProbeState::kError);
  EXPECT_EQ(
      inventory.meta.status.reason,
      R"(no Windows release: cannot read ProductName under HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion)");
  EXPECT_EQ(inventory.hardware.model, "ESPRIMO D7012/L");
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
  // Wine answers Win32_ComputerSystem; what it calls the maker depends on the machine it runs on.
  EXPECT_FALSE(inventory.hardware.manufacturer.empty());
}

}  // namespace
}  // namespace mamori::platform
