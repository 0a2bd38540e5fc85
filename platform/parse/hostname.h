// Parses a hostname file: /proc/sys/kernel/hostname or /etc/hostname (hostname(5)).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mamori::parse {

// The first line that is neither blank nor a "#" comment, trimmed. nullopt when there is none, or
// when it is longer than a DNS name may be (253) or holds characters no hostname has (spaces,
// controls).
std::optional<std::string> ParseHostname(std::string_view text);

}  // namespace mamori::parse
