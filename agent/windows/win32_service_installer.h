// `mamori-agent.exe service install|uninstall`: registers the service with the SCM (auto start,
// LocalSystem, recovery actions from service_definition.h) and the Event Log source, or removes
// both. The MSI may do the same through its ServiceInstall table; this is the one code path that
// is tested under Wine.
#pragma once

#include <windows.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/windows/service_definition.h"

namespace mamori::agent::windows {

struct SetupResult {
  std::string error;  // empty on success
  // Done, but with a limitation a person should know of (e.g. an SCM without a setting).
  std::vector<std::string> notes;
  bool ok() const { return error.empty(); }
};

struct ServiceInstallation {
  std::string service_name = kServiceName;  // also the Event Log source
  std::string display_name = kServiceDisplayName;
  std::string description = kServiceDescription;
  std::string executable_path;  // full path of the exe the SCM starts, UTF-8
  FailureActions failure_actions = DesiredFailureActions();
};

// Creates the service, or updates it when it exists (an upgrade to a new path), then sets its
// description and recovery actions and registers the Event Log source with the exe as its
// message file. Needs an administrator.
SetupResult InstallAgentService(const ServiceInstallation& installation);

// Stops the service (waiting at most `stop_timeout`), deletes it and its Event Log source.
// Succeeds when there is nothing to remove.
SetupResult UninstallAgentService(std::string_view service_name,
                                  std::chrono::milliseconds stop_timeout);

// The recovery actions the SCM holds for the service; nullopt when they cannot be read. An SCM
// without SERVICE_CONFIG_FAILURE_ACTIONS_FLAG (Wine) reads as on_non_crash_failures = false.
std::optional<FailureActions> QueryFailureActions(std::string_view service_name);

// The restart actions as ChangeServiceConfig2W(SERVICE_CONFIG_FAILURE_ACTIONS) takes them (delays
// in milliseconds).
std::vector<SC_ACTION> ToScActions(const FailureActions& actions);

// HKLM\SYSTEM\CurrentControlSet\Services\EventLog\Application\<source>.
std::string EventLogSourceKey(std::string_view source);

}  // namespace mamori::agent::windows
