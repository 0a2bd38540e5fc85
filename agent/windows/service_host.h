// The agent's life as the Windows Service Control Manager sees it: start, pause, continue and
// stop, with checkpoints while a change is pending and a bounded stop. Free of the Win32 API so
// that it runs and is tested on every OS; win32_service_dispatcher.h connects it to the real SCM.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "agent/windows/event_log_sink.h"

namespace mamori::agent::windows {

// SERVICE_STOPPED ... SERVICE_PAUSED.
enum class ServiceState {
  kStopped,
  kStartPending,
  kStopPending,
  kRunning,
  kContinuePending,
  kPausePending,
  kPaused,
};
std::string_view ServiceStateName(ServiceState state);

// SERVICE_ACCEPT_STOP, SERVICE_ACCEPT_PAUSE_CONTINUE, SERVICE_ACCEPT_SHUTDOWN.
struct AcceptedControls {
  bool stop = false;
  bool pause_continue = false;
  bool shutdown = false;
  friend bool operator==(const AcceptedControls&, const AcceptedControls&) = default;
};

// What the service tells the SCM (SERVICE_STATUS without the service type).
struct ServiceStatus {
  ServiceState state = ServiceState::kStopped;
  AcceptedControls accepts;
  // Meaningful in kStopped only: 0 for a clean stop, otherwise a ServiceExitCode, reported as
  // ERROR_SERVICE_SPECIFIC_ERROR so that the SCM runs the recovery actions.
  uint32_t exit_code = 0;
  uint32_t checkpoint = 0;  // raised while a change is pending; 0 otherwise
  std::chrono::milliseconds wait_hint{0};
  friend bool operator==(const ServiceStatus&, const ServiceStatus&) = default;
};

// Service-specific exit codes (shown by `sc query` as SERVICE_EXIT_CODE).
enum ServiceExitCode : uint32_t {
  kExitClean = 0,
  kExitFailure = 1,          // the agent could not go on (e.g. its data directory is unusable)
  kExitBadSettings = 2,      // HKLM\SOFTWARE\mamori\Agent is missing or invalid
  kExitNotEnrolled = 3,      // not enrolled, and no token/fingerprint to enroll with
  kExitUnexpectedError = 4,  // the work threw: a bug
};

// The seam to the SCM: SetServiceStatus in the real service, a recorder in tests.
class ServiceStatusReporter {
 public:
  virtual ~ServiceStatusReporter() = default;
  virtual void Report(const ServiceStatus& status) = 0;
};

// SERVICE_CONTROL_STOP, _SHUTDOWN, _PAUSE, _CONTINUE, _INTERROGATE.
enum class ServiceControl { kStop, kShutdown, kPause, kContinue, kInterrogate };
// NO_ERROR or ERROR_SERVICE_CANNOT_ACCEPT_CTRL.
enum class ControlResult { kAccepted, kNotAcceptedNow };

struct ServiceTiming {
  // START_PENDING's wait hint: start-up reads settings and files only (enrollment happens while
  // RUNNING), so it is short; a start that hangs shows up as the SCM's own timeout.
  std::chrono::milliseconds start_wait_hint{30'000};
  // How long the work may take to return after STOP, or after SHUTDOWN (Windows gives all
  // services a few seconds in total then): the service reports STOPPED at the latest then.
  std::chrono::milliseconds stop_budget{10'000};
  std::chrono::milliseconds shutdown_budget{4'000};
  // While stop, pause or continue is pending the checkpoint rises this often; the wait hint is
  // twice it. Those states are bounded (the stop budget; the cycle in flight's own timeouts).
  std::chrono::milliseconds checkpoint_period{1'000};
};

class ServiceHost;

// What the work (the agent's loop, or a test body) sees of the service. Shared with the work's
// thread, so a work that outlives the stop budget never touches a destroyed host.
class ServiceWork {
 public:
  // Start-up is done: the SCM sees RUNNING and may pause or stop the service from now on. The
  // first WaitForNextCycle implies it.
  void ReportRunning();
  // Waits `interval`, or less when stopped or continued; while paused, until continued or
  // stopped. True: run the next cycle now. False: stop was requested, return promptly.
  bool WaitForNextCycle(std::chrono::milliseconds interval);
  bool stop_requested() const;

  ServiceWork(const ServiceWork&) = delete;
  ServiceWork& operator=(const ServiceWork&) = delete;

 private:
  friend class ServiceHost;
  ServiceWork(ServiceStatusReporter& reporter, const ServiceTiming& timing);

  // All below with mu_ held.
  void SetStateLocked(ServiceState state);
  void ReportLocked();
  bool PendingLocked() const;

  mutable std::mutex mu_;
  std::condition_variable changed_;
  ServiceStatusReporter& reporter_;
  const ServiceTiming timing_;
  ServiceStatus status_;
  bool stop_requested_ = false;
  bool pause_requested_ = false;
  std::chrono::steady_clock::time_point stop_deadline_;
  // Set by the work's thread when it returns; `work_error_` when it threw.
  std::optional<uint32_t> work_exit_code_;
  std::string work_error_;
  // The work has returned (or was abandoned): STOPPED comes next, and no control changes state.
  bool finishing_ = false;
  // After STOPPED nothing is reported again: the SCM's status handle is no longer valid.
  bool ended_ = false;
};

// The work: returns a ServiceExitCode. It should return kExitClean only when stop was requested.
using ServiceBody = std::function<uint32_t(ServiceWork& work)>;

class ServiceHost {
 public:
  // `reporter` and `log` must outlive Run().
  ServiceHost(ServiceStatusReporter& reporter, EventLogSink& log, ServiceTiming timing = {});

  // Called on the SCM's ServiceMain thread: reports START_PENDING, runs `body` on a thread of its
  // own, keeps the SCM informed and returns the exit code once STOPPED is reported. A work that
  // has not returned within the stop budget is abandoned (work_abandoned()): its process must
  // then end without running destructors that the work might still use.
  uint32_t Run(ServiceBody body);

  // Called on the control dispatcher's thread: returns at once, never waits for the work.
  ControlResult HandleControl(ServiceControl control);

  bool work_abandoned() const { return work_abandoned_; }

 private:
  std::shared_ptr<ServiceWork> work_;
  EventLogSink& log_;
  bool work_abandoned_ = false;
};

}  // namespace mamori::agent::windows
