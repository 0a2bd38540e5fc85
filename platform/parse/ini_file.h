// Parses the INI-style files many Linux services share: GDM, LightDM and SDDM configuration,
// systemd's sleep.conf and logind.conf, dconf keyfiles, and plain KEY=VALUE files such as ufw.conf.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mamori::parse {

struct IniEntry {
  std::string section;  // "" before the first [section] header
  std::string key;
  std::string value;
  friend bool operator==(const IniEntry&, const IniEntry&) = default;
};

// Every "key=value" line in file order, each tagged with its section. Lines starting with '#' or
// ';' are comments; lines without '=' and malformed headers are skipped; keys and values are
// trimmed but otherwise kept as written (quotes included: each format quotes differently).
std::vector<IniEntry> ParseIniFile(std::string_view text);

// The value of the last entry for key in section (keys compared exactly, as GDM, LightDM and
// systemd do); nullopt when none. A later entry wins, as it does when these programs read their
// files.
std::optional<std::string> LastIniValue(const std::vector<IniEntry>& entries,
                                        std::string_view section, std::string_view key);

// "true"/"yes"/"on"/"1" and "false"/"no"/"off"/"0", any case (GLib's keyfile booleans, systemd's
// booleans); nullopt for anything else.
std::optional<bool> ParseConfigBool(std::string_view value);

}  // namespace mamori::parse
