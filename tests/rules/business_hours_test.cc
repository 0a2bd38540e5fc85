// The clinic's business hours: which moments are business time, how much of it lies in a span,
// where an outside-hours stretch began, and the local wall time shown to people.
#include "platform/rules/business_hours.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

namespace mamori::rules {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// A wall-clock time in Japan (UTC+09:00) as the UTC instant the rules receive.
facts::Timestamp Jst(int year, unsigned month, unsigned day, int hour, int minute) {
  const std::chrono::sys_days date{std::chrono::year{year} / std::chrono::month{month} /
                                   std::chrono::day{day}};
  return facts::Timestamp{date} + hours{hour} + minutes{minute} - hours{9};
}

LocalDate Date(int year, unsigned month, unsigned day) {
  return std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day};
}

// Monday to Friday 08:30-18:30 with lunch 12:30-14:00, closed on 勤労感謝の日 (Monday 2026-11-23)
// and over the year end.
BusinessHours Clinic() {
  BusinessHours clinic;
  clinic.lunch_start = minutes{12 * 60 + 30};
  clinic.lunch_end = minutes{14 * 60};
  clinic.holidays = {Date(2026, 11, 23), Date(2026, 12, 29), Date(2026, 12, 30), Date(2026, 12, 31),
                     Date(2027, 1, 1),   Date(2027, 1, 2),   Date(2027, 1, 3)};
  return clinic;
}

TEST(UtcOffset, KnowsJapanByItsNamesAndUtc) {
  EXPECT_EQ(ParseUtcOffset("Asia/Tokyo"), minutes{540});
  EXPECT_EQ(ParseUtcOffset("Japan"), minutes{540});
  EXPECT_EQ(ParseUtcOffset("JST"), minutes{540});
  EXPECT_EQ(ParseUtcOffset("UTC"), minutes{0});
  EXPECT_EQ(ParseUtcOffset("Etc/UTC"), minutes{0});
}

TEST(UtcOffset, ReadsSignedHoursAndMinutes) {
  EXPECT_EQ(ParseUtcOffset("+09:00"), minutes{540});
  EXPECT_EQ(ParseUtcOffset("-03:30"), minutes{-210});
  EXPECT_EQ(ParseUtcOffset("+05:45"), minutes{345});
  EXPECT_EQ(ParseUtcOffset("+00:00"), minutes{0});
  EXPECT_EQ(ParseUtcOffset("+14:00"), minutes{840});
}

TEST(UtcOffset, RefusesWhatItDoesNotKnowInsteadOfFallingBackToUtc) {
  for (const char* zone : {"", "Europe/Paris", "Tokyo", "asia/tokyo", "+9:00", "+0900", "09:00",
                           "+09:60", "+15:00", "+09:00 ", "-1a:00"}) {
    EXPECT_EQ(ParseUtcOffset(zone), std::nullopt) << '"' << zone << '"';
  }
}

TEST(BusinessTime, IsOpenOnAWeekdayFromOpenUntilJustBeforeClose) {
  const BusinessHours clinic = Clinic();
  EXPECT_FALSE(IsBusinessTime(clinic, Jst(2026, 11, 25, 8, 29)));
  EXPECT_TRUE(IsBusinessTime(clinic, Jst(2026, 11, 25, 8, 30)));
  EXPECT_TRUE(IsBusinessTime(clinic, Jst(2026, 11, 25, 10, 0)));
  EXPECT_TRUE(IsBusinessTime(clinic, Jst(2026, 11, 25, 18, 29)));
  EXPECT_TRUE(IsBusinessTime(clinic, Jst(2026, 11, 25, 18, 29) + seconds{59}));
  EXPECT_FALSE(IsBusinessTime(clinic, Jst(2026, 11, 25, 18, 30)));
  EXPECT_FALSE(IsBusinessTime(clinic, Jst(2026, 11, 25, 23, 0)));
  EXPECT_FALSE(IsBusinessTime(clinic, Jst(2026, 11, 25, 3, 0)));
}

TEST(BusinessTime, IsClosedDuringLunch) {
  const BusinessHours clinic = Clinic();
  EXPECT_TRUE(IsBusinessTime(clinic, Jst(2026, 11, 25, 12, 29)));
  EXPECT_FALSE(IsBusinessTime(clinic, Jst(2026, 11, 25, 12, 30)));
  EXPECT_FALSE(IsBusinessTime(clinic, Jst(2026, 11, 25, 13, 59)));
  EXPECT_TRUE(IsBusinessTime(clinic, Jst(2026, 11, 25, 14, 0)));
}

