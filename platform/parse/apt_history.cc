// Parses /var/log/apt/history.log.
#include "platform/parse/apt_history.h"

#include <cstdint>

#include "platform/parse/text.h"

namespace mamori::parse {
namespace {

// Exactly `width` digits.
std::optional<uint64_t> FixedDigits(std::string_view text, std::size_t width) {
  if (text.size() != width) {
    return std::nullopt;
  }
  return ParseDecimal(text);
}

}  // namespace

std::optional<std::chrono::local_seconds> ParseAptHistoryDate(std::string_view text) {
  text = TrimAsciiWhitespace(text);
  // "YYYY-MM-DD" then spaces then "HH:MM:SS"
  if (text.size() < 19 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  const std::string_view time = TrimAsciiWhitespace(text.substr(10));
  if (time.size() != 8 || time[2] != ':' || time[5] != ':' || text[10] != ' ') {
    return std::nullopt;
  }
  const auto year = FixedDigits(text.substr(0, 4), 4);
  const auto month = FixedDigits(text.substr(5, 2), 2);
  const auto day = FixedDigits(text.substr(8, 2), 2);
  const auto hour = FixedDigits(time.substr(0, 2), 2);
  const auto minute = FixedDigits(time.substr(3, 2), 2);
  const auto second = FixedDigits(time.substr(6, 2), 2);
  if (!year || !month || !day || !hour || !minute || !second || *hour > 23 || *minute > 59 ||
      *second > 60) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year(static_cast<int>(*year)),
                                         std::chrono::month(static_cast<unsigned>(*month)),
                                         std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) {
    return std::nullopt;
  }
  return std::chrono::local_days(date) + std::chrono::hours(*hour) + std::chrono::minutes(*minute) +
         std::chrono::seconds(*second);
}

std::optional<std::chrono::local_seconds> ParseAptHistoryLastUpgrade(std::string_view history_log) {
  std::optional<std::chrono::local_seconds> last;
  bool in_block = false;
  bool block_upgraded = false;
  ForEachBoundedLine(history_log, [&](std::string_view line) {
    const std::optional<KeyValue> field = SplitKeyValue(line, ':');
    if (!field) {
      return;
    }
    if (field->key == "Start-Date") {
      in_block = true;
      block_upgraded = false;
    } else if (field->key == "Upgrade") {
      block_upgraded = in_block;
    } else if (field->key == "End-Date") {
      if (block_upgraded) {
        if (const auto end = ParseAptHistoryDate(field->value); end && (!last || *end > *last)) {
          last = end;
        }
      }
      in_block = false;
      block_upgraded = false;
    }
  });
  return last;
}

}  // namespace mamori::parse
