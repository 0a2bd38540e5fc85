// Shared helpers for the pure parsers: bounded line splitting and strict number parsing. Parsers
// see text from files an attacker or a broken disk may have filled, so every input is capped before
// it is looked at.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace mamori::parse {

// No parser looks past this much input: the files they read are a few KiB on real hosts.
inline constexpr std::size_t kMaxInputBytes = 1024 * 1024;
// Lines longer than this are skipped whole, never truncated into something that looks valid.
inline constexpr std::size_t kMaxLineBytes = 4096;

// Calls on_line(line) for each line of text (without its '\n' or a trailing '\r'), skipping lines
// longer than kMaxLineBytes and ignoring anything past kMaxInputBytes.
template <typename OnLine>
void ForEachBoundedLine(std::string_view text, OnLine&& on_line) {
  if (text.size() > kMaxInputBytes) {
    text = text.substr(0, kMaxInputBytes);
  }
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (line.size() <= kMaxLineBytes) {
      on_line(line);
    }
  }
}

// Strips ASCII whitespace (space, \t, \n, \v, \f, \r) from both ends.
std::string_view TrimAsciiWhitespace(std::string_view text);

// ASCII-only case folding: Windows and config-file keywords are ASCII, and locale-dependent
// std::tolower must not decide what a probe sees.
char AsciiLower(char c);
bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b);
bool StartsWithIgnoringAsciiCase(std::string_view text, std::string_view prefix);
bool ContainsIgnoringAsciiCase(std::string_view text, std::string_view needle);

// A decimal number made only of digits (no sign, no spaces); nullopt when empty, not a number or
// too big.
std::optional<uint64_t> ParseDecimal(std::string_view digits);

// Splits "key<sep>value" at the first sep and trims both halves; nullopt when sep is absent.
struct KeyValue {
  std::string_view key;
  std::string_view value;
};
std::optional<KeyValue> SplitKeyValue(std::string_view line, char separator);

}  // namespace mamori::parse
