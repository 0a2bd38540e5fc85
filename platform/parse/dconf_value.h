// Reads the GVariant text values of dconf keyfiles (/etc/dconf/db/*.d/*), e.g. "uint32 600",
// "'nothing'", "true": the system-wide GNOME settings for screen lock and automatic suspend are
// written this way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mamori::parse {

// "true" / "false"; nullopt otherwise.
std::optional<bool> ParseDconfBool(std::string_view value);

// "600", "uint32 600" (also int32/uint64/int64 with a non-negative value); nullopt otherwise or
// when it does not fit in 32 bits.
std::optional<uint32_t> ParseDconfUnsigned(std::string_view value);

// 'nothing' or "nothing" (no escapes: the enumerated values compared here never have any); nullopt
// for anything else.
std::optional<std::string> ParseDconfString(std::string_view value);

}  // namespace mamori::parse
