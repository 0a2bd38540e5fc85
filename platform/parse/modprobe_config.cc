// Parses modprobe.d(5) configuration.
#include "platform/parse/modprobe_config.h"

#include <array>

#include "platform/parse/text.h"

namespace mamori::parse {
namespace {

constexpr std::string_view kBlanks = " \t";

std::string_view NextWord(std::string_view& text) {
  const std::size_t start = text.find_first_not_of(kBlanks);
  if (start == std::string_view::npos) {
    text = {};
    return {};
  }
  text.remove_prefix(start);
  const std::size_t end = text.find_first_of(kBlanks);
  const std::string_view word = text.substr(0, end);
  text = end == std::string_view::npos ? std::string_view() : text.substr(end);
  return word;
}

void ApplyLine(std::string_view line, std::string_view module, ModprobeModuleConfig& config) {
  const std::string_view trimmed = TrimAsciiWhitespace(line);
  if (trimmed.empty() || trimmed.front() == '#') {
    return;
  }
  std::string_view rest = trimmed;
  const std::string_view keyword = NextWord(rest);
  const std::string_view name = NextWord(rest);
  if (name.empty() || NormalizeModuleName(name) != module) {
    return;
  }
  if (keyword == "blacklist") {
    config.blacklisted = true;
  } else if (keyword == "install" && !config.install_command) {
    const std::string_view command = TrimAsciiWhitespace(rest);
    if (!command.empty()) {
      config.install_command = std::string(command);
    }
  }
}

}  // namespace

std::string NormalizeModuleName(std::string_view name) {
  std::string normalized(name);
  for (char& c : normalized) {
    if (c == '-') {
      c = '_';
    }
  }
  return normalized;
}

ModprobeModuleConfig ParseModprobeConfig(std::string_view text, std::string_view module) {
  const std::string wanted = NormalizeModuleName(module);
  ModprobeModuleConfig config;
  std::string joined;  // a logical line built from '\'-continued physical lines
  bool continuing = false;
  ForEachBoundedLine(text, [&](std::string_view line) {
    if (!continuing) {
      joined.clear();
    }
    continuing = !line.empty() && line.back() == '\\';
    if (continuing) {
      line.remove_suffix(1);
    }
    if (joined.size() + line.size() > kMaxLineBytes) {
      // An endless continuation is not configuration anyone wrote; drop it whole.
      joined.clear();
      continuing = false;
      return;
    }
    joined += ' ';
    joined += line;
    if (!continuing) {
      ApplyLine(joined, wanted, config);
    }
  });
  return config;
}

bool InstallCommandBlocksLoading(std::string_view command) {
  if (command.find_first_of(";&|`$<>\n") != std::string_view::npos) {
    return false;
  }
  const std::string_view program = NextWord(command);
  constexpr std::array<std::string_view, 6> kNoOps = {
      "/bin/false", "/bin/true", "/usr/bin/false", "/usr/bin/true", "false", "true"};
  for (const std::string_view no_op : kNoOps) {
    if (program == no_op) {
      return true;
    }
  }
  return false;
}

}  // namespace mamori::parse
