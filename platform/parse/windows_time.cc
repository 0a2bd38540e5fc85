// Windows' time representations to UTC seconds.
#include "platform/parse/windows_time.h"

#include <chrono>
#include <cmath>

namespace mamori::parse {
namespace {

using std::chrono::days;
using std::chrono::seconds;

constexpr std::chrono::year_month_day kLastDate{std::chrono::year{9999}, std::chrono::December,
                                                std::chrono::day{31}};
constexpr facts::Timestamp kLatest = std::chrono::sys_days(kLastDate) + days(1) - seconds(1);

// Seconds between 1601-01-01 and 1970-01-01.
constexpr int64_t kFileTimeEpochOffsetSeconds = 11644473600;
constexpr uint64_t kFileTimeTicksPerSecond = 10'000'000;

// The unsigned decimal number that fills `text` exactly; nullopt otherwise.
std::optional<int> Digits(std::string_view text) {
  int value = 0;
  if (text.empty()) {
    return std::nullopt;
  }
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

std::optional<std::chrono::sys_days> CalendarDay(int year, int month, int day) {
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) {
    return std::nullopt;
  }
  return std::chrono::sys_days(date);
}

}  // namespace

std::optional<facts::Timestamp> FromFileTime(uint64_t ticks_since_1601) {
  if (ticks_since_1601 == 0) {
    return std::nullopt;
  }
  const auto since_1601 = static_cast<int64_t>(ticks_since_1601 / kFileTimeTicksPerSecond);
  const facts::Timestamp at{seconds(since_1601 - kFileTimeEpochOffsetSeconds)};
  if (at > kLatest) {
    return std::nullopt;
  }
  return at;
}

std::optional<facts::Timestamp> FromUnixSeconds(int64_t since_epoch) {
  if (since_epoch <= 0) {
    return std::nullopt;
  }
  const facts::Timestamp at{seconds(since_epoch)};
  if (at > kLatest) {
    return std::nullopt;
  }
  return at;
}

std::optional<facts::Timestamp> FromOleDate(double days_since_1899_12_30) {
  constexpr double kLastOleDay = 2958465.0;  // 9999-12-31
  if (!std::isfinite(days_since_1899_12_30) || days_since_1899_12_30 <= 0.0 ||
      days_since_1899_12_30 >= kLastOleDay + 1.0) {
    return std::nullopt;
  }
  constexpr std::chrono::sys_days kOleEpoch{std::chrono::year_month_day{
      std::chrono::year{1899}, std::chrono::December, std::chrono::day{30}}};
  // Rounded to the nearest second: DATE's double cannot hold every second exactly.
  const auto since_epoch = static_cast<int64_t>(std::llround(days_since_1899_12_30 * 86400.0));
  return facts::Timestamp(kOleEpoch) + seconds(since_epoch);
}

std::optional<facts::Timestamp> ParseCimDatetime(std::string_view text) {
  // yyyymmddHHMMSS.mmmmmmsUUU: 14 digits, '.', 6 digits, sign, 3 digits.
  if (text.size() != 25 || text[14] != '.' || (text[21] != '+' && text[21] != '-')) {
    return std::nullopt;
  }
  const auto year = Digits(text.substr(0, 4));
  const auto month = Digits(text.substr(4, 2));
  const auto day = Digits(text.substr(6, 2));
  const auto hour = Digits(text.substr(8, 2));
  const auto minute = Digits(text.substr(10, 2));
  const auto second = Digits(text.substr(12, 2));
  const auto micros = Digits(text.substr(15, 6));
  const auto offset = Digits(text.substr(22, 3));
  if (!year || !month || !day || !hour || !minute || !second || !micros || !offset || *hour > 23 ||
      *minute > 59 || *second > 59 || *offset > 14 * 60) {
    return std::nullopt;
  }
  const auto date = CalendarDay(*year, *month, *day);
  if (!date) {
    return std::nullopt;
  }
  const facts::Timestamp local = facts::Timestamp(*date) + std::chrono::hours(*hour) +
                                 std::chrono::minutes(*minute) + seconds(*second);
  const std::chrono::minutes east{text[21] == '+' ? *offset : -*offset};
  return local - east;
}

std::optional<facts::Timestamp> ParseYyyymmdd(std::string_view text) {
  if (text.size() != 8) {
    return std::nullopt;
  }
  const auto year = Digits(text.substr(0, 4));
  const auto month = Digits(text.substr(4, 2));
  const auto day = Digits(text.substr(6, 2));
  if (!year || !month || !day || *year < 1970) {
    return std::nullopt;
  }
  const auto date = CalendarDay(*year, *month, *day);
  if (!date) {
    return std::nullopt;
  }
  return facts::Timestamp(*date);
}

}  // namespace mamori::parse
