// Parses systemd-logind session state files.
#include "platform/parse/logind_session.h"

#include <limits>

#include "platform/parse/text.h"

namespace mamori::parse {

std::optional<LogindSession> ParseLogindSession(std::string_view text) {
  LogindSession session;
  ForEachBoundedLine(text, [&](std::string_view line) {
    if (line.empty() || line.front() == '#') {
      return;
    }
    const auto pair = SplitKeyValue(line, '=');
    if (!pair) {
      return;
    }
    const std::string_view key = pair->key;
    const std::string_view value = pair->value;
    if (key == "UID") {
      const auto uid = ParseDecimal(value);
      if (uid && *uid <= std::numeric_limits<uint32_t>::max()) {
        session.uid = static_cast<uint32_t>(*uid);
      }
    } else if (key == "USER") {
      session.user = std::string(value);
    } else if (key == "TYPE") {
      session.type = std::string(value);
    } else if (key == "CLASS") {
      session.klass = std::string(value);
    } else if (key == "STATE") {
      session.state = std::string(value);
    } else if (key == "TTY") {
      session.tty = std::string(value);
    } else if (key == "REMOTE_HOST") {
      session.remote_host = std::string(value);
    } else if (key == "ACTIVE") {
      session.active = value == "1";
    } else if (key == "REMOTE") {
      session.remote = value == "1";
    }
  });
  if (session.user.empty()) {
    return std::nullopt;
  }
  return session;
}

}  // namespace mamori::parse
