// Shared helpers for the pure parsers.
#include "platform/parse/text.h"

#include <charconv>
#include <system_error>

namespace mamori::parse {

std::string_view TrimAsciiWhitespace(std::string_view text) {
  constexpr std::string_view kWhitespace = " \t\n\v\f\r";
  const std::size_t first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) {
    return {};
  }
  const std::size_t last = text.find_last_not_of(kWhitespace);
  return text.substr(first, last - first + 1);
}

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) {
      return false;
    }
  }
  return true;
}

bool StartsWithIgnoringAsciiCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         EqualsIgnoringAsciiCase(text.substr(0, prefix.size()), prefix);
}

bool ContainsIgnoringAsciiCase(std::string_view text, std::string_view needle) {
  for (std::size_t start = 0; start + needle.size() <= text.size(); ++start) {
    if (EqualsIgnoringAsciiCase(text.substr(start, needle.size()), needle)) {
      return true;
    }
  }
  return false;
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
