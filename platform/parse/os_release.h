// Parses /etc/os-release (os-release(5)): shell-style KEY=VALUE lines, the values quoted and
// escaped the way a POSIX shell would read them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mamori::parse {

struct OsRelease {
  std::string id;                // "debian"
  std::string version_id;        // "12"; empty on rolling releases such as Debian testing
  std::string version_codename;  // "bookworm"
  std::string name;              // "Debian GNU/Linux"
  std::string pretty_name;       // "Debian GNU/Linux 12 (bookworm)"
  friend bool operator==(const OsRelease&, const OsRelease&) = default;
};

// nullopt when the text holds no valid assignment at all (not an os-release file). Malformed lines
// (bad key, unterminated quote, words after an unquoted value) are skipped; a later assignment of
// the same key wins, as in a shell. ID, NAME and PRETTY_NAME take the defaults os-release(5) gives
// when they are absent
// ("linux", "Linux", "Linux").
std::optional<OsRelease> ParseOsRelease(std::string_view text);

}  // namespace mamori::parse
