// The end-of-support table: the releases clinics run, matched by edition and build.
#include <gtest/gtest.h>

#include "platform/rules/end_of_support.h"

namespace mamori::rules {
namespace {

using std::chrono::year;
using std::chrono::year_month_day;

facts::Inventory Windows(std::string edition, std::string build, std::string name = "") {
  facts::Inventory inventory;
  inventory.os_family = facts::OsFamily::kWindows;
  inventory.os_id = std::move(edition);
  inventory.os_build = std::move(build);
  inventory.os_name = std::move(name);
  return inventory;
}

facts::Inventory Linux(std::string id, std::string version) {
  facts::Inventory inventory;
  inventory.os_family = facts::OsFamily::kLinux;
  inventory.os_id = std::move(id);
  inventory.os_version = std::move(version);
  return inventory;
}

year_month_day Ends(const facts::Inventory& inventory) {
  const std::optional<EndOfSupport> found = FindEndOfSupport(inventory);
  return found ? found->ends : year_month_day{};
}

TEST(EndOfSupport, Windows10Ended20251014ForEveryGeneralAvailabilityEdition) {
  for (const char* edition : {"Core", "Professional", "Enterprise", "Education", "ProfessionalN"}) {
    EXPECT_EQ(Ends(Windows(edition, "19045.5073")), year{2025} / 10 / 14) << edition;
  }
}

TEST(EndOfSupport, LtscEditionsHaveTheirOwnDates) {
  EXPECT_EQ(Ends(Windows("EnterpriseS", "17763.6414")), year{2029} / 1 / 9);
  EXPECT_EQ(Ends(Windows("EnterpriseS", "19044")), year{2027} / 1 / 12);
  EXPECT_EQ(Ends(Windows("IoTEnterpriseS", "19044")), year{2032} / 1 / 13);
  EXPECT_EQ(Ends(Windows("EnterpriseS", "26100")), year{2029} / 10 / 9);
  EXPECT_EQ(Ends(Windows("IoTEnterpriseS", "26100")), year{2034} / 10 / 10);
}

TEST(EndOfSupport, Windows11VersionsDifferBetweenHomeProAndEnterpriseEducation) {
  EXPECT_EQ(Ends(Windows("Professional", "22631.4460")), year{2025} / 11 / 11);
  EXPECT_EQ(Ends(Windows("Enterprise", "22631.4460")), year{2026} / 11 / 10);
  EXPECT_EQ(Ends(Windows("Core", "26100")), year{2026} / 10 / 13);
  EXPECT_EQ(Ends(Windows("Education", "26100")), year{2027} / 10 / 12);
}

TEST(EndOfSupport, WindowsServerIsRecognisedByName) {
  EXPECT_EQ(Ends(Windows("ServerStandard", "17763", "Windows Server 2019 Standard")),
            year{2029} / 1 / 9);
  EXPECT_EQ(Ends(Windows("ServerDatacenter", "20348", "Windows Server 2022 Datacenter")),
            year{2031} / 10 / 14);
}

TEST(EndOfSupport, LinuxReleasesByOsReleaseIdAndVersion) {
  EXPECT_EQ(Ends(Linux("debian", "10")), year{2024} / 6 / 30);
  EXPECT_EQ(Ends(Linux("debian", "11")), year{2026} / 8 / 31);
  EXPECT_EQ(Ends(Linux("debian", "12")), year{2028} / 6 / 30);
  EXPECT_EQ(Ends(Linux("ubuntu", "20.04")), year{2025} / 5 / 31);
  EXPECT_EQ(Ends(Linux("ubuntu", "22.04")), year{2027} / 6 / 30);
  EXPECT_EQ(Ends(Linux("ubuntu", "24.04")), year{2029} / 5 / 31);
}

TEST(EndOfSupport, UnknownReleasesAreNotGuessed) {
  EXPECT_FALSE(FindEndOfSupport(Linux("ubuntu", "23.10")).has_value());
  EXPECT_FALSE(FindEndOfSupport(Windows("Professional", "")).has_value());
  EXPECT_FALSE(FindEndOfSupport(Windows("Professional", "garbage")).has_value());
}

}  // namespace
}  // namespace mamori::rules
