// Parses a link-layer address.
#include "platform/parse/mac_address.h"

#include "platform/parse/text.h"

namespace mamori::parse {
namespace {

constexpr std::size_t kMaxAddressBytes = 32;  // MAX_ADDR_LEN in the kernel

std::optional<char> LowerHexDigit(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) {
    return c;
  }
  if (c >= 'A' && c <= 'F') {
    return static_cast<char>(c - 'A' + 'a');
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> ParseMacAddress(std::string_view text) {
  const std::string_view address = TrimAsciiWhitespace(text);
  // n bytes take 3n - 1 characters: "aa:bb".
  if (address.size() < 2 || address.size() > kMaxAddressBytes * 3 - 1 ||
      (address.size() + 1) % 3 != 0) {
    return std::nullopt;
  }
  std::string lower;
  lower.reserve(address.size());
  bool all_zero = true;
  for (std::size_t i = 0; i < address.size(); ++i) {
    if (i % 3 == 2) {
      if (address[i] != ':') {
        return std::nullopt;
      }
      lower += ':';
      continue;
    }
    const std::optional<char> digit = LowerHexDigit(address[i]);
    if (!digit) {
      return std::nullopt;
    }
    all_zero = all_zero && *digit == '0';
    lower += *digit;
  }
  if (all_zero) {
    return std::nullopt;
  }
  return lower;
}

}  // namespace mamori::parse
