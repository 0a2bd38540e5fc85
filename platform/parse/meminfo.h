// Parses /proc/meminfo for the installed memory the kernel manages.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace mamori::parse {

// MemTotal in bytes ("MemTotal:       16318884 kB" -> 16710537216). nullopt when the line is absent
// or malformed, or the value does not fit in 64 bits.
std::optional<uint64_t> ParseMemTotalBytes(std::string_view meminfo);

}  // namespace mamori::parse
