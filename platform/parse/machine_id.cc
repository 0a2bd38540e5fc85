// Parses /etc/machine-id.
#include "platform/parse/machine_id.h"

#include "platform/parse/text.h"

namespace mamori::parse {

std::optional<std::string> ParseMachineId(std::string_view text) {
  constexpr std::size_t kHexDigits = 32;
  const std::string_view id = TrimAsciiWhitespace(text);
  if (id.size() != kHexDigits) {
    return std::nullopt;
  }
  std::string lower;
  lower.reserve(kHexDigits);
  for (const char c : id) {
    if (c >= '0' && c <= '9') {
      lower += c;
    } else if (c >= 'a' && c <= 'f') {
      lower += c;
    } else if (c >= 'A' && c <= 'F') {
      lower += static_cast<char>(c - 'A' + 'a');
    } else {
      return std::nullopt;
    }
  }
  // All zeros is what a wiped template image carries; it identifies nothing.
  if (lower.find_first_not_of('0') == std::string::npos) {
    return std::nullopt;
  }
  return lower;
}

}  // namespace mamori::parse
