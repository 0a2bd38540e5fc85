#include "platform/parse/clamav_database.h"

#include <gtest/gtest.h>

#include <string>

namespace mamori::parse {
namespace {

using namespace std::chrono_literals;

constexpr auto kNov25 = std::chrono::year(2026) / std::chrono::November / 25;

std::string Header(std::string_view fields) {
  std::string header(fields);
  header.resize(kClamAvHeaderBytes, ' ');
  return header + std::string("\x1f\x8b binary payload", 17);
}

TEST(ClamAvDatabaseParser, ReadsTheBuildTimeAndVersionOfADailyDatabase) {
  const auto header = ParseClamAvDatabaseHeader(
      Header("ClamAV-VDB:25 Nov 2026 07-13 +0000:27100:2071234:90:0123456789abcdef:sig:raynman:"
             "1795590780"));
  ASSERT_TRUE(header.has_value());
  EXPECT_EQ(header->built_at, std::chrono::sys_days(kNov25) + 7h + 13min);
  EXPECT_EQ(header->version, "27100");
}

TEST(ClamAvDatabaseParser, ConvertsTheBuildTimeZoneToUtc) {
  EXPECT_EQ(ParseClamAvBuildTime("25 Nov 2026 09-13 +0900"), std::chrono::sys_days(kNov25) + 13min);
  EXPECT_EQ(ParseClamAvBuildTime("25 Nov 2026 07-13 -0130"),
            std::chrono::sys_days(kNov25) + 8h + 43min);
  EXPECT_EQ(ParseClamAvBuildTime("5 Jan 2025 00-00 +0000"),
            std::chrono::sys_days(std::chrono::year(2025) / std::chrono::January / 5));
}

TEST(ClamAvDatabaseParser, KeepsTheDatabaseButNoTimeWhenTheDateIsBogus) {
  const auto header =
      ParseClamAvDatabaseHeader(Header("ClamAV-VDB:31 Feb 2026 99-99 +0000:27100:1"));
  ASSERT_TRUE(header.has_value());
  EXPECT_FALSE(header->built_at.has_value());
  EXPECT_EQ(header->version, "27100");
}

TEST(ClamAvDatabaseParser, RejectsMalformedBuildTimes) {
  EXPECT_FALSE(ParseClamAvBuildTime("").has_value());
  EXPECT_FALSE(ParseClamAvBuildTime("25 Foo 2026 07-13 +0000").has_value());
  EXPECT_FALSE(ParseClamAvBuildTime("25 Nov 2026 07:13 +0000").has_value());
  EXPECT_FALSE(ParseClamAvBuildTime("25 Nov 2026 07-13 UTC").has_value());
  EXPECT_FALSE(ParseClamAvBuildTime("25 Nov 2026 24-00 +0000").has_value());
  EXPECT_FALSE(ParseClamAvBuildTime("25 Nov 2026 07-13 +9900").has_value());
  EXPECT_FALSE(ParseClamAvBuildTime("250 Nov 2026 07-13 +0000").has_value());
  EXPECT_FALSE(ParseClamAvBuildTime("25 Nov 99999 07-13 +0000").has_value());
}

TEST(ClamAvDatabaseParser, RejectsFilesThatAreNotClamAvDatabases) {
  EXPECT_FALSE(ParseClamAvDatabaseHeader("").has_value());
  EXPECT_FALSE(ParseClamAvDatabaseHeader("PK\x03\x04").has_value());
  EXPECT_FALSE(ParseClamAvDatabaseHeader("clamav-vdb:25 Nov 2026 07-13 +0000:1").has_value());
}

TEST(ClamAvDatabaseParser, LooksOnlyAtTheFixedSizeHeader) {
  std::string padded(kClamAvHeaderBytes, ' ');
  padded.replace(0, 11, "ClamAV-VDB:");
  padded += "25 Nov 2026 07-13 +0000:27100";
  const auto header = ParseClamAvDatabaseHeader(padded);
  ASSERT_TRUE(header.has_value());
  EXPECT_FALSE(header->built_at.has_value());
}

}  // namespace
}  // namespace mamori::parse
