// How the agent is registered with the Service Control Manager: its name, the command line the SCM
// starts, and the recovery actions after a failure. Pure descriptions, tested on every OS; the
// Win32 installer (win32_service_installer.h) only translates them.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace mamori::agent::windows {

// The service name, which is also the Event Log source name.
inline constexpr char kServiceName[] = "mamori-agent";
inline constexpr char kServiceDisplayName[] = "mamori agent";
inline constexpr char kServiceDescription[] =
    "医療機関のセキュリティ対策チェックリストの項目をこのPCで確認し、院内の mamori collector "
    "に報告します。"
    " Checks this PC against the MHLW cybersecurity checklist and reports to the clinic's mamori "
    "collector.";

// What the SCM does when the service fails: restart it, and wait longer after repeated failures.
struct FailureActions {
  // The SCM counts failures since this much time without one; the Nth failure runs
  // restart_delays[N-1], and the last entry repeats from then on.
  std::chrono::seconds reset_period{0};
  std::vector<std::chrono::seconds> restart_delays;
  // Also when the service reports STOPPED with a non-zero exit code, not only when its process
  // dies (SERVICE_CONFIG_FAILURE_ACTIONS_FLAG): the agent reports its fatal errors that way.
  bool on_non_crash_failures = false;
  friend bool operator==(const FailureActions&, const FailureActions&) = default;
};

// Restart after 1 minute, 1 minute, then every 5 minutes; forget failures after a day without one.
FailureActions DesiredFailureActions();

// The command line the SCM runs: the executable's full path, quoted (it usually lies under
// "C:\Program Files"), then "service run". UTF-8, like all text past the Win32 API edge.
std::string ServiceCommandLine(std::string_view executable_path);

}  // namespace mamori::agent::windows
