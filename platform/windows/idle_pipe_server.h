// The agent service's end of \\.\pipe\mamori-idle: mamori-session-helper.exe, running in each
// user's session, reports GetLastInputInfo's idle time here every 60 s, because a service in
// session 0 cannot see any user's input itself. The server is an IdleSource the power probe reads.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "platform/windows/session_api.h"

namespace mamori::platform {

inline constexpr std::string_view kIdlePipeName = R"(\\.\pipe\mamori-idle)";

// SYSTEM: full control. Interactive users (console and Remote Desktop logons): FILE_WRITE_DATA,
// FILE_READ_ATTRIBUTES, READ_CONTROL and SYNCHRONIZE only. GENERIC_WRITE is deliberately not
// granted: it includes FILE_APPEND_DATA, which on a pipe is FILE_CREATE_PIPE_INSTANCE, and would
// let a user add an instance of their own and receive other users' reports. "P": no inherited
// entries.
inline constexpr std::string_view kIdlePipeSecurity = "D:P(A;;FA;;;SY)(A;;0x00120082;;;IU)";

class IdlePipeServer : public IdleSource {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  struct Options {
    std::string pipe_name = std::string(kIdlePipeName);
    std::string security_descriptor = std::string(kIdlePipeSecurity);  // SDDL
    // Three missed 60-second reports: the helper is gone (logged off, killed), its last word is
    // no longer the session's truth.
    std::chrono::seconds max_report_age{180};
    // A client that connects and sends nothing is dropped after this, so it cannot hold the one
    // pipe instance and starve the other sessions.
    std::chrono::milliseconds read_timeout{2000};
    Clock clock = [] { return std::chrono::steady_clock::now(); };
  };

  struct StartResult {
    std::unique_ptr<IdlePipeServer> server;  // null on failure
    std::string error;                       // names the call and its error
  };

  struct Counts {
    uint64_t accepted = 0;
    uint64_t rejected = 0;  // malformed, oversized, silent, or of an unknown session
  };

  // Creates the pipe's first instance (FILE_FLAG_FIRST_PIPE_INSTANCE: fails when anyone, e.g. a
  // user squatting on the name, created it first; remote clients are rejected) and starts the
  // thread that serves it. The destructor stops and joins the thread.
  static StartResult Start(Options options);

  // A session's idle time: the last report's idle plus the time since it arrived; unknown without a
  // report or when the last one is older than max_report_age.
  SessionIdle IdleOf(uint32_t session_id) override = 0;

  virtual Counts CountsForTest() const = 0;
};

}  // namespace mamori::platform
