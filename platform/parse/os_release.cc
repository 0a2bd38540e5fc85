// Parses /etc/os-release.
#include "platform/parse/os_release.h"

#include "platform/parse/text.h"

namespace mamori::parse {
namespace {

bool IsKeyStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsKeyChar(char c) { return IsKeyStart(c) || (c >= '0' && c <= '9'); }
bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// Reads a shell word: unquoted text with backslash escapes, '...' taken literally, "..." where a
// backslash escapes only $ ` " and \ (as in sh). nullopt for an unterminated quote, a dangling
// backslash, or words after the value that a shell would run as a command.
std::optional<std::string> UnquoteShellWord(std::string_view raw) {
  std::string value;
  std::size_t i = 0;
  while (i < raw.size()) {
    const char c = raw[i];
    if (IsBlank(c)) {
      const std::string_view rest = TrimAsciiWhitespace(raw.substr(i));
      if (rest.empty() || rest.front() == '#') {
        return value;
      }
      return std::nullopt;
    }
    if (c == '\\') {
      if (i + 1 >= raw.size()) {
        return std::nullopt;
      }
      value += raw[i + 1];
      i += 2;
    } else if (c == '\'') {
      const std::size_t close = raw.find('\'', i + 1);
      if (close == std::string_view::npos) {
        return std::nullopt;
      }
      value.append(raw.substr(i + 1, close - i - 1));
      i = close + 1;
    } else if (c == '"') {
      ++i;
      bool closed = false;
      while (i < raw.size()) {
        const char d = raw[i];
        if (d == '"') {
          closed = true;
          ++i;
          break;
        }
        if (d == '\\' && i + 1 < raw.size()) {
          const char next = raw[i + 1];
          if (next == '$' || next == '`' || next == '"' || next == '\\') {
            value += next;
            i += 2;
            continue;
          }
        }
        value += d;
        ++i;
      }
      if (!closed) {
        return std::nullopt;
      }
    } else {
      value += c;
      ++i;
    }
  }
  return value;
}

}  // namespace

std::optional<OsRelease> ParseOsRelease(std::string_view text) {
  OsRelease release;
  bool any_assignment = false;
  bool has_id = false;
  bool has_name = false;
  bool has_pretty_name = false;
  ForEachBoundedLine(text, [&](std::string_view line) {
    line = TrimAsciiWhitespace(line);
    if (line.empty() || line.front() == '#' || !IsKeyStart(line.front())) {
      return;
    }
    std::size_t key_end = 0;
    while (key_end < line.size() && IsKeyChar(line[key_end])) {
      ++key_end;
    }
    if (key_end >= line.size() || line[key_end] != '=') {
      return;
    }
    const std::string_view key = line.substr(0, key_end);
    std::optional<std::string> value = UnquoteShellWord(line.substr(key_end + 1));
    if (!value) {
      return;
    }
    any_assignment = true;
    if (key == "ID") {
      release.id = std::move(*value);
      has_id = true;
    } else if (key == "VERSION_ID") {
      release.version_id = std::move(*value);
    } else if (key == "VERSION_CODENAME") {
      release.version_codename = std::move(*value);
    } else if (key == "NAME") {
      release.name = std::move(*value);
      has_name = true;
    } else if (key == "PRETTY_NAME") {
      release.pretty_name = std::move(*value);
      has_pretty_name = true;
    }
  });
  if (!any_assignment) {
    return std::nullopt;
  }
  if (!has_id) {
    release.id = "linux";
  }
  if (!has_name) {
    release.name = "Linux";
  }
  if (!has_pretty_name) {
    release.pretty_name = "Linux";
  }
  return release;
}

}  // namespace mamori::parse
