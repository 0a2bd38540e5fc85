#include "platform/parse/windows_time.h"

#include <gtest/gtest.h>

#include <chrono>
#include <limits>

namespace mamori::parse {
namespace {

using std::chrono::seconds;

// 2024-10-15 03:34:56 UTC.
constexpr facts::Timestamp kOctober15{seconds(1728963296)};

TEST(WindowsFileTime, ConvertsTicksSince1601ToUtcSeconds) {
  // 133734368960000000 ticks = 2024-10-15 03:34:56 UTC; sub-second ticks are dropped.
  EXPECT_EQ(FromFileTime(133734368960000000ULL), kOctober15);
  EXPECT_EQ(FromFileTime(133734368969999999ULL), kOctober15);
  EXPECT_EQ(FromFileTime(116444736000000000ULL), facts::Timestamp(seconds(0)));
}

TEST(WindowsFileTime, TreatsZeroAndTheFarFutureAsNotSet) {
  EXPECT_FALSE(FromFileTime(0).has_value());
  EXPECT_FALSE(FromFileTime(std::numeric_limits<uint64_t>::max()).has_value());
}

TEST(WindowsUnixSeconds, TreatsZeroAsNeverAndRejectsNegativeValues) {
  EXPECT_EQ(FromUnixSeconds(1728963296), kOctober15);
  EXPECT_FALSE(FromUnixSeconds(0).has_value());
  EXPECT_FALSE(FromUnixSeconds(-1).has_value());
}

TEST(WindowsOleDate, ConvertsDaysSince1899ToUtcSeconds) {
  // 45580 days after 1899-12-30 is 2024-10-15; 0.149259259... of a day is 03:34:56.
  EXPECT_EQ(FromOleDate(45580.0 + (3 * 3600 + 34 * 60 + 56) / 86400.0), kOctober15);
  EXPECT_EQ(FromOleDate(25569.0), facts::Timestamp(seconds(0)));  // 1970-01-01
}

TEST(WindowsOleDate, TreatsUnsetNegativeAndNonFiniteDatesAsNotSet) {
  EXPECT_FALSE(FromOleDate(0.0).has_value());
  EXPECT_FALSE(FromOleDate(-1.5).has_value());
  EXPECT_FALSE(FromOleDate(std::numeric_limits<double>::quiet_NaN()).has_value());
  EXPECT_FALSE(FromOleDate(std::numeric_limits<double>::infinity()).has_value());
  EXPECT_FALSE(FromOleDate(3.0e6).has_value());
}

TEST(CimDatetime, AppliesTheOffsetInMinutesEastOfUtc) {
  EXPECT_EQ(ParseCimDatetime("20241015123456.000000+540"), kOctober15);  // Japan, UTC+9
  EXPECT_EQ(ParseCimDatetime("20241015033456.123456+000"), kOctober15);
  EXPECT_EQ(ParseCimDatetime("20241014223456.000000-300"), kOctober15);
}

TEST(CimDatetime, RejectsUnspecifiedFieldsIntervalsAndImpossibleDates) {
  EXPECT_FALSE(ParseCimDatetime("2024101512****.000000+540").has_value());
  EXPECT_FALSE(ParseCimDatetime("00000001000000.000000:000").has_value());  // an interval
  EXPECT_FALSE(ParseCimDatetime("20240230123456.000000+540").has_value());
  EXPECT_FALSE(ParseCimDatetime("20241015243456.000000+540").has_value());
  EXPECT_FALSE(ParseCimDatetime("20241015123456.000000+999").has_value());
  EXPECT_FALSE(ParseCimDatetime("20241015123456+540").has_value());
  EXPECT_FALSE(ParseCimDatetime("").has_value());
}

TEST(RegistryDate, ReadsYyyymmddAsMidnightUtc) {
  EXPECT_EQ(ParseYyyymmdd("20241015"), facts::Timestamp(seconds(1728950400)));
}

TEST(RegistryDate, RejectsOtherShapes) {
  EXPECT_FALSE(ParseYyyymmdd("2024-10-15").has_value());
  EXPECT_FALSE(ParseYyyymmdd("20241315").has_value());
  EXPECT_FALSE(ParseYyyymmdd("2024101").has_value());
  EXPECT_FALSE(ParseYyyymmdd("00000000").has_value());
  EXPECT_FALSE(ParseYyyymmdd("２０２４１０１５").has_value());
}

}  // namespace
}  // namespace mamori::parse
