// The MHLW checklist items and 9つの心得 that mamori's rules evidence, keyed as in
// ../shared/reference/mhlw.md.
#pragma once

#include <optional>
#include <string_view>

#include "platform/rules/finding.h"

namespace mamori::rules {

// The reference for a key such as "2-7" or "心得6"; nullopt for a key mamori does not know.
std::optional<MhlwReference> FindMhlwReference(std::string_view key);

}  // namespace mamori::rules