TEST(BusinessTime, IsClosedAtWeekendsAndOnHolidays) {
  const BusinessHours clinic = Clinic();
  EXPECT_FALSE(IsBusinessTime(clinic, Jst(2026, 11, 28, 10, 0)));  // Saturday
  EXPECT_FALSE(IsBusinessTime(clinic, Jst(2026, 11, 29, 10, 0)));  // Sunday
  EXPECT_FALSE(IsBusinessTime(clinic, Jst(2026, 11, 23, 10, 0)));  // 勤労感謝の日, a Monday
  EXPECT_TRUE(IsBusinessTime(clinic, Jst(2026, 11, 24, 10, 0)));
  EXPECT_FALSE(IsBusinessTime(clinic, Jst(2026, 12, 29, 10, 0)));  // year end, a Tuesday
}

TEST(BusinessTime, FollowsTheConfiguredDays) {
  BusinessHours clinic = Clinic();
  clinic.days = {false, true, true, true, false, true, true};  // closed Thursday, open Saturday
  EXPECT_FALSE(IsBusinessTime(clinic, Jst(2026, 11, 26, 10, 0)));
  EXPECT_TRUE(IsBusinessTime(clinic, Jst(2026, 11, 28, 10, 0)));
}

TEST(BusinessTime, UsesTheLocalDateNotTheUtcDate) {
  // Monday 2026-11-30 08:45 JST is still Sunday 23:45 in UTC.
  EXPECT_TRUE(IsBusinessTime(Clinic(), Jst(2026, 11, 30, 8, 45)));
  BusinessHours utc = Clinic();
  utc.time_zone = "UTC";
  utc.utc_offset = minutes{0};
  EXPECT_FALSE(IsBusinessTime(utc, Jst(2026, 11, 30, 8, 45)));
  EXPECT_TRUE(IsBusinessTime(utc, Jst(2026, 11, 30, 19, 0)));  // 10:00 UTC on Monday
}

TEST(BusinessTimeBetween, CountsMinutesWithinOneDayAroundLunch) {
  const BusinessHours clinic = Clinic();
  EXPECT_EQ(BusinessTimeBetween(clinic, Jst(2026, 11, 25, 10, 0), Jst(2026, 11, 25, 10, 7)),
            minutes{7});
  EXPECT_EQ(BusinessTimeBetween(clinic, Jst(2026, 11, 25, 12, 0), Jst(2026, 11, 25, 14, 30)),
            minutes{60});
  EXPECT_EQ(BusinessTimeBetween(clinic, Jst(2026, 11, 25, 0, 0), Jst(2026, 11, 26, 0, 0)),
            minutes{8 * 60 + 30});
}

TEST(BusinessTimeBetween, IsZeroForAnEmptyOrBackwardSpan) {
  const BusinessHours clinic = Clinic();
  EXPECT_EQ(BusinessTimeBetween(clinic, Jst(2026, 11, 25, 10, 0), Jst(2026, 11, 25, 10, 0)),
            seconds{0});
  EXPECT_EQ(BusinessTimeBetween(clinic, Jst(2026, 11, 25, 11, 0), Jst(2026, 11, 25, 10, 0)),
            seconds{0});
}

TEST(BusinessTimeBetween, SkipsAWeekend) {
  // Friday 17:30 to Monday 09:30: an hour before the Friday close and one after the Monday open.
  EXPECT_EQ(BusinessTimeBetween(Clinic(), Jst(2026, 11, 27, 17, 30), Jst(2026, 11, 30, 9, 30)),
            hours{2});
}

TEST(BusinessTimeBetween, SkipsAHolidayMonday) {
  // Sunday noon to Tuesday 09:30 across 勤労感謝の日: only Tuesday's first hour.
  EXPECT_EQ(BusinessTimeBetween(Clinic(), Jst(2026, 11, 22, 12, 0), Jst(2026, 11, 24, 9, 30)),
            hours{1});
  // The year-end closure and the New Year weekend hold no business time at all.
  EXPECT_EQ(BusinessTimeBetween(Clinic(), Jst(2026, 12, 28, 18, 30), Jst(2027, 1, 4, 8, 30)),
            seconds{0});
}

