// Parses /proc/meminfo.
#include "platform/parse/meminfo.h"

#include <limits>

#include "platform/parse/text.h"

namespace mamori::parse {

std::optional<uint64_t> ParseMemTotalBytes(std::string_view meminfo) {
  std::optional<uint64_t> total;
  ForEachBoundedLine(meminfo, [&](std::string_view line) {
    const std::optional<KeyValue> field = SplitKeyValue(line, ':');
    if (total || !field || field->key != "MemTotal") {
      return;
    }
    std::string_view number = field->value;
    uint64_t multiplier = 1;
    const std::size_t space = number.find_first_of(" \t");
    if (space != std::string_view::npos) {
      const std::string_view unit = TrimAsciiWhitespace(number.substr(space));
      number = number.substr(0, space);
      // The kernel has always written "kB" (meaning KiB) here; anything else is not a file we know.
      if (unit != "kB") {
        return;
      }
      multiplier = 1024;
    }
    const std::optional<uint64_t> value = ParseDecimal(number);
    if (!value || *value > std::numeric_limits<uint64_t>::max() / multiplier) {
      return;
    }
    total = *value * multiplier;
  });
  return total;
}

}  // namespace mamori::parse
