// RFC 3339 formatting and parsing with std::chrono calendar types (no locale, no time zone
// database: both behave the same under mingw-w64 and glibc).
#include "platform/facts/rfc3339.h"

#include <cstdio>

namespace mamori::facts {
namespace {

std::string Format(Timestamp time, const char* pattern) {
  const auto day_start = std::chrono::floor<std::chrono::days>(time);
  const std::chrono::year_month_day date{day_start};
  const std::chrono::hh_mm_ss clock{time - day_start};
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, pattern, static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return buffer;
}

bool Digits(std::string_view text, std::size_t at, std::size_t count, int& value) {
  if (at + count > text.size()) {
    return false;
  }
  value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return false;
    }
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace

std::string FormatRfc3339(Timestamp time) { return Format(time, "%04d-%02u-%02uT%02d:%02d:%02dZ"); }

std::string FormatJapanTime(Timestamp time) {
  std::string text = Format(time + std::chrono::hours{9}, "%04d-%02u-%02u %02d:%02d:%02d");
  return text.substr(0, 16) + " JST";
}

std::optional<Timestamp> ParseRfc3339(std::string_view text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!Digits(text, 0, 4, y) || text.size() < 20 || text[4] != '-' || !Digits(text, 5, 2, mo) ||
      text[7] != '-' || !Digits(text, 8, 2, d) || (text[10] != 'T' && text[10] != 't') ||
      !Digits(text, 11, 2, h) || text[13] != ':' || !Digits(text, 14, 2, mi) || text[16] != ':' ||
      !Digits(text, 17, 2, s)) {
    return std::nullopt;
  }
  std::size_t at = 19;
  if (text[at] == '.') {
    ++at;
    const std::size_t digits_start = at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      ++at;
    }
    if (at == digits_start) {
      return std::nullopt;
    }
  }
  std::chrono::seconds offset{0};
  if (at < text.size() && (text[at] == 'Z' || text[at] == 'z') && at + 1 == text.size()) {
    // UTC
  } else if (at + 6 == text.size() && (text[at] == '+' || text[at] == '-') && text[at + 3] == ':') {
    int oh = 0, om = 0;
    if (!Digits(text, at + 1, 2, oh) || !Digits(text, at + 4, 2, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset = std::chrono::hours{oh} + std::chrono::minutes{om};
    if (text[at] == '-') {
      offset = -offset;
    }
  } else {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year{y},
                                         std::chrono::month{static_cast<unsigned>(mo)},
                                         std::chrono::day{static_cast<unsigned>(d)}};
  // Second 60 (a leap second) is folded into the next minute's 00 by the arithmetic below.
  if (!date.ok() || h > 23 || mi > 59 || s > 60) {
    return std::nullopt;
  }
  return Timestamp{std::chrono::sys_days{date}} + std::chrono::hours{h} + std::chrono::minutes{mi} +
         std::chrono::seconds{s} - offset;
}

}  // namespace mamori::facts
