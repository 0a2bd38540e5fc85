#include "platform/parse/boot_time.h"

#include <gtest/gtest.h>

namespace mamori::parse {
namespace {

using std::chrono::seconds;

TEST(ProcStatBootTimeParser, ReadsBtimeAsSecondsSinceTheEpoch) {
  EXPECT_EQ(ParseProcStatBootTime("cpu  1 2 3\nctxt 10\nbtime 1730790000\nprocesses 5\n"),
            facts::Timestamp(seconds(1730790000)));
}

TEST(ProcStatBootTimeParser, ReturnsNothingWithoutAValidBtime) {
  EXPECT_FALSE(ParseProcStatBootTime("cpu 1 2 3\n").has_value());
  EXPECT_FALSE(ParseProcStatBootTime("btime\n").has_value());
  EXPECT_FALSE(ParseProcStatBootTime("btime -5\n").has_value());
  EXPECT_FALSE(ParseProcStatBootTime("btime 99999999999999999999\n").has_value());
  EXPECT_FALSE(ParseProcStatBootTime("xbtime 1730790000\n").has_value());
}

TEST(UptimeParser, TruncatesTheFirstFieldToWholeSeconds) {
  EXPECT_EQ(ParseUptime("350735.97 234388.90\n"), seconds(350735));
}

TEST(UptimeParser, AcceptsAWholeNumber) { EXPECT_EQ(ParseUptime("42"), seconds(42)); }

TEST(UptimeParser, RejectsMalformedText) {
  EXPECT_FALSE(ParseUptime("").has_value());
  EXPECT_FALSE(ParseUptime("abc 1.0").has_value());
  EXPECT_FALSE(ParseUptime("12. 1.0").has_value());
  EXPECT_FALSE(ParseUptime("-3.5 1.0").has_value());
}

}  // namespace
}  // namespace mamori::parse
