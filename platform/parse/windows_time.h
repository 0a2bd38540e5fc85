// Windows' time representations converted to the facts model's UTC seconds: FILETIME, NetAPI's Unix
// seconds, OLE automation DATE (Windows Update Agent), CIM DATETIME (WMI) and the registry's
// "yyyymmdd" dates. Pure, tested on every OS; each returns nullopt for "not set" and for malformed
// or out-of-range input rather than a misleading date.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "platform/facts/host_facts.h"

namespace mamori::parse {

// 100-nanosecond ticks since 1601-01-01 UTC, truncated to seconds. 0 (never) -> nullopt; so is
// anything past 9999-12-31.
std::optional<facts::Timestamp> FromFileTime(uint64_t ticks_since_1601);

// Seconds since 1970-01-01 UTC as NetUserEnum reports last logons; 0 means never -> nullopt;
// negative -> nullopt.
std::optional<facts::Timestamp> FromUnixSeconds(int64_t seconds);

// An OLE automation DATE (days since 1899-12-30, fraction = time of day), as the Windows Update
// Agent returns in UTC. 0 (unset), negative, NaN and past 9999-12-31 -> nullopt.
std::optional<facts::Timestamp> FromOleDate(double days_since_1899_12_30);

// A CIM DATETIME "yyyymmddHHMMSS.mmmmmmsUUU" (s = '+' or '-', UUU = minutes east of UTC), e.g.
// "20241015123456.000000+540" = 2024-10-15 03:34:56 UTC. Fields WMI leaves unspecified ('*') and
// intervals ("...:000") -> nullopt.
std::optional<facts::Timestamp> ParseCimDatetime(std::string_view text);

// "20240131" (an Uninstall entry's InstallDate) as midnight UTC of that day: the registry records
// no time or zone.
std::optional<facts::Timestamp> ParseYyyymmdd(std::string_view text);

}  // namespace mamori::parse
