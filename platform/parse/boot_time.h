// Parses when the host booted: /proc/stat's "btime" line, or /proc/uptime's seconds since boot.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "platform/facts/host_facts.h"

namespace mamori::parse {

// The "btime <seconds since the epoch>" line of /proc/stat; nullopt when absent or malformed.
std::optional<facts::Timestamp> ParseProcStatBootTime(std::string_view proc_stat);

// The first field of /proc/uptime ("350735.47 234388.90"), truncated to whole seconds.
std::optional<std::chrono::seconds> ParseUptime(std::string_view proc_uptime);

}  // namespace mamori::parse
