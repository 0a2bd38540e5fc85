// A tiny service built from the same host as mamori-agent.exe, for the SCM round trip test: its
// work waits for cycles like the agent's loop. "service run fail" makes it fail at start-up the
// way the agent does on bad settings.
#include <cstdio>
#include <cstring>

#include "agent/windows/service_host.h"
#include "agent/windows/win32_event_log.h"
#include "agent/windows/win32_service_dispatcher.h"

namespace {

using namespace mamori::agent::windows;

class NoEventLog final : public EventLogSink {
 public:
  void Write(EventSeverity, std::string_view) override {}
};

}  // namespace

int main(int argc, char** argv) {
  const bool fail = argc > 3 && std::strcmp(argv[3], "fail") == 0;
  Win32EventLog::Opened opened = Win32EventLog::Open("mamori-test-service");
  NoEventLog no_log;
  EventLogSink& log = opened.log != nullptr ? static_cast<EventLogSink&>(*opened.log) : no_log;
  const DispatchResult result =
      RunAsService("mamori-test-service", log, [fail](ServiceWork& work) -> uint32_t {
        if (fail) {
          return kExitBadSettings;
        }
        work.ReportRunning();
        while (work.WaitForNextCycle(std::chrono::milliseconds(200))) {
        }
        return kExitClean;
      });
  if (result.outcome != DispatchResult::Outcome::kRan) {
    std::fprintf(stderr, "mamori-test-service: %s\n", result.error.c_str());
    return 2;
  }
  return result.exit_code == kExitClean ? 0 : 1;
}
