// SC_HANDLE and HKEY are closed by RAII on every path; each failure names the call and its error.
#include "agent/windows/win32_service_installer.h"

#include <windows.h>

#include <memory>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "platform/windows/wide_text.h"

namespace mamori::agent::windows {
namespace {

struct ServiceHandleCloser {
  void operator()(SC_HANDLE handle) const { ::CloseServiceHandle(handle); }
};
using ServiceHandle = std::unique_ptr<std::remove_pointer_t<SC_HANDLE>, ServiceHandleCloser>;

struct HkeyCloser {
  void operator()(HKEY key) const { ::RegCloseKey(key); }
};
using UniqueHkey = std::unique_ptr<std::remove_pointer_t<HKEY>, HkeyCloser>;

// Bits of EVENTLOG_ERROR_TYPE, _WARNING_TYPE and _INFORMATION_TYPE: the severities the agent uses.
constexpr DWORD kTypesSupported = 0x7;

std::string Failed(std::string_view call, DWORD error) {
  return std::string(call) + " failed: error " + std::to_string(error);
}

SetupResult Failure(std::string error) {
  SetupResult result;
  result.error = std::move(error);
  return result;
}

SetupResult ConfigureService(SC_HANDLE service, const ServiceInstallation& installation) {
  std::wstring description = platform::ToUtf16(installation.description);
  SERVICE_DESCRIPTIONW description_info{description.data()};
  if (!::ChangeServiceConfig2W(service, SERVICE_CONFIG_DESCRIPTION, &description_info)) {
    return Failure(Failed("ChangeServiceConfig2(DESCRIPTION)", ::GetLastError()));
  }
  std::vector<SC_ACTION> actions = ToScActions(installation.failure_actions);
  SERVICE_FAILURE_ACTIONSW failure{};
  failure.dwResetPeriod = static_cast<DWORD>(installation.failure_actions.reset_period.count());
  failure.cActions = static_cast<DWORD>(actions.size());
  failure.lpsaActions = actions.data();
  if (!::ChangeServiceConfig2W(service, SERVICE_CONFIG_FAILURE_ACTIONS, &failure)) {
    return Failure(Failed("ChangeServiceConfig2(FAILURE_ACTIONS)", ::GetLastError()));
  }
  SERVICE_FAILURE_ACTIONS_FLAG flag{installation.failure_actions.on_non_crash_failures};
  if (!::ChangeServiceConfig2W(service, SERVICE_CONFIG_FAILURE_ACTIONS_FLAG, &flag)) {
    const DWORD error = ::GetLastError();
    // Every supported Windows knows this level; Wine's SCM does not. The service still works
    // there, restarted after crashes only.
    if (error == ERROR_INVALID_LEVEL) {
      SetupResult limited;
      limited.notes.push_back(
          "this Service Control Manager does not support SERVICE_CONFIG_FAILURE_ACTIONS_FLAG: the "
          "service is restarted after a crash, but not after it stops with an error");
      return limited;
    }
    return Failure(Failed("ChangeServiceConfig2(FAILURE_ACTIONS_FLAG)", error));
  }
  return {};
}

SetupResult RegisterEventLogSource(std::string_view source, std::string_view executable_path) {
  const std::wstring key_path = platform::ToUtf16(EventLogSourceKey(source));
  HKEY raw = nullptr;
  const LSTATUS created =
      ::RegCreateKeyExW(HKEY_LOCAL_MACHINE, key_path.c_str(), 0, nullptr, REG_OPTION_NON_VOLATILE,
                        KEY_SET_VALUE | KEY_WOW64_64KEY, nullptr, &raw, nullptr);
  if (created != ERROR_SUCCESS) {
    return Failure(
        Failed("RegCreateKeyEx(" + EventLogSourceKey(source) + ")", static_cast<DWORD>(created)));
  }
  const UniqueHkey key(raw);
  const std::wstring message_file = platform::ToUtf16(executable_path);
  const auto bytes = static_cast<DWORD>((message_file.size() + 1) * sizeof(wchar_t));
  if (const LSTATUS status =
          ::RegSetValueExW(key.get(), L"EventMessageFile", 0, REG_EXPAND_SZ,
                           reinterpret_cast<const BYTE*>(message_file.c_str()), bytes);
      status != ERROR_SUCCESS) {
    return Failure(Failed("RegSetValueEx(EventMessageFile)", static_cast<DWORD>(status)));
  }
  const DWORD types = kTypesSupported;
  if (const LSTATUS status = ::RegSetValueExW(key.get(), L"TypesSupported", 0, REG_DWORD,
                                              reinterpret_cast<const BYTE*>(&types), sizeof(types));
      status != ERROR_SUCCESS) {
    return Failure(Failed("RegSetValueEx(TypesSupported)", static_cast<DWORD>(status)));
  }
  return {};
}

// Asks a running service to stop and waits until it has, within `timeout`.
SetupResult StopService(SC_HANDLE service, std::chrono::milliseconds timeout) {
  SERVICE_STATUS status{};
  if (!::QueryServiceStatus(service, &status)) {
    return Failure(Failed("QueryServiceStatus", ::GetLastError()));
  }
  if (status.dwCurrentState != SERVICE_STOPPED && status.dwCurrentState != SERVICE_STOP_PENDING &&
      !::ControlService(service, SERVICE_CONTROL_STOP, &status)) {
    const DWORD error = ::GetLastError();
    if (error != ERROR_SERVICE_NOT_ACTIVE) {
      return Failure(Failed("ControlService(STOP)", error));
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (::QueryServiceStatus(service, &status) && status.dwCurrentState != SERVICE_STOPPED) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return Failure("the service did not stop within " + std::to_string(timeout.count()) + " ms");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return {};
}

}  // namespace

std::vector<SC_ACTION> ToScActions(const FailureActions& actions) {
  std::vector<SC_ACTION> converted;
  for (const std::chrono::seconds delay : actions.restart_delays) {
    converted.push_back(
        {SC_ACTION_RESTART,
         static_cast<DWORD>(std::chrono::duration_cast<std::chrono::milliseconds>(delay).count())});
  }
  return converted;
}

std::string EventLogSourceKey(std::string_view source) {
  return R"(SYSTEM\CurrentControlSet\Services\EventLog\Application\)" + std::string(source);
}

SetupResult InstallAgentService(const ServiceInstallation& installation) {
  const ServiceHandle manager(
      ::OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT | SC_MANAGER_CREATE_SERVICE));
  if (!manager) {
    return Failure(Failed("OpenSCManager", ::GetLastError()) + " (run as an administrator)");
  }
  const std::wstring name = platform::ToUtf16(installation.service_name);
  const std::wstring display_name = platform::ToUtf16(installation.display_name);
  const std::wstring command_line =
      platform::ToUtf16(ServiceCommandLine(installation.executable_path));
  // SERVICE_START: the SCM requires it of whoever sets restart actions.
  constexpr DWORD kAccess = SERVICE_CHANGE_CONFIG | SERVICE_QUERY_CONFIG | SERVICE_START;
  // LocalSystem (no account given): the probes read machine-wide state and HKLM.
  ServiceHandle service(::CreateServiceW(manager.get(), name.c_str(), display_name.c_str(), kAccess,
                                         SERVICE_WIN32_OWN_PROCESS, SERVICE_AUTO_START,
                                         SERVICE_ERROR_NORMAL, command_line.c_str(), nullptr,
                                         nullptr, nullptr, nullptr, nullptr));
  if (!service) {
    const DWORD error = ::GetLastError();
    if (error != ERROR_SERVICE_EXISTS) {
      return Failure(Failed("CreateService(" + installation.service_name + ")", error));
    }
    service.reset(::OpenServiceW(manager.get(), name.c_str(), kAccess));
    if (!service) {
      return Failure(Failed("OpenService(" + installation.service_name + ")", ::GetLastError()));
    }
    if (!::ChangeServiceConfigW(service.get(), SERVICE_WIN32_OWN_PROCESS, SERVICE_AUTO_START,
                                SERVICE_ERROR_NORMAL, command_line.c_str(), nullptr, nullptr,
                                nullptr, nullptr, nullptr, display_name.c_str())) {
      return Failure(
          Failed("ChangeServiceConfig(" + installation.service_name + ")", ::GetLastError()));
    }
  }
  SetupResult configured = ConfigureService(service.get(), installation);
  if (!configured.ok()) {
    return configured;
  }
  SetupResult registered =
      RegisterEventLogSource(installation.service_name, installation.executable_path);
  registered.notes.insert(registered.notes.begin(), configured.notes.begin(),
                          configured.notes.end());
  return registered;
}

SetupResult UninstallAgentService(std::string_view service_name,
                                  std::chrono::milliseconds stop_timeout) {
  const ServiceHandle manager(::OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
  if (!manager) {
    return Failure(Failed("OpenSCManager", ::GetLastError()) + " (run as an administrator)");
  }
  const std::wstring name = platform::ToUtf16(service_name);
  const ServiceHandle service(
      ::OpenServiceW(manager.get(), name.c_str(), SERVICE_STOP | SERVICE_QUERY_STATUS | DELETE));
  if (service) {
    if (SetupResult stopped = StopService(service.get(), stop_timeout); !stopped.ok()) {
      return stopped;
    }
    if (!::DeleteService(service.get()) && ::GetLastError() != ERROR_SERVICE_MARKED_FOR_DELETE) {
      return Failure(Failed("DeleteService(" + std::string(service_name) + ")", ::GetLastError()));
    }
  } else if (const DWORD error = ::GetLastError(); error != ERROR_SERVICE_DOES_NOT_EXIST) {
    return Failure(Failed("OpenService(" + std::string(service_name) + ")", error));
  }
  const std::wstring source_key = platform::ToUtf16(EventLogSourceKey(service_name));
  const LSTATUS deleted =
      ::RegDeleteKeyExW(HKEY_LOCAL_MACHINE, source_key.c_str(), KEY_WOW64_64KEY, 0);
  if (deleted != ERROR_SUCCESS && deleted != ERROR_FILE_NOT_FOUND) {
    return Failure(Failed("RegDeleteKeyEx(" + EventLogSourceKey(service_name) + ")",
                          static_cast<DWORD>(deleted)));
  }
  return {};
}

std::optional<FailureActions> QueryFailureActions(std::string_view service_name) {
  const ServiceHandle manager(::OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
  if (!manager) {
    return std::nullopt;
  }
  const std::wstring name = platform::ToUtf16(service_name);
  const ServiceHandle service(::OpenServiceW(manager.get(), name.c_str(), SERVICE_QUERY_CONFIG));
  if (!service) {
    return std::nullopt;
  }
  // The structure is followed by its action array; a few kB holds any realistic configuration.
  std::vector<BYTE> buffer(4096);
  DWORD needed = 0;
  if (!::QueryServiceConfig2W(service.get(), SERVICE_CONFIG_FAILURE_ACTIONS, buffer.data(),
                              static_cast<DWORD>(buffer.size()), &needed)) {
    return std::nullopt;
  }
  const auto* failure = reinterpret_cast<const SERVICE_FAILURE_ACTIONSW*>(buffer.data());
  FailureActions actions;
  actions.reset_period = std::chrono::seconds(failure->dwResetPeriod);
  for (DWORD i = 0; i < failure->cActions && failure->lpsaActions != nullptr; ++i) {
    if (failure->lpsaActions[i].Type != SC_ACTION_RESTART) {
      return std::nullopt;
    }
    actions.restart_delays.push_back(std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::milliseconds(failure->lpsaActions[i].Delay)));
  }
  SERVICE_FAILURE_ACTIONS_FLAG flag{};
  if (!::QueryServiceConfig2W(service.get(), SERVICE_CONFIG_FAILURE_ACTIONS_FLAG,
                              reinterpret_cast<BYTE*>(&flag), sizeof(flag), &needed)) {
    if (::GetLastError() != ERROR_INVALID_LEVEL) {
      return std::nullopt;
    }
    flag.fFailureActionsOnNonCrashFailures = FALSE;  // an SCM without the setting
  }
  actions.on_non_crash_failures = flag.fFailureActionsOnNonCrashFailures != FALSE;
  return actions;
}

}  // namespace mamori::agent::windows
