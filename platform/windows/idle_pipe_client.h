// mamori-session-helper's end of \\.\pipe\mamori-idle: sends one idle report to the agent service.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "platform/parse/idle_report.h"
#include "platform/windows/idle_pipe_server.h"

namespace mamori::platform {

struct IdlePipeClientOptions {
  std::string pipe_name = std::string(kIdlePipeName);
  // How long to wait for the one pipe instance while another session's helper is being served.
  std::chrono::milliseconds busy_wait{2000};
  // The agent service runs in session 0, where no user can start a process: a pipe served from any
  // other session is an impostor squatting on the name, and gets nothing. Tests, whose server runs
  // in their own session, turn this off.
  bool require_session0_server = true;
};

struct IdleSendResult {
  std::string error;         // empty when the report was delivered; else names the call
  uint32_t win32_error = 0;  // e.g. ERROR_FILE_NOT_FOUND (2): no server is listening
  bool ok() const { return error.empty(); }
};

// Connects (identification-level impersonation only: the server learns who we are, but cannot act
// as us), writes one report as one message, and waits until the server has read it.
IdleSendResult SendIdleReport(const parse::IdleReport& report,
                              const IdlePipeClientOptions& options = {});

}  // namespace mamori::platform
