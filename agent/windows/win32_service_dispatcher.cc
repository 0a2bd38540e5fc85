// ServiceMain has no context argument, so the one service of this process is described by a
// file-level pointer that lives for the whole StartServiceCtrlDispatcherW call.
#include "agent/windows/win32_service_dispatcher.h"

#include <atomic>
#include <memory>
#include <utility>

#include "platform/windows/wide_text.h"

namespace mamori::agent::windows {
namespace {

class ScmStatusReporter final : public ServiceStatusReporter {
 public:
  // The handle comes from RegisterServiceCtrlHandlerExW, which needs the host (and so this
  // reporter) first; until it is set, reports go nowhere.
  void set_handle(SERVICE_STATUS_HANDLE handle) { handle_.store(handle); }
  void Report(const ServiceStatus& status) override {
    SERVICE_STATUS win32 = ToWin32Status(status);
    if (const SERVICE_STATUS_HANDLE handle = handle_.load(); handle != nullptr) {
      ::SetServiceStatus(handle, &win32);
    }
  }

 private:
  std::atomic<SERVICE_STATUS_HANDLE> handle_{nullptr};  // owned by the SCM: never closed
};

struct ServiceRun {
  std::wstring name;
  EventLogSink* log = nullptr;
  ServiceBody body;
  ServiceTiming timing;
  // Alive until the dispatcher returns: the SCM may still call the handler after STOPPED.
  ScmStatusReporter reporter;
  std::unique_ptr<ServiceHost> host;
  DispatchResult result;
};
ServiceRun* g_run = nullptr;

DWORD WINAPI HandleControl(DWORD control, DWORD /*event_type*/, LPVOID /*event_data*/,
                           LPVOID context) {
  auto* host = static_cast<ServiceHost*>(context);
  const std::optional<ServiceControl> known = FromWin32Control(control);
  if (!known.has_value()) {
    return ERROR_CALL_NOT_IMPLEMENTED;
  }
  return host->HandleControl(*known) == ControlResult::kAccepted ? NO_ERROR
                                                                 : ERROR_SERVICE_CANNOT_ACCEPT_CTRL;
}

void WINAPI ServiceMain(DWORD /*argc*/, LPWSTR* /*argv*/) {
  ServiceRun& run = *g_run;
  run.host = std::make_unique<ServiceHost>(run.reporter, *run.log, run.timing);
  const SERVICE_STATUS_HANDLE handle =
      ::RegisterServiceCtrlHandlerExW(run.name.c_str(), HandleControl, run.host.get());
  if (handle == nullptr) {
    run.result.outcome = DispatchResult::Outcome::kFailed;
    run.result.error =
        "RegisterServiceCtrlHandlerEx failed: error " + std::to_string(::GetLastError());
    return;
  }
  run.reporter.set_handle(handle);
  run.result.outcome = DispatchResult::Outcome::kRan;
  run.result.exit_code = run.host->Run(std::move(run.body));
  run.result.work_abandoned = run.host->work_abandoned();
}

}  // namespace

SERVICE_STATUS ToWin32Status(const ServiceStatus& status) {
  SERVICE_STATUS win32{};
  win32.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
  switch (status.state) {
    case ServiceState::kStopped:
      win32.dwCurrentState = SERVICE_STOPPED;
      break;
    case ServiceState::kStartPending:
      win32.dwCurrentState = SERVICE_START_PENDING;
      break;
    case ServiceState::kStopPending:
      win32.dwCurrentState = SERVICE_STOP_PENDING;
      break;
    case ServiceState::kRunning:
      win32.dwCurrentState = SERVICE_RUNNING;
      break;
    case ServiceState::kContinuePending:
      win32.dwCurrentState = SERVICE_CONTINUE_PENDING;
      break;
    case ServiceState::kPausePending:
      win32.dwCurrentState = SERVICE_PAUSE_PENDING;
      break;
    case ServiceState::kPaused:
      win32.dwCurrentState = SERVICE_PAUSED;
      break;
  }
  win32.dwControlsAccepted = (status.accepts.stop ? SERVICE_ACCEPT_STOP : 0u) |
                             (status.accepts.pause_continue ? SERVICE_ACCEPT_PAUSE_CONTINUE : 0u) |
                             (status.accepts.shutdown ? SERVICE_ACCEPT_SHUTDOWN : 0u);
  if (status.exit_code != 0) {
    win32.dwWin32ExitCode = ERROR_SERVICE_SPECIFIC_ERROR;
    win32.dwServiceSpecificExitCode = status.exit_code;
  } else {
    win32.dwWin32ExitCode = NO_ERROR;
  }
  win32.dwCheckPoint = status.checkpoint;
  win32.dwWaitHint = static_cast<DWORD>(status.wait_hint.count());
  return win32;
}

std::optional<ServiceControl> FromWin32Control(DWORD control) {
  switch (control) {
    case SERVICE_CONTROL_STOP:
      return ServiceControl::kStop;
    case SERVICE_CONTROL_SHUTDOWN:
      return ServiceControl::kShutdown;
    case SERVICE_CONTROL_PAUSE:
      return ServiceControl::kPause;
    case SERVICE_CONTROL_CONTINUE:
      return ServiceControl::kContinue;
    case SERVICE_CONTROL_INTERROGATE:
      return ServiceControl::kInterrogate;
    default:
      return std::nullopt;
  }
}

DispatchResult RunAsService(std::string_view service_name, EventLogSink& log, ServiceBody body,
                            ServiceTiming timing) {
  ServiceRun run;
  run.name = platform::ToUtf16(service_name);
  run.log = &log;
  run.body = std::move(body);
  run.timing = timing;
  g_run = &run;
  SERVICE_TABLE_ENTRYW table[] = {{run.name.data(), ServiceMain}, {nullptr, nullptr}};
  if (!::StartServiceCtrlDispatcherW(table)) {
    const DWORD error = ::GetLastError();
    g_run = nullptr;
    DispatchResult result;
    result.outcome = error == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT
                         ? DispatchResult::Outcome::kNotAService
                         : DispatchResult::Outcome::kFailed;
    result.error = "StartServiceCtrlDispatcher failed: error " + std::to_string(error);
    return result;
  }
  g_run = nullptr;
  return std::move(run.result);
}

}  // namespace mamori::agent::windows
