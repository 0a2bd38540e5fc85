// The seams between the Windows power probe and the running sessions: SessionApi (Remote Desktop
// Services session list, tick count, the calling session's last input) and IdleSource (how long a
// session has been without input, from wherever that can be known). Real ones in
// win32_session_api.h and idle_pipe_server.h; tests on every OS pass fakes.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/parse/windows_power.h"

namespace mamori::platform {

struct SessionList {
  std::vector<parse::WtsSessionRecord> sessions;
  // Empty on success, else e.g. "WTSEnumerateSessionsW failed: error 5 (ERROR_ACCESS_DENIED)".
  std::string error;
  bool ok() const { return error.empty(); }
};

// How long a session has been without keyboard or mouse input; unknown_reason says why not when
// idle is nullopt.
struct SessionIdle {
  std::optional<std::chrono::milliseconds> idle;
  std::string unknown_reason;
};

class SessionApi {
 public:
  // More sessions than a terminal server has are not listed.
  static constexpr std::size_t kMaxSessions = 256;

  virtual ~SessionApi() = default;
  // WTSEnumerateSessionsW on this machine, each completed with WTSQuerySessionInformationW (user,
  // domain, WTSSessionInfoEx flags, WTSClientProtocolType); at most kMaxSessions.
  virtual SessionList ListSessions() = 0;
  // GetTickCount64.
  virtual std::chrono::milliseconds SinceBoot() = 0;
  // The session this process runs in (ProcessIdToSessionId); nullopt when Windows does not say.
  virtual std::optional<uint32_t> CurrentSessionId() = 0;
  // GetLastInputInfo: input of the calling session only (a service in session 0 sees none).
  virtual SessionIdle CallingSessionIdle() = 0;
};

// Where the power probe learns each session's idle time. The agent service passes its
// IdlePipeServer (reports from mamori-session-helper.exe in each session); mamori-check, run by a
// person in their own session, passes OwnSessionIdle.
class IdleSource {
 public:
  virtual ~IdleSource() = default;
  virtual SessionIdle IdleOf(uint32_t session_id) = 0;
};

}  // namespace mamori::platform
