// Parses the header of a ClamAV signature database (daily.cvd / daily.cld): when the signatures
// were built, which tells how stale a host's virus definitions are.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "platform/facts/host_facts.h"

namespace mamori::parse {

// A .cvd/.cld file starts with a header of exactly this many bytes, padded with spaces.
inline constexpr std::size_t kClamAvHeaderBytes = 512;

struct ClamAvDatabaseHeader {
  // From the header's build time; nullopt when that field is not a real date: the database is still
  // there (the product is still reported), only its age is unknown.
  std::optional<facts::Timestamp> built_at;
  std::string version;  // database version, "27100"
  friend bool operator==(const ClamAvDatabaseHeader&, const ClamAvDatabaseHeader&) = default;
};

// "ClamAV-VDB:25 Nov 2026 07-13 +0000:27100:2071234:90:<md5>:<signature>:<builder>:<stime>" (only
// the first kClamAvHeaderBytes are looked at). nullopt when the text does not start with
// "ClamAV-VDB:" (not a ClamAV database).
std::optional<ClamAvDatabaseHeader> ParseClamAvDatabaseHeader(std::string_view header);

// "25 Nov 2026 07-13 +0000" -> the UTC instant; nullopt unless every part is in range.
std::optional<facts::Timestamp> ParseClamAvBuildTime(std::string_view text);

}  // namespace mamori::parse
