// The state machine behind the service: every status change happens under one mutex and is
// reported from there, so the SCM sees the changes in the order they happened whichever thread
// (the control handler's or the work's) caused them.
#include "agent/windows/service_host.h"

#include <exception>
#include <thread>
#include <utility>

namespace mamori::agent::windows {
namespace {

AcceptedControls AcceptedIn(ServiceState state) {
  switch (state) {
    case ServiceState::kRunning:
    case ServiceState::kPaused:
    case ServiceState::kPausePending:
    case ServiceState::kContinuePending:
      return {.stop = true, .pause_continue = true, .shutdown = true};
    case ServiceState::kStopped:
    case ServiceState::kStartPending:
    case ServiceState::kStopPending:
      break;
  }
  // Nothing while starting (the work is not ready to be told anything) or stopping.
  return {};
}

}  // namespace

std::string_view ServiceStateName(ServiceState state) {
  switch (state) {
    case ServiceState::kStopped:
      return "STOPPED";
    case ServiceState::kStartPending:
      return "START_PENDING";
    case ServiceState::kStopPending:
      return "STOP_PENDING";
    case ServiceState::kRunning:
      return "RUNNING";
    case ServiceState::kContinuePending:
      return "CONTINUE_PENDING";
    case ServiceState::kPausePending:
      return "PAUSE_PENDING";
    case ServiceState::kPaused:
      return "PAUSED";
  }
  return "UNKNOWN";
}

ServiceWork::ServiceWork(ServiceStatusReporter& reporter, const ServiceTiming& timing)
    : reporter_(reporter), timing_(timing) {}

bool ServiceWork::PendingLocked() const {
  return status_.state == ServiceState::kStartPending ||
         status_.state == ServiceState::kStopPending ||
         status_.state == ServiceState::kPausePending ||
         status_.state == ServiceState::kContinuePending;
}

void ServiceWork::SetStateLocked(ServiceState state) {
  status_.state = state;
  status_.accepts = AcceptedIn(state);
  if (state == ServiceState::kStartPending) {
    status_.checkpoint = 1;
    status_.wait_hint = timing_.start_wait_hint;
  } else if (PendingLocked()) {
    status_.checkpoint = 1;
    status_.wait_hint = 2 * timing_.checkpoint_period;
  } else {
    status_.checkpoint = 0;
    status_.wait_hint = std::chrono::milliseconds(0);
  }
  ReportLocked();
  changed_.notify_all();
}

void ServiceWork::ReportLocked() {
  if (!ended_) {
    reporter_.Report(status_);
  }
}

void ServiceWork::ReportRunning() {
  std::lock_guard lock(mu_);
  if (status_.state == ServiceState::kStartPending && !stop_requested_) {
    SetStateLocked(ServiceState::kRunning);
  }
}

bool ServiceWork::stop_requested() const {
  std::lock_guard lock(mu_);
  return stop_requested_;
}

bool ServiceWork::WaitForNextCycle(std::chrono::milliseconds interval) {
  std::unique_lock lock(mu_);
  if (status_.state == ServiceState::kStartPending && !stop_requested_) {
    SetStateLocked(ServiceState::kRunning);
  }
  const auto deadline = std::chrono::steady_clock::now() + interval;
  while (true) {
    if (stop_requested_) {
      return false;
    }
    if (pause_requested_) {
      // The work has reached a point between cycles: now it really is paused.
      if (status_.state == ServiceState::kPausePending) {
        SetStateLocked(ServiceState::kPaused);
      }
      changed_.wait(lock);
      continue;
    }
    if (status_.state == ServiceState::kContinuePending ||
        status_.state == ServiceState::kPausePending || status_.state == ServiceState::kPaused) {
      // Continued: collect at once rather than after another full interval.
      SetStateLocked(ServiceState::kRunning);
      return true;
    }
    if (changed_.wait_until(lock, deadline) == std::cv_status::timeout && !stop_requested_ &&
        !pause_requested_) {
      return true;
    }
  }
}

ServiceHost::ServiceHost(ServiceStatusReporter& reporter, EventLogSink& log, ServiceTiming timing)
    : work_(new ServiceWork(reporter, timing)), log_(log) {}

ControlResult ServiceHost::HandleControl(ServiceControl control) {
  ServiceWork& work = *work_;
  std::lock_guard lock(work.mu_);
  const ServiceState state = work.status_.state;
  if (work.finishing_ && control != ServiceControl::kInterrogate) {
    const bool stopping = control == ServiceControl::kStop || control == ServiceControl::kShutdown;
    return stopping ? ControlResult::kAccepted : ControlResult::kNotAcceptedNow;
  }
  switch (control) {
    case ServiceControl::kInterrogate:
      work.ReportLocked();
      return ControlResult::kAccepted;
    case ServiceControl::kStop:
    case ServiceControl::kShutdown:
      if (state == ServiceState::kStopPending || state == ServiceState::kStopped) {
        return ControlResult::kAccepted;
      }
      work.stop_requested_ = true;
      work.stop_deadline_ = std::chrono::steady_clock::now() + (control == ServiceControl::kShutdown
                                                                    ? work.timing_.shutdown_budget
                                                                    : work.timing_.stop_budget);
      work.SetStateLocked(ServiceState::kStopPending);
      return ControlResult::kAccepted;
    case ServiceControl::kPause:
      if (state == ServiceState::kPaused || state == ServiceState::kPausePending) {
        return ControlResult::kAccepted;
      }
      if (state != ServiceState::kRunning && state != ServiceState::kContinuePending) {
        return ControlResult::kNotAcceptedNow;
      }
      work.pause_requested_ = true;
      work.SetStateLocked(ServiceState::kPausePending);
      return ControlResult::kAccepted;
    case ServiceControl::kContinue:
      if (state == ServiceState::kRunning || state == ServiceState::kContinuePending) {
        return ControlResult::kAccepted;
      }
      if (state != ServiceState::kPaused && state != ServiceState::kPausePending) {
        return ControlResult::kNotAcceptedNow;
      }
      work.pause_requested_ = false;
      work.SetStateLocked(ServiceState::kContinuePending);
      return ControlResult::kAccepted;
  }
  return ControlResult::kNotAcceptedNow;
}

uint32_t ServiceHost::Run(ServiceBody body) {
  ServiceWork& work = *work_;
  {
    std::lock_guard lock(work.mu_);
    work.SetStateLocked(ServiceState::kStartPending);
  }
  std::thread thread([shared = work_, body = std::move(body)] {
    uint32_t exit_code = kExitUnexpectedError;
    std::string error;
    try {
      exit_code = body(*shared);
    } catch (const std::exception& e) {
      error = e.what();
    } catch (...) {
      error = "an exception that is not a std::exception";
    }
    std::lock_guard lock(shared->mu_);
    shared->work_exit_code_ = exit_code;
    shared->work_error_ = std::move(error);
    shared->changed_.notify_all();
  });

  std::unique_lock lock(work.mu_);
  auto next_checkpoint = std::chrono::steady_clock::now() + work.timing_.checkpoint_period;
  while (!work.work_exit_code_.has_value()) {
    const auto now = std::chrono::steady_clock::now();
    if (work.stop_requested_ && now >= work.stop_deadline_) {
      break;
    }
    if (now >= next_checkpoint) {
      if (work.PendingLocked() && work.status_.state != ServiceState::kStartPending) {
        ++work.status_.checkpoint;
        work.ReportLocked();
      }
      next_checkpoint = now + work.timing_.checkpoint_period;
    }
    auto wake = next_checkpoint;
    if (work.stop_requested_ && work.stop_deadline_ < wake) {
      wake = work.stop_deadline_;
    }
    work.changed_.wait_until(lock, wake);
  }

  work.finishing_ = true;
  uint32_t exit_code = kExitClean;
  std::string error;
  if (work.work_exit_code_.has_value()) {
    exit_code = *work.work_exit_code_;
    error = work.work_error_;
  } else {
    // An operator or Windows asked for the stop: not a failure, so no recovery action restarts
    // the service; the work still running is cut off when the process ends.
    work_abandoned_ = true;
  }
  lock.unlock();

  if (!error.empty()) {
    log_.Write(EventSeverity::kError, "the agent stopped on an unexpected error: " + error);
  }
  if (work_abandoned_) {
    thread.detach();
    log_.Write(EventSeverity::kWarning,
               "the agent's work did not end within the stop budget; the service stops anyway");
  } else {
    thread.join();
  }
  // STOPPED last, after the log: once it is reported the process may be ended at any moment.
  lock.lock();
  work.status_.state = ServiceState::kStopped;
  work.status_.accepts = {};
  work.status_.exit_code = exit_code;
  work.status_.checkpoint = 0;
  work.status_.wait_hint = std::chrono::milliseconds(0);
  work.ReportLocked();
  work.ended_ = true;
  return exit_code;
}

}  // namespace mamori::agent::windows
