// The clinic's business hours (営業時間): which moments count as "outside hours" for the idle and
// agent-silence rules. Pure: a calendar in the policy plus a fixed UTC offset, no OS time zone
// database (libstdc++ 12 and mingw have no std::chrono::tzdb; Japan has had no daylight saving
// time since 1951, so Asia/Tokyo is exactly UTC+09:00; docs/collector.md).
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/facts/host_facts.h"

namespace mamori::rules {

// A local date, e.g. a holiday "2026-12-29".
using LocalDate = std::chrono::year_month_day;

struct BusinessHours {
  std::string time_zone = "Asia/Tokyo";     // business_hours.time_zone: "Asia/Tokyo" or "+09:00"
  std::chrono::minutes utc_offset{9 * 60};  // derived from time_zone
  // business_hours.days: ["mon", "tue", ...]; index 0 is Sunday, as std::chrono::weekday.
  std::array<bool, 7> days = {false, true, true, true, true, true, false};
  std::chrono::minutes open{8 * 60 + 30};    // business_hours.open = "08:30"
  std::chrono::minutes close{18 * 60 + 30};  // business_hours.close = "18:30"; after open
  // business_hours.lunch_start / lunch_end = "12:30" / "14:00"; both or neither; inside
  // open..close.
  std::optional<std::chrono::minutes> lunch_start;
  std::optional<std::chrono::minutes> lunch_end;
  std::vector<LocalDate> holidays;  // business_hours.holidays = ["2026-12-29", ...], sorted, unique
  friend bool operator==(const BusinessHours&, const BusinessHours&) = default;
};

// "Asia/Tokyo" (and "Japan", "JST") -> +09:00; "UTC" -> 0; "+09:00" / "-03:30" -> that offset.
// Anything else is nullopt: an unknown zone name is an error, never a silent UTC.
std::optional<std::chrono::minutes> ParseUtcOffset(std::string_view time_zone);

// True when `t` falls on a business day (listed in days, not a holiday) within [open, close) and
// not within [lunch_start, lunch_end).
bool IsBusinessTime(const BusinessHours& hours, facts::Timestamp t);

// How much business time lies in [from, to) (zero when to <= from). Exact to the minute; spans of
// any length are fine (days are stepped, not minutes).
std::chrono::seconds BusinessTimeBetween(const BusinessHours& hours, facts::Timestamp from,
                                         facts::Timestamp to);

// The start of the outside-hours stretch that contains `t` (the last business close, lunch start,
// or midnight starting a non-business day run), looking back at most 31 days. Undefined meaning
// for a business time: returns `t` itself.
facts::Timestamp OutsideHoursSince(const BusinessHours& hours, facts::Timestamp t);

// "2026-11-27 19:10" in the business hours' zone (local wall time, minutes).
std::string LocalTimeText(const BusinessHours& hours, facts::Timestamp t);

}  // namespace mamori::rules
