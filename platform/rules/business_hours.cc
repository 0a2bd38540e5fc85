// The clinic's business hours on a fixed UTC offset. Every computation shifts a UTC instant to
// local wall time (an instant plus the offset, still a sys_seconds) and works in local days, so a
// day is always 24 hours: exact for Japan, which has no daylight saving time.
#include "platform/rules/business_hours.h"

#include <algorithm>
#include <cstdio>

namespace mamori::rules {
namespace {

using std::chrono::days;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_days;

// One stretch of business time within a day, as minutes after local midnight: [begin, end).
struct Span {
  minutes begin;
  minutes end;
};

// The business spans of a weekday that is open: the morning and afternoon around lunch, or the
// whole day. A lunch outside open..close (hand-built hours; the policy parser refuses it) is
// clipped to the day.
std::vector<Span> SpansOfOpenDay(const BusinessHours& hours) {
  if (hours.close <= hours.open) {
    return {};
  }
  if (!hours.lunch_start || !hours.lunch_end || *hours.lunch_end <= *hours.lunch_start) {
    return {{hours.open, hours.close}};
  }
  std::vector<Span> spans;
  const minutes lunch_start = std::clamp(*hours.lunch_start, hours.open, hours.close);
  const minutes lunch_end = std::clamp(*hours.lunch_end, hours.open, hours.close);
  if (hours.open < lunch_start) {
    spans.push_back({hours.open, lunch_start});
  }
  if (lunch_end < hours.close) {
    spans.push_back({lunch_end, hours.close});
  }
  return spans;
}

// The clinic's calendar, built once per call: the open day's spans and the holidays sorted for
// binary search (the policy stores them sorted, hand-built hours may not).
class Calendar {
 public:
  explicit Calendar(const BusinessHours& hours)
      : hours_(hours), spans_(SpansOfOpenDay(hours)), holidays_(hours.holidays) {
    std::sort(holidays_.begin(), holidays_.end());
  }

  facts::Timestamp ToLocal(facts::Timestamp utc) const { return utc + hours_.utc_offset; }
  facts::Timestamp ToUtc(facts::Timestamp local) const { return local - hours_.utc_offset; }

  // The spans of one local day: none on a closed weekday or a holiday.
  const std::vector<Span>& SpansOf(sys_days day) const {
    static const std::vector<Span> kClosed;
    const unsigned weekday = std::chrono::weekday(day).c_encoding();
    if (!hours_.days[weekday] ||
        std::binary_search(holidays_.begin(), holidays_.end(), LocalDate(day))) {
      return kClosed;
    }
    return spans_;
  }

 private:
  const BusinessHours& hours_;
  std::vector<Span> spans_;
  std::vector<LocalDate> holidays_;
};

// Japan since 1951, and every real offset, lies within UTC-12:00..UTC+14:00.
constexpr minutes kMaxOffset{14 * 60};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<minutes> ParseUtcOffset(std::string_view time_zone) {
  if (time_zone == "Asia/Tokyo" || time_zone == "Japan" || time_zone == "JST") {
    return minutes{9 * 60};
  }
  if (time_zone == "UTC" || time_zone == "Etc/UTC") {
    return minutes{0};
  }
  // "+09:00", "-03:30": exactly a sign, two digits, a colon and two digits.
  if (time_zone.size() != 6 || (time_zone[0] != '+' && time_zone[0] != '-') ||
      !IsDigit(time_zone[1]) || !IsDigit(time_zone[2]) || time_zone[3] != ':' ||
      !IsDigit(time_zone[4]) || !IsDigit(time_zone[5])) {
    return std::nullopt;
  }
  const int hour = (time_zone[1] - '0') * 10 + (time_zone[2] - '0');
  const int minute = (time_zone[4] - '0') * 10 + (time_zone[5] - '0');
  const minutes offset{hour * 60 + minute};
  if (minute > 59 || offset > kMaxOffset) {
    return std::nullopt;
  }
  return time_zone[0] == '-' ? -offset : offset;
}

bool IsBusinessTime(const BusinessHours& hours, facts::Timestamp t) {
  const Calendar calendar(hours);
  const facts::Timestamp local = calendar.ToLocal(t);
  const sys_days day = std::chrono::floor<days>(local);
  const seconds time_of_day = local - day;
  for (const Span& span : calendar.SpansOf(day)) {
    if (time_of_day >= span.begin && time_of_day < span.end) {
      return true;
    }
  }
  return false;
}

seconds BusinessTimeBetween(const BusinessHours& hours, facts::Timestamp from,
                            facts::Timestamp to) {
  if (to <= from) {
    return seconds{0};
  }
  const Calendar calendar(hours);
  const facts::Timestamp local_from = calendar.ToLocal(from);
  const facts::Timestamp local_to = calendar.ToLocal(to);
  seconds total{0};
  for (sys_days day = std::chrono::floor<days>(local_from); day <= local_to; day += days{1}) {
    for (const Span& span : calendar.SpansOf(day)) {
      const facts::Timestamp begin = std::max<facts::Timestamp>(day + span.begin, local_from);
      const facts::Timestamp end = std::min<facts::Timestamp>(day + span.end, local_to);
      if (begin < end) {
        total += end - begin;
      }
    }
  }
  return total;
}

facts::Timestamp OutsideHoursSince(const BusinessHours& hours, facts::Timestamp t) {
  if (IsBusinessTime(hours, t)) {
    return t;
  }
  const Calendar calendar(hours);
  const facts::Timestamp local = calendar.ToLocal(t);
  const sys_days today = std::chrono::floor<days>(local);
  // The latest end of a business span at or before `t`: a close, or a lunch start.
  constexpr days kLookBack{31};
  for (sys_days day = today; day >= today - kLookBack; day -= days{1}) {
    const std::vector<Span>& spans = calendar.SpansOf(day);
    for (auto span = spans.rbegin(); span != spans.rend(); ++span) {
      const facts::Timestamp end = day + span->end;
      if (end <= local) {
        return calendar.ToUtc(std::max<facts::Timestamp>(end, local - kLookBack));
      }
    }
  }
  // No business time in the last 31 days (a long closure, or no business day at all): the
  // stretch is as old as we look.
  return calendar.ToUtc(local - kLookBack);
}

std::string LocalTimeText(const BusinessHours& hours, facts::Timestamp t) {
  const facts::Timestamp local = t + hours.utc_offset;
  const sys_days day = std::chrono::floor<days>(local);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss time{std::chrono::floor<minutes>(local - day)};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u %02d:%02d", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()));
  return buffer;
}

}  // namespace mamori::rules
