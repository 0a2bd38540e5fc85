// Parses ClamAV database headers.
#include "platform/parse/clamav_database.h"

#include <array>
#include <chrono>
#include <cstdint>

#include "platform/parse/text.h"

namespace mamori::parse {
namespace {

constexpr std::string_view kMagic = "ClamAV-VDB:";

// Splits off the text before the first `separator`; the whole text when there is none.
std::string_view TakeField(std::string_view& text, char separator) {
  const std::size_t at = text.find(separator);
  const std::string_view field = text.substr(0, at);
  text = at == std::string_view::npos ? std::string_view() : text.substr(at + 1);
  return field;
}

std::optional<unsigned> MonthNumber(std::string_view name) {
  constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == name) {
      return static_cast<unsigned>(i + 1);
    }
  }
  return std::nullopt;
}

std::optional<uint64_t> SmallNumber(std::string_view digits, std::size_t max_width) {
  if (digits.empty() || digits.size() > max_width) {
    return std::nullopt;
  }
  return ParseDecimal(digits);
}

}  // namespace

std::optional<facts::Timestamp> ParseClamAvBuildTime(std::string_view text) {
  // "25 Nov 2026 07-13 +0000"
  const std::string_view day_text = TakeField(text, ' ');
  const std::string_view month_text = TakeField(text, ' ');
  const std::string_view year_text = TakeField(text, ' ');
  const std::string_view time_text = TakeField(text, ' ');
  const std::string_view zone_text = text;
  const auto day = SmallNumber(day_text, 2);
  const auto month = MonthNumber(month_text);
  const auto year = year_text.size() == 4 ? ParseDecimal(year_text) : std::nullopt;
  if (!day || !month || !year || time_text.size() != 5 || time_text[2] != '-' ||
      zone_text.size() != 5 || (zone_text[0] != '+' && zone_text[0] != '-')) {
    return std::nullopt;
  }
  const auto hour = SmallNumber(time_text.substr(0, 2), 2);
  const auto minute = SmallNumber(time_text.substr(3, 2), 2);
  const auto zone_hours = SmallNumber(zone_text.substr(1, 2), 2);
  const auto zone_minutes = SmallNumber(zone_text.substr(3, 2), 2);
  if (!hour || !minute || !zone_hours || !zone_minutes || *hour > 23 || *minute > 59 ||
      *zone_hours > 14 || *zone_minutes > 59) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year(static_cast<int>(*year)),
                                         std::chrono::month(*month),
                                         std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) {
    return std::nullopt;
  }
  const std::chrono::minutes offset(static_cast<int64_t>(*zone_hours * 60 + *zone_minutes));
  const facts::Timestamp local = std::chrono::sys_days(date) +
                                 std::chrono::hours(static_cast<int64_t>(*hour)) +
                                 std::chrono::minutes(static_cast<int64_t>(*minute));
  // "+0900" means local time is ahead of UTC.
  return zone_text[0] == '+' ? local - offset : local + offset;
}

std::optional<ClamAvDatabaseHeader> ParseClamAvDatabaseHeader(std::string_view header) {
  header = header.substr(0, kClamAvHeaderBytes);
  if (header.substr(0, kMagic.size()) != kMagic) {
    return std::nullopt;
  }
  header.remove_prefix(kMagic.size());
  ClamAvDatabaseHeader parsed;
  parsed.built_at = ParseClamAvBuildTime(TakeField(header, ':'));
  const std::string_view version = TakeField(header, ':');
  if (ParseDecimal(version) && version.size() <= 10) {
    parsed.version = std::string(version);
  }
  return parsed;
}

}  // namespace mamori::parse
