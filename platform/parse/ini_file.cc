// Parses INI-style configuration files.
#include "platform/parse/ini_file.h"

#include <cstddef>

#include "platform/parse/text.h"

namespace mamori::parse {
namespace {

// A configuration file with more entries than this is not one a person wrote; the rest is ignored.
constexpr std::size_t kMaxEntries = 10000;

}  // namespace

std::vector<IniEntry> ParseIniFile(std::string_view text) {
  std::vector<IniEntry> entries;
  std::string section;
  ForEachBoundedLine(text, [&](std::string_view line) {
    line = TrimAsciiWhitespace(line);
    if (line.empty() || line.front() == '#' || line.front() == ';' ||
        entries.size() >= kMaxEntries) {
      return;
    }
    if (line.front() == '[') {
      if (line.back() == ']' && line.size() >= 2) {
        section = std::string(TrimAsciiWhitespace(line.substr(1, line.size() - 2)));
      }
      return;
    }
    const auto pair = SplitKeyValue(line, '=');
    if (!pair || pair->key.empty()) {
      return;
    }
    entries.push_back({section, std::string(pair->key), std::string(pair->value)});
  });
  return entries;
}

std::optional<std::string> LastIniValue(const std::vector<IniEntry>& entries,
                                        std::string_view section, std::string_view key) {
  std::optional<std::string> found;
  for (const IniEntry& entry : entries) {
    if (entry.section == section && entry.key == key) {
      found = entry.value;
    }
  }
  return found;
}

std::optional<bool> ParseConfigBool(std::string_view value) {
  value = TrimAsciiWhitespace(value);
  for (const std::string_view yes : {"true", "yes", "on", "1"}) {
    if (EqualsIgnoringAsciiCase(value, yes)) {
      return true;
    }
  }
  for (const std::string_view no : {"false", "no", "off", "0"}) {
    if (EqualsIgnoringAsciiCase(value, no)) {
      return false;
    }
  }
  return std::nullopt;
}

}  // namespace mamori::parse
