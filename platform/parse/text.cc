// Shared helpers for the pure parsers.
#include "platform/parse/text.h"

#include <charconv>
#include <system_error>

namespace mamori::parse {

std::string_view TrimAsciiWhitespace(std::string_view text) {
  constexpr std::string_view kWhitespace = " \t\r\n";
  const std::size_t first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) {
    return {};
  }
  const std::size_t last = text.find_last_not_of(kWhitespace);
  return text.substr(first, last - first + 1);
}

std::optional<uint64_t> ParseDecimal(std::string_view digits) {
  if (digits.empty()) {
    return std::nullopt;
  }
  for (const char c : digits) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
  }
  uint64_t value = 0;
  const char* end = digits.data() + digits.size();
  const auto [ptr, ec] = std::from_chars(digits.data(), end, value);
  if (ec != std::errc() || ptr != end) {
    return std::nullopt;
  }
  return value;
}

std::optional<KeyValue> SplitKeyValue(std::string_view line, char separator) {
  const std::size_t at = line.find(separator);
  if (at == std::string_view::npos) {
    return std::nullopt;
  }
  return KeyValue{TrimAsciiWhitespace(line.substr(0, at)),
                  TrimAsciiWhitespace(line.substr(at + 1))};
}

}  // namespace mamori::parse
