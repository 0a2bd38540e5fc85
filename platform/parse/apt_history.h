// Parses /var/log/apt/history.log: when apt last finished installing updates on the host.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace mamori::parse {

// The End-Date of the last block that upgraded packages (has an "Upgrade:" line). Blocks that only
// install or remove packages are not update activity: `apt install wine` yesterday says nothing
// about whether security fixes were applied. apt writes the dates in the host's local time, without
// a zone ("End-Date: 2026-11-25  15:16:37"), hence local_seconds; the caller knows the zone. A
// block without a valid End-Date (apt interrupted) does not count. nullopt when no block qualifies.
// Only the first kMaxInputBytes are read: callers pass the file's tail.
std::optional<std::chrono::local_seconds> ParseAptHistoryLastUpgrade(std::string_view history_log);

// "2026-11-25  15:16:37" (one or more spaces between date and time); nullopt when malformed or not
// a real calendar date.
std::optional<std::chrono::local_seconds> ParseAptHistoryDate(std::string_view text);

}  // namespace mamori::parse
