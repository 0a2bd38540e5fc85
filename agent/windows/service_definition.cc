// The recovery policy in one place: a service that cannot reach its data directory or was given
// bad settings is retried, without hammering the machine, until an installer fixes it.
#include "agent/windows/service_definition.h"

namespace mamori::agent::windows {

FailureActions DesiredFailureActions() {
  using std::chrono::minutes;
  using std::chrono::seconds;
  FailureActions actions;
  actions.reset_period = std::chrono::duration_cast<seconds>(std::chrono::hours(24));
  actions.restart_delays = {minutes(1), minutes(1), minutes(5)};
  actions.on_non_crash_failures = true;
  return actions;
}

std::string ServiceCommandLine(std::string_view executable_path) {
  // Windows file names cannot contain '"', so quoting needs no escaping.
  return "\"" + std::string(executable_path) + "\" service run";
}

}  // namespace mamori::agent::windows
