// Parses the local account databases: /etc/passwd (passwd(5)), /etc/shadow (shadow(5)) and
// /etc/group (group(5)). Malformed lines are skipped, not guessed at: a line with the wrong number
// of fields says nothing reliable about any account.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mamori::parse {

struct PasswdEntry {
  std::string name;
  std::string password;  // "x" when the hash lives in /etc/shadow; empty = no password at all
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::string gecos;  // "Full Name,room,phone,..."
  std::string home;
  std::string shell;
  friend bool operator==(const PasswdEntry&, const PasswdEntry&) = default;
};

// Day counts are days since 1970-01-01, as shadow(5) stores them; an empty field is nullopt.
struct ShadowEntry {
  std::string name;
  std::string hash;  // "!", "*", "!$y$...": locked; "": no password
  std::optional<uint64_t> last_change_days;
  std::optional<uint64_t> max_days;
  std::optional<uint64_t> expire_days;
  friend bool operator==(const ShadowEntry&, const ShadowEntry&) = default;
};

struct GroupEntry {
  std::string name;
  uint32_t gid = 0;
  std::vector<std::string> members;
  friend bool operator==(const GroupEntry&, const GroupEntry&) = default;
};

// Lines with 7 fields and numeric ids; NIS "+"/"-" lines and anything else are skipped.
std::vector<PasswdEntry> ParsePasswd(std::string_view text);
// Lines with 8 or 9 fields (the 9th is reserved); an unparsable day count makes the line skipped.
std::vector<ShadowEntry> ParseShadow(std::string_view text);
// Lines with 4 fields and a numeric gid.
std::vector<GroupEntry> ParseGroup(std::string_view text);

// passwd's "Full Name,room,..." -> "Full Name".
std::string_view FullNameFromGecos(std::string_view gecos);

}  // namespace mamori::parse
