#include "platform/parse/windows_update.h"

#include <gtest/gtest.h>

#include <chrono>

namespace mamori::parse {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::year;

facts::Timestamp Midnight(int y, unsigned m, unsigned d) {
  return facts::Timestamp(sys_days(year{y} / month{m} / day{d}));
}

TEST(FindKbArticle, FindsTheKbInAJapaneseCumulativeUpdateTitle) {
  EXPECT_EQ(
      FindKbArticle("2024-10 x64 ベース システム用 Windows 11 Version 23H2 の累積更新プログラム "
                    "(KB5044285)"),
      "KB5044285");
}

TEST(FindKbArticle, FindsTheKbInACabinetFileName) {
  EXPECT_EQ(FindKbArticle(R"(\\?\C:\Windows\SoftwareDistribution\Download\x\Windows10.0-KB5044273-)"
                          R"(x64.cab)"),
            "KB5044273");
  EXPECT_EQ(
      FindKbArticle("Microsoft Defender Antivirus のセキュリティ インテリジェンス更新プログラム - "
                    "kb2267602 (バージョン 1.419.1.0)"),
      "KB2267602");
}

TEST(FindKbArticle, IgnoresKbInsideWordsAndNumbersOfTheWrongLength) {
  EXPECT_EQ(FindKbArticle("Windows Malicious Software Removal Tool x64 - v5.128"), "");
  EXPECT_EQ(FindKbArticle("FeedbackKB5044285"), "");
  EXPECT_EQ(FindKbArticle("(KB12345)"), "");
  EXPECT_EQ(FindKbArticle("(KB123456789)"), "");
  EXPECT_EQ(FindKbArticle("KB"), "");
  EXPECT_EQ(FindKbArticle(""), "");
}

TEST(FindKbArticle, TakesTheFirstOfSeveral) {
  EXPECT_EQ(FindKbArticle("KB890830 then KB5044285"), "KB890830");
}

TEST(ParseRollupFixPackage, ReadsBuildAndRevisionFromTheVersion) {
  const auto package =
      ParseRollupFixPackage("Package_for_RollupFix~31bf3856ad364e35~amd64~~19041.5073.1.10");
  ASSERT_TRUE(package.has_value());
  EXPECT_EQ(package->build, 19041u);
  EXPECT_EQ(package->revision, 5073u);
  EXPECT_EQ(package->BuildText(), "19041.5073");
}

TEST(ParseRollupFixPackage, OrdersPackagesByBuildThenRevision) {
  const auto older =
      ParseRollupFixPackage("Package_for_RollupFix~31bf3856ad364e35~amd64~~22621.4169.1.11");
  const auto newer =
      ParseRollupFixPackage("package_for_rollupfix~31bf3856ad364e35~amd64~~22621.4317.1.8");
  ASSERT_TRUE(older && newer);
  EXPECT_LT(*older, *newer);
}

TEST(ParseRollupFixPackage, RejectsOtherPackagesAndBrokenVersions) {
  EXPECT_FALSE(
      ParseRollupFixPackage("Package_for_KB5043935~31bf3856ad364e35~amd64~~19041.4894.1.1"));
  EXPECT_FALSE(ParseRollupFixPackage("Package_for_RollupFix~31bf3856ad364e35~amd64~~"));
  EXPECT_FALSE(ParseRollupFixPackage("Package_for_RollupFix~31bf3856ad364e35~amd64~~19041"));
  EXPECT_FALSE(ParseRollupFixPackage("Package_for_RollupFix~31bf3856ad364e35~amd64~~x.5073.1.1"));
  EXPECT_FALSE(ParseRollupFixPackage("Package_for_RollupFix~"));
  EXPECT_FALSE(ParseRollupFixPackage(""));
}

TEST(IsCbsStateInstalled, AcceptsInstalledAndPermanentOnly) {
  EXPECT_TRUE(IsCbsStateInstalled(0x70));
  EXPECT_TRUE(IsCbsStateInstalled(0x80));
  EXPECT_FALSE(IsCbsStateInstalled(0x50));  // superseded
  EXPECT_FALSE(IsCbsStateInstalled(0x60));  // install pending
  EXPECT_FALSE(IsCbsStateInstalled(0x65));  // partially installed
  EXPECT_FALSE(IsCbsStateInstalled(0));
}

TEST(ParseQfeInstalledOn, ReadsMonthFirstDates) {
  EXPECT_EQ(ParseQfeInstalledOn("10/15/2024"), Midnight(2024, 10, 15));
  EXPECT_EQ(ParseQfeInstalledOn("3/7/2023"), Midnight(2023, 3, 7));
}

TEST(ParseQfeInstalledOn, ReadsDayFirstOnlyWhenTheFirstNumberCannotBeAMonth) {
  EXPECT_EQ(ParseQfeInstalledOn("15/10/2024"), Midnight(2024, 10, 15));
  EXPECT_EQ(ParseQfeInstalledOn("15.10.2024"), Midnight(2024, 10, 15));
}

TEST(ParseQfeInstalledOn, ReadsYearFirstDates) {
  EXPECT_EQ(ParseQfeInstalledOn("2024/10/15"), Midnight(2024, 10, 15));
  EXPECT_EQ(ParseQfeInstalledOn("2024-10-15"), Midnight(2024, 10, 15));
  EXPECT_EQ(ParseQfeInstalledOn("20241015"), Midnight(2024, 10, 15));
}

TEST(ParseQfeInstalledOn, ReadsAHexFileTime) {
  // 0x01DB1F2D00000000 ticks since 1601 = 2024-10-15 18:06 UTC, from a Windows 7 era hotfix
  // installer.
  const auto installed = ParseQfeInstalledOn("01db1f2d00000000");
  ASSERT_TRUE(installed.has_value());
  EXPECT_EQ(std::chrono::floor<std::chrono::days>(*installed), sys_days(year{2024} / 10 / 15));
  EXPECT_EQ(ParseQfeInstalledOn("01DB1F2D00000000"), installed);
}

TEST(ParseQfeInstalledOn, RejectsEmptyAndMalformedText) {
  EXPECT_EQ(ParseQfeInstalledOn(""), std::nullopt);
  EXPECT_EQ(ParseQfeInstalledOn("   "), std::nullopt);
  EXPECT_EQ(ParseQfeInstalledOn("13/13/2024"), std::nullopt);
  EXPECT_EQ(ParseQfeInstalledOn("2/30/2024"), std::nullopt);
  EXPECT_EQ(ParseQfeInstalledOn("10/15/24"), std::nullopt);
  EXPECT_EQ(ParseQfeInstalledOn("10/15-2024"), std::nullopt);
  EXPECT_EQ(ParseQfeInstalledOn("1/2/3/2024"), std::nullopt);
  EXPECT_EQ(ParseQfeInstalledOn("0000000000000000"), std::nullopt);
  EXPECT_EQ(ParseQfeInstalledOn("01db1f2d0000000g"), std::nullopt);
  EXPECT_EQ(ParseQfeInstalledOn("10/15/0001"), std::nullopt);
  EXPECT_EQ(ParseQfeInstalledOn("2024年10月15日"), std::nullopt);
}

TEST(DecodeUpdateHistory, DecodesOperationsAndResults) {
  EXPECT_EQ(DecodeUpdateOperation(1), UpdateOperation::kInstallation);
  EXPECT_EQ(DecodeUpdateOperation(2), UpdateOperation::kUninstallation);
  EXPECT_EQ(DecodeUpdateOperation(7), UpdateOperation::kUnknown);
  EXPECT_EQ(DecodeOperationResult(2), OperationResult::kSucceeded);
  EXPECT_EQ(DecodeOperationResult(3), OperationResult::kSucceededWithErrors);
  EXPECT_EQ(DecodeOperationResult(4), OperationResult::kFailed);
  EXPECT_EQ(DecodeOperationResult(5), OperationResult::kAborted);
  EXPECT_EQ(DecodeOperationResult(-1), OperationResult::kUnknown);
  EXPECT_EQ(OperationResultName(OperationResult::kSucceededWithErrors), "succeeded with errors");
  EXPECT_EQ(OperationResultName(OperationResult::kUnknown), "unknown result");
}

TEST(DecodeUpdateHistory, CountsOnlyInstallsThatTookEffect) {
  EXPECT_TRUE(IsSuccessfulInstall(1, 2));
  EXPECT_TRUE(IsSuccessfulInstall(1, 3));
  EXPECT_FALSE(IsSuccessfulInstall(1, 4));
  EXPECT_FALSE(IsSuccessfulInstall(1, 5));
  EXPECT_FALSE(IsSuccessfulInstall(1, 1));
  EXPECT_FALSE(IsSuccessfulInstall(2, 2));  // an uninstall
}

TEST(IsSecurityUpdate, TrustsASeverityRating) {
  EXPECT_TRUE(IsSecurityUpdate("Critical", {}));
  EXPECT_TRUE(IsSecurityUpdate("Important", {"e6cf1350-c01b-414d-a61f-263d14d133b4"}));
}

TEST(IsSecurityUpdate, TrustsTheSecurityUpdatesClassificationInAnyCase) {
  EXPECT_TRUE(IsSecurityUpdate("", {"0FA1201D-4330-4FA8-8AE9-B877473B6441"}));
  EXPECT_TRUE(IsSecurityUpdate(
      "", {"72e7624a-5b00-45d2-b92f-e561c0a6a160", "{0fa1201d-4330-4fa8-8ae9-b877473b6441}"}));
}

TEST(IsSecurityUpdate, CallsUnratedUpdatesOfOtherClassesNotSecurity) {
  // Critical Updates, Definition Updates: important, but not security fixes.
  EXPECT_FALSE(IsSecurityUpdate("", {"e6cf1350-c01b-414d-a61f-263d14d133b4"}));
  EXPECT_FALSE(IsSecurityUpdate("  ", {"e0789628-ce08-4437-be74-2495b842f43b"}));
  EXPECT_FALSE(IsSecurityUpdate("", {}));
}

TEST(DescribeUpdateHresult, NamesCommonFailures) {
  EXPECT_EQ(DescribeUpdateHresult(0x80070422),
            "0x80070422 (ERROR_SERVICE_DISABLED: the Windows Update service is disabled)");
  EXPECT_EQ(DescribeUpdateHresult(0x8024402C),
            "0x8024402C (WU_E_PT_WINHTTP_NAME_NOT_RESOLVED: no DNS or proxy)");
  EXPECT_EQ(DescribeUpdateHresult(0x80004001), "0x80004001 (E_NOTIMPL)");
  EXPECT_EQ(DescribeUpdateHresult(0x8024FFFF), "0x8024FFFF");
  EXPECT_EQ(DescribeUpdateHresult(0), "0x00000000");
}

}  // namespace
}  // namespace mamori::parse
