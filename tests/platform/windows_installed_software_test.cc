// Installed software from fake Uninstall keys: runs on every OS.
#include "platform/windows/installed_software.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "platform/parse/windows_time.h"
#include "tests/platform/fake_registry.h"

namespace mamori::platform {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;

std::string Entry(std::string_view root, std::string_view name) {
  return std::string(root) + "\\" + std::string(name);
}

TEST(WindowsInstalledSoftware, ReadsNameVersionPublisherAndInstallDate) {
  testing::FakeRegistry registry;
  const std::string key = Entry(kUninstallKey, "{6E2B3C1A-0000-4000-8000-000000000001}");
  registry.SetString(key, "DisplayName", "電子カルテ クライアント")
      .SetString(key, "DisplayVersion", "5.2.1")
      .SetString(key, "Publisher", "株式会社メディカルソフト")
      .SetString(key, "InstallDate", "20240131");
  const std::vector<facts::InstalledSoftware> software = ListInstalledSoftware(registry);
  ASSERT_EQ(software.size(), 1u);
  EXPECT_EQ(software[0].name, "電子カルテ クライアント");
  EXPECT_EQ(software[0].version, "5.2.1");
  EXPECT_EQ(software[0].publisher, "株式会社メディカルソフト");
  EXPECT_EQ(software[0].installed_at, parse::ParseYyyymmdd("20240131"));
  ASSERT_TRUE(software[0].installed_at.has_value());
}

TEST(WindowsInstalledSoftware, ReadsBothRegistryViewsSortedByName) {
  testing::FakeRegistry registry;
  registry.SetString(Entry(kUninstallKey, "7-Zip"), "DisplayName", "7-Zip 23.01 (x64)")
      .SetString(Entry(kUninstallWow64Key, "AcroRead"), "DisplayName", "Adobe Acrobat Reader")
      .SetString(Entry(kUninstallKey, "Zoom"), "DisplayName", "Zoom Workplace");
  EXPECT_THAT(ListInstalledSoftware(registry),
              ElementsAre(Field(&facts::InstalledSoftware::name, "7-Zip 23.01 (x64)"),
                          Field(&facts::InstalledSoftware::name, "Adobe Acrobat Reader"),
                          Field(&facts::InstalledSoftware::name, "Zoom Workplace")));
}

TEST(WindowsInstalledSoftware, SkipsSystemComponentsUpdatesAndNamelessEntries) {
  testing::FakeRegistry registry;
  registry.SetString(Entry(kUninstallKey, "VC"), "DisplayName", "Microsoft Visual C++ Runtime")
      .SetDword(Entry(kUninstallKey, "VC"), "SystemComponent", 1)
      .SetString(Entry(kUninstallKey, "KB1"), "DisplayName", "Security Update for Office (KB1)")
      .SetString(Entry(kUninstallKey, "KB1"), "ParentKeyName", "Office16.PROPLUS")
      .SetString(Entry(kUninstallKey, "Blank"), "DisplayName", "   ")
      .SetString(Entry(kUninstallKey, "NoName"), "DisplayVersion", "1.0")
      .SetString(Entry(kUninstallKey, "Shown"), "DisplayName", "Shown")
      .SetDword(Entry(kUninstallKey, "Shown"), "SystemComponent", 0);
  EXPECT_THAT(ListInstalledSoftware(registry),
              ElementsAre(Field(&facts::InstalledSoftware::name, "Shown")));
}

TEST(WindowsInstalledSoftware, ReportsAProgramListedInBothViewsOnce) {
  testing::FakeRegistry registry;
  for (const std::string_view root : {kUninstallKey, kUninstallWow64Key}) {
    registry.SetString(Entry(root, "{A}"), "DisplayName", "レセコン連携ツール")
        .SetString(Entry(root, "{A}"), "DisplayVersion", "2.0");
  }
  EXPECT_EQ(ListInstalledSoftware(registry).size(), 1u);
}

TEST(WindowsInstalledSoftware, LeavesAMalformedInstallDateUnset) {
  testing::FakeRegistry registry;
  registry.SetString(Entry(kUninstallKey, "X"), "DisplayName", "X")
      .SetString(Entry(kUninstallKey, "X"), "InstallDate", "2024/01/31");
  const std::vector<facts::InstalledSoftware> software = ListInstalledSoftware(registry);
  ASSERT_EQ(software.size(), 1u);
  EXPECT_EQ(software[0].installed_at, std::nullopt);
}

TEST(WindowsInstalledSoftware, IsEmptyWithoutUninstallKeys) {
  testing::FakeRegistry registry;
  EXPECT_THAT(ListInstalledSoftware(registry), IsEmpty());
}

}  // namespace
}  // namespace mamori::platform
