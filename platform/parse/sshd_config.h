// Parses sshd_config(5) and works out what the OpenSSH server allows: password logins and root
// logins. sshd takes the first value it reads for a keyword, counting Include'd files at the place
// of their Include line; settings inside Match blocks apply only to some connections and are set
// apart.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mamori::parse {

struct SshdDirective {
  std::string keyword;  // lower case: sshd compares keywords without case
  std::vector<std::string> args;
  bool in_match = false;  // after a "Match" line other than "Match all"
  friend bool operator==(const SshdDirective&, const SshdDirective&) = default;
};

// Directives in file order ("Keyword value", "Keyword=value", double-quoted arguments). Include
// lines are returned as directives with keyword "include" for the caller to expand. The Match state
// ends at the end of the text, as it does at the end of an included file.
std::vector<SshdDirective> ParseSshdConfig(std::string_view text);

// The effective global settings (first value wins; defaults of OpenSSH 9 where unset).
struct SshdSettings {
  bool password_authentication = true;  // PasswordAuthentication, default yes
  bool kbd_interactive_authentication =
      true;              // KbdInteractiveAuthentication (ChallengeResponse...)
  bool use_pam = false;  // UsePAM, default no (Debian's shipped file sets yes)
  std::string permit_root_login = "prohibit-password";  // lower case
  // A Match block sets one of the keywords above, so some connections may be treated otherwise.
  bool match_overrides = false;
  friend bool operator==(const SshdSettings&, const SshdSettings&) = default;
};
SshdSettings EffectiveSshdSettings(const std::vector<SshdDirective>& directives);

// Whether a password typed by the user can log in: PasswordAuthentication, or keyboard-interactive
// through PAM (which asks for the password).
bool SshdAcceptsPasswords(const SshdSettings& settings);

// Whether root can log in with a password: PermitRootLogin yes and passwords accepted. The default
// prohibit-password (and without-password, forced-commands-only, no) never takes root's password.
bool SshdAcceptsRootPassword(const SshdSettings& settings);

}  // namespace mamori::parse
