// Parses /etc/machine-id (machine-id(5)): the host's stable identity across reinstalls of the
// agent.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mamori::parse {

// 32 hexadecimal digits on one line, returned in lower case. nullopt for anything else, including
// the "uninitialized" placeholder systemd writes into images before first boot.
std::optional<std::string> ParseMachineId(std::string_view text);

}  // namespace mamori::parse
