// Timestamps as text: RFC 3339 in UTC on the wire and in reports, Japan time only where people read
// it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "platform/facts/host_facts.h"

namespace mamori::facts {

// "2026-11-25T00:00:00Z".
std::string FormatRfc3339(Timestamp time);

// Accepts "YYYY-MM-DDTHH:MM:SS" with an optional fraction (dropped) and "Z" or "+HH:MM"/"-HH:MM";
// a lower-case "t"/"z" is accepted as RFC 3339 allows. nullopt for anything else.
std::optional<Timestamp> ParseRfc3339(std::string_view text);

// "2026-11-25 09:00 JST": the clinic's clock (Japan has no daylight saving time).
std::string FormatJapanTime(Timestamp time);

}  // namespace mamori::facts
