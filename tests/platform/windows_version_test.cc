#include "platform/parse/windows_version.h"

#include <gtest/gtest.h>

#include "tests/platform/fake_registry.h"

namespace mamori::parse {
namespace {

WindowsVersionValues Windows(std::string product_name, std::string build) {
  WindowsVersionValues values;
  values.product_name = std::move(product_name);
  values.current_build = std::move(build);
  return values;
}

TEST(WindowsReleaseName, CallsBuild22000AndLaterWindows11DespiteProductName) {
  EXPECT_EQ(DescribeWindowsRelease(Windows("Windows 10 Pro", "22631")).name, "Windows 11 Pro");
  EXPECT_EQ(DescribeWindowsRelease(Windows("Windows 10 Pro", "22000")).name, "Windows 11 Pro");
  EXPECT_EQ(DescribeWindowsRelease(Windows("Windows 10 IoT Enterprise LTSC 2024", "26100")).name,
            "Windows 11 IoT Enterprise LTSC 2024");
}

TEST(WindowsReleaseName, KeepsWindows10BelowBuild22000) {
  EXPECT_EQ(DescribeWindowsRelease(Windows("Windows 10 Pro", "19045")).name, "Windows 10 Pro");
  EXPECT_EQ(DescribeWindowsRelease(Windows("Windows 10 Enterprise LTSC 2021", "21999")).name,
            "Windows 10 Enterprise LTSC 2021");
}

TEST(WindowsReleaseName, LeavesServerProductsAlone) {
  EXPECT_EQ(DescribeWindowsRelease(Windows("Windows Server 2025 Standard", "26100")).name,
            "Windows Server 2025 Standard");
  EXPECT_EQ(DescribeWindowsRelease(Windows("Windows Server 2022 Datacenter", "20348")).name,
            "Windows Server 2022 Datacenter");
}

TEST(WindowsReleaseName, KeepsTheNameWhenTheBuildIsUnreadable) {
  EXPECT_EQ(DescribeWindowsRelease(Windows("Windows 10 Pro", "")).name, "Windows 10 Pro");
  EXPECT_EQ(DescribeWindowsRelease(Windows("Windows 10 Pro", "22631x")).name, "Windows 10 Pro");
}

TEST(WindowsReleaseName, ReplacesOnlyTheWholeWordWindows10) {
  EXPECT_EQ(DescribeWindowsRelease(Windows("Windows 100 Pro", "22631")).name, "Windows 100 Pro");
}

TEST(WindowsRelease, JoinsBuildAndUpdateRevision) {
  WindowsVersionValues values = Windows("Windows 10 Pro", "19045");
  values.ubr = 5073;
  EXPECT_EQ(DescribeWindowsRelease(values).build, "19045.5073");
  values.ubr.reset();
  EXPECT_EQ(DescribeWindowsRelease(values).build, "19045");
}

TEST(WindowsRelease, PrefersDisplayVersionOverReleaseId) {
  WindowsVersionValues values = Windows("Windows 10 Pro", "19045");
  values.release_id = "2009";
  EXPECT_EQ(DescribeWindowsRelease(values).version, "2009");
  values.display_version = "22H2";
  EXPECT_EQ(DescribeWindowsRelease(values).version, "22H2");
}

TEST(WindowsRelease, BuildsTheKernelVersionFromMajorMinorAndBuild) {
  WindowsVersionValues values = Windows("Windows 10 Pro", "22631");
  EXPECT_EQ(DescribeWindowsRelease(values).kernel_version, "");
  values.major_version = 10;
  values.minor_version = 0;
  values.ubr = 4460;
  EXPECT_EQ(DescribeWindowsRelease(values).kernel_version, "10.0.22631");
}

TEST(WindowsRelease, ReadsItsValuesThroughTheRegistryReader) {
  testing::FakeRegistry registry;
  registry.SetString(kWindowsCurrentVersionKey, "ProductName", "Windows 10 Pro")
      .SetString(kWindowsCurrentVersionKey, "EditionID", "Professional")
      .SetString(kWindowsCurrentVersionKey, "DisplayVersion", "23H2")
      .SetString(kWindowsCurrentVersionKey, "CurrentBuild", "22631")
      .SetDword(kWindowsCurrentVersionKey, "UBR", 4460)
      .SetDword(kWindowsCurrentVersionKey, "CurrentMajorVersionNumber", 10)
      .SetDword(kWindowsCurrentVersionKey, "CurrentMinorVersionNumber", 0);
  const WindowsRelease release = DescribeWindowsRelease(ReadWindowsVersionValues(registry));
  EXPECT_EQ(release.id, "Professional");
  EXPECT_EQ(release.name, "Windows 11 Pro");
  EXPECT_EQ(release.version, "23H2");
  EXPECT_EQ(release.pretty_name, "Windows 11 Pro 23H2");
  EXPECT_EQ(release.build, "22631.4460");
  EXPECT_EQ(release.kernel_version, "10.0.22631");
}

TEST(WindowsRelease, FallsBackToCurrentBuildNumber) {
  testing::FakeRegistry registry;
  registry.SetString(kWindowsCurrentVersionKey, "CurrentBuildNumber", "17763");
  EXPECT_EQ(ReadWindowsVersionValues(registry).current_build, "17763");
}

TEST(WindowsRelease, LeavesEverythingEmptyWhenTheKeyIsAbsent) {
  testing::FakeRegistry registry;
  EXPECT_EQ(DescribeWindowsRelease(ReadWindowsVersionValues(registry)), WindowsRelease{});
}

}  // namespace
}  // namespace mamori::parse
