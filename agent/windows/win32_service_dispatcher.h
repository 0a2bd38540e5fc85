// Connects ServiceHost to the real Service Control Manager: StartServiceCtrlDispatcherW,
// RegisterServiceCtrlHandlerExW and SetServiceStatus. One service per process.
#pragma once

#include <windows.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "agent/windows/event_log_sink.h"
#include "agent/windows/service_host.h"

namespace mamori::agent::windows {

// The status as SetServiceStatus takes it (SERVICE_WIN32_OWN_PROCESS).
SERVICE_STATUS ToWin32Status(const ServiceStatus& status);
// SERVICE_CONTROL_STOP ... _INTERROGATE; nullopt for controls the service does not handle.
std::optional<ServiceControl> FromWin32Control(DWORD control);

struct DispatchResult {
  enum class Outcome {
    kRan,          // the SCM ran the service and it has stopped
    kNotAService,  // started from a console, not by the SCM
    kFailed,       // the dispatcher or the handler could not be set up
  };
  Outcome outcome = Outcome::kFailed;
  uint32_t exit_code = 0;       // what the service reported with STOPPED
  bool work_abandoned = false;  // see ServiceHost::Run: end the process without destructors
  std::string error;
};

// Blocks while the service runs. `log` receives what the host has to say; the work itself runs
// `body` on a thread of its own.
DispatchResult RunAsService(std::string_view service_name, EventLogSink& log, ServiceBody body,
                            ServiceTiming timing = {});

}  // namespace mamori::agent::windows
