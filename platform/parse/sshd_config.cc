// Parses sshd_config.
#include "platform/parse/sshd_config.h"

#include <cstddef>
#include <optional>

#include "platform/parse/ini_file.h"
#include "platform/parse/text.h"

namespace mamori::parse {
namespace {

constexpr std::size_t kMaxDirectives = 10000;
constexpr std::size_t kMaxArgs = 64;

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return lower;
}

// Splits the arguments of a line into words; a double-quoted word may hold spaces. nullopt for an
// unterminated quote (sshd rejects the file; here the line is skipped).
std::optional<std::vector<std::string>> SplitArgs(std::string_view text) {
  std::vector<std::string> args;
  std::size_t i = 0;
  while (i < text.size() && args.size() < kMaxArgs) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) {
      ++i;
    }
    if (i >= text.size() || text[i] == '#') {
      break;
    }
    if (text[i] == '"') {
      const std::size_t close = text.find('"', i + 1);
      if (close == std::string_view::npos) {
        return std::nullopt;
      }
      args.emplace_back(text.substr(i + 1, close - i - 1));
      i = close + 1;
    } else {
      const std::size_t end = text.find_first_of(" \t", i);
      args.emplace_back(text.substr(i, end == std::string_view::npos ? end : end - i));
      i = end == std::string_view::npos ? text.size() : end;
    }
  }
  return args;
}

}  // namespace

std::vector<SshdDirective> ParseSshdConfig(std::string_view text) {
  std::vector<SshdDirective> directives;
  bool in_match = false;
  ForEachBoundedLine(text, [&](std::string_view line) {
    line = TrimAsciiWhitespace(line);
    if (line.empty() || line.front() == '#' || directives.size() >= kMaxDirectives) {
      return;
    }
    // The keyword ends at whitespace or at a single '='.
    const std::size_t end = line.find_first_of(" \t=");
    const std::string keyword = Lower(line.substr(0, end));
    std::string_view rest = end == std::string_view::npos ? std::string_view() : line.substr(end);
    rest = TrimAsciiWhitespace(rest);
    if (!rest.empty() && rest.front() == '=') {
      rest = TrimAsciiWhitespace(rest.substr(1));
    }
    auto args = SplitArgs(rest);
    if (!args || keyword.empty()) {
      return;
    }
    if (keyword == "match") {
      in_match = !(args->size() == 1 && Lower((*args)[0]) == "all");
      return;
    }
    directives.push_back({keyword, std::move(*args), in_match});
  });
  return directives;
}

SshdSettings EffectiveSshdSettings(const std::vector<SshdDirective>& directives) {
  SshdSettings settings;
  bool password_set = false;
  bool kbd_set = false;
  bool pam_set = false;
  bool root_set = false;
  for (const SshdDirective& directive : directives) {
    if (directive.args.empty()) {
      continue;
    }
    const std::string& keyword = directive.keyword;
    const bool relevant = keyword == "passwordauthentication" ||
                          keyword == "kbdinteractiveauthentication" ||
                          keyword == "challengeresponseauthentication" || keyword == "usepam" ||
                          keyword == "permitrootlogin";
    if (!relevant) {
      continue;
    }
    if (directive.in_match) {
      // UsePAM is not allowed in Match blocks; the others change who may log in how.
      settings.match_overrides = settings.match_overrides || keyword != "usepam";
      continue;
    }
    const std::optional<bool> flag = ParseConfigBool(directive.args[0]);
    if (keyword == "passwordauthentication" && !password_set && flag) {
      settings.password_authentication = *flag;
      password_set = true;
    } else if ((keyword == "kbdinteractiveauthentication" ||
                keyword == "challengeresponseauthentication") &&
               !kbd_set && flag) {
      settings.kbd_interactive_authentication = *flag;
      kbd_set = true;
    } else if (keyword == "usepam" && !pam_set && flag) {
      settings.use_pam = *flag;
      pam_set = true;
    } else if (keyword == "permitrootlogin" && !root_set) {
      settings.permit_root_login = Lower(directive.args[0]);
      root_set = true;
    }
  }
  return settings;
}

bool SshdAcceptsPasswords(const SshdSettings& settings) {
  return settings.password_authentication ||
         (settings.kbd_interactive_authentication && settings.use_pam);
}

bool SshdAcceptsRootPassword(const SshdSettings& settings) {
  return settings.permit_root_login == "yes" && SshdAcceptsPasswords(settings);
}

}  // namespace mamori::parse
