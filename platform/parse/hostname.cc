// Parses a hostname file.
#include "platform/parse/hostname.h"

#include "platform/parse/text.h"

namespace mamori::parse {
namespace {

constexpr std::size_t kMaxHostnameBytes = 253;

bool IsHostnameChar(char c) {
  // Letters, digits, '-' and '.' per RFC 1123, plus '_' which real Windows-named machines carry;
  // bytes of UTF-8 names are let through rather than lost.
  const auto byte = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || byte >= 0x80;
}

}  // namespace

std::optional<std::string> ParseHostname(std::string_view text) {
  std::optional<std::string> hostname;
  bool decided = false;
  ForEachBoundedLine(text, [&](std::string_view line) {
    line = TrimAsciiWhitespace(line);
    if (decided || line.empty() || line.front() == '#') {
      return;
    }
    decided = true;
    if (line.size() > kMaxHostnameBytes) {
      return;
    }
    for (const char c : line) {
      if (!IsHostnameChar(c)) {
        return;
      }
    }
    hostname = std::string(line);
  });
  return hostname;
}

}  // namespace mamori::parse
