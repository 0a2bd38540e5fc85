// Parses a link-layer address as /sys/class/net/<if>/address writes it ("52:54:00:12:34:56").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mamori::parse {

// Colon-separated pairs of hex digits (6 for Ethernet and Wi-Fi, 20 for InfiniBand), returned in
// lower case. nullopt when malformed, and for the all-zero address of interfaces that have none
// (tunnels).
std::optional<std::string> ParseMacAddress(std::string_view text);

}  // namespace mamori::parse
