#include "platform/parse/apt_history.h"

#include <gtest/gtest.h>

namespace mamori::parse {
namespace {

using std::chrono::local_days;
using namespace std::chrono_literals;

constexpr auto kNov25 = std::chrono::year(2026) / std::chrono::November / 25;

TEST(AptHistoryParser, ReadsTheDateFormatAptWrites) {
  EXPECT_EQ(ParseAptHistoryDate("2026-11-25  15:16:37"), local_days(kNov25) + 15h + 16min + 37s);
  EXPECT_EQ(ParseAptHistoryDate("2026-11-25 15:16:37"), local_days(kNov25) + 15h + 16min + 37s);
}

TEST(AptHistoryParser, RejectsDatesThatAreNotOnTheCalendar) {
  EXPECT_FALSE(ParseAptHistoryDate("2026-02-30  10:00:00").has_value());
  EXPECT_FALSE(ParseAptHistoryDate("2026-11-25  25:00:00").has_value());
  EXPECT_FALSE(ParseAptHistoryDate("2026-11-25").has_value());
  EXPECT_FALSE(ParseAptHistoryDate("yesterday afternoon").has_value());
  EXPECT_FALSE(ParseAptHistoryDate("").has_value());
}

TEST(AptHistoryParser, ReturnsTheEndOfTheLastBlockThatUpgradedPackages) {
  const auto last = ParseAptHistoryLastUpgrade(
      "\nStart-Date: 2026-11-20  09:00:00\n"
      "Commandline: /usr/bin/unattended-upgrade\n"
      "Upgrade: libssl3:amd64 (3.0.19-1~deb12u2, 3.0.22-1~deb12u2)\n"
      "End-Date: 2026-11-20  09:00:30\n"
      "\nStart-Date: 2026-11-25  15:16:16\n"
      "Commandline: apt-get install -y wine\n"
      "Install: wine:amd64 (8.0~repack-4)\n"
      "End-Date: 2026-11-25  15:16:37\n");
  EXPECT_EQ(last, local_days(std::chrono::year(2026) / std::chrono::November / 20) + 9h + 30s);
}

TEST(AptHistoryParser, IgnoresABlockThatNeverEnded) {
  const auto last = ParseAptHistoryLastUpgrade(
      "Start-Date: 2026-11-20  09:00:00\nUpgrade: a:amd64 (1, 2)\nEnd-Date: 2026-11-20  09:01:00\n"
      "Start-Date: 2026-11-25  09:00:00\nUpgrade: b:amd64 (1, 2)\n");
  EXPECT_EQ(last, local_days(std::chrono::year(2026) / std::chrono::November / 20) + 9h + 1min);
}

TEST(AptHistoryParser, ReturnsNothingWithoutAnyUpgrade) {
  EXPECT_FALSE(ParseAptHistoryLastUpgrade("").has_value());
  EXPECT_FALSE(ParseAptHistoryLastUpgrade("Start-Date: 2026-11-25  15:16:16\nInstall: x (1)\n"
                                          "End-Date: 2026-11-25  15:16:37\n")
                   .has_value());
  EXPECT_FALSE(ParseAptHistoryLastUpgrade("Upgrade: x (1, 2)\nEnd-Date: 2026-11-25  15:16:37\n")
                   .has_value());
  EXPECT_FALSE(ParseAptHistoryLastUpgrade("Start-Date: x\nUpgrade: a (1, 2)\nEnd-Date: bogus\n")
                   .has_value());
}

}  // namespace
}  // namespace mamori::parse