TEST(BusinessTimeBetween, StepsThroughLongSpansByDay) {
  // Four ordinary weeks (2027-02-01 is a Monday): 20 days of 8 h 30 min.
  EXPECT_EQ(BusinessTimeBetween(Clinic(), Jst(2027, 2, 1, 0, 0), Jst(2027, 3, 1, 0, 0)),
            minutes{20 * (8 * 60 + 30)});
  // Ten years pass without trouble.
  EXPECT_GT(BusinessTimeBetween(Clinic(), Jst(2020, 1, 1, 0, 0), Jst(2030, 1, 1, 0, 0)),
            hours{20000});
}

TEST(BusinessTimeBetween, AcceptsHolidaysInAnyOrder) {
  BusinessHours clinic = Clinic();
  clinic.holidays = {Date(2026, 11, 26), Date(2026, 11, 24)};
  EXPECT_EQ(BusinessTimeBetween(clinic, Jst(2026, 11, 23, 0, 0), Jst(2026, 11, 28, 0, 0)),
            minutes{3 * (8 * 60 + 30)});
}

TEST(OutsideHoursSince, IsTheSameDaysCloseInTheEvening) {
  EXPECT_EQ(OutsideHoursSince(Clinic(), Jst(2026, 11, 25, 19, 10)), Jst(2026, 11, 25, 18, 30));
  EXPECT_EQ(OutsideHoursSince(Clinic(), Jst(2026, 11, 25, 18, 30)), Jst(2026, 11, 25, 18, 30));
}

TEST(OutsideHoursSince, IsThePreviousCloseBeforeOpening) {
  EXPECT_EQ(OutsideHoursSince(Clinic(), Jst(2026, 11, 25, 7, 0)), Jst(2026, 11, 24, 18, 30));
}

TEST(OutsideHoursSince, IsFridaysCloseOnAMondayMorningAfterAWeekend) {
  EXPECT_EQ(OutsideHoursSince(Clinic(), Jst(2026, 11, 30, 8, 0)), Jst(2026, 11, 27, 18, 30));
  EXPECT_EQ(OutsideHoursSince(Clinic(), Jst(2026, 11, 28, 12, 0)), Jst(2026, 11, 27, 18, 30));
  // A holiday Monday extends the stretch back to Friday too.
  EXPECT_EQ(OutsideHoursSince(Clinic(), Jst(2026, 11, 24, 8, 0)), Jst(2026, 11, 20, 18, 30));
}

TEST(OutsideHoursSince, IsTheLunchStartDuringLunch) {
  EXPECT_EQ(OutsideHoursSince(Clinic(), Jst(2026, 11, 25, 13, 0)), Jst(2026, 11, 25, 12, 30));
}

TEST(OutsideHoursSince, IsTheMomentItselfInBusinessTime) {
  EXPECT_EQ(OutsideHoursSince(Clinic(), Jst(2026, 11, 25, 10, 0)), Jst(2026, 11, 25, 10, 0));
}

TEST(OutsideHoursSince, LooksBackAtMost31Days) {
  BusinessHours never_open = Clinic();
  never_open.days = {};
  const facts::Timestamp t = Jst(2026, 11, 25, 10, 0);
  EXPECT_EQ(OutsideHoursSince(never_open, t), t - days{31});
  // The year-end closure is far shorter: the stretch starts at the last close before it.
  EXPECT_EQ(OutsideHoursSince(Clinic(), Jst(2027, 1, 3, 22, 0)), Jst(2026, 12, 28, 18, 30));
}

TEST(LocalTimeText, ShowsTheLocalWallTimeToTheMinute) {
  EXPECT_EQ(LocalTimeText(Clinic(), Jst(2026, 11, 27, 19, 10) + seconds{59}), "2026-11-27 19:10");
  EXPECT_EQ(LocalTimeText(Clinic(), Jst(2026, 11, 28, 0, 30)), "2026-11-28 00:30");
  BusinessHours utc = Clinic();
  utc.utc_offset = minutes{0};
  EXPECT_EQ(LocalTimeText(utc, Jst(2026, 11, 28, 0, 30)), "2026-11-27 15:30");
}

}  // namespace
}  // namespace mamori::rules
