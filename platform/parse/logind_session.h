// Parses systemd-logind's per-session state files (/run/systemd/sessions/<id>): KEY=VALUE lines
// that logind rewrites on every change. They hold who, where and what kind of session; the idle and
// lock hints live only in logind's memory (D-Bus), so they are not here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mamori::parse {

struct LogindSession {
  std::optional<uint32_t> uid;
  std::string user;
  std::string type;   // "tty", "x11", "wayland", "mir", "unspecified"
  std::string klass;  // CLASS: "user", "greeter", "lock-screen", "background"
  std::string state;  // "online", "active", "closing"
  std::string tty;    // "tty2", "pts/0"; empty for sessions without one
  std::string remote_host;
  bool active = false;
  bool remote = false;
  friend bool operator==(const LogindSession&, const LogindSession&) = default;
};

// nullopt when the text names no user (not a session file).
std::optional<LogindSession> ParseLogindSession(std::string_view text);

}  // namespace mamori::parse
