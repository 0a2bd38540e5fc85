// The service's state machine against a fake SCM: what it reports, when, and how it stops.
#include "agent/windows/service_host.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "tests/agent_windows/recording_event_log.h"

namespace mamori::agent::windows {
namespace {

using std::chrono::milliseconds;
using testing::RecordingEventLog;
using namespace std::chrono_literals;

// Keeps every status the host reports and lets a test wait for one.
class RecordingScm final : public ServiceStatusReporter {
 public:
  void Report(const ServiceStatus& status) override {
    std::lock_guard lock(mu_);
    reported_.push_back(status);
    changed_.notify_all();
  }
  // The first status in `state` reported at or after index `from`, within a generous bound.
  std::optional<ServiceStatus> WaitFor(ServiceState state, std::size_t from = 0) {
    std::unique_lock lock(mu_);
    std::optional<ServiceStatus> found;
    changed_.wait_for(lock, 10s, [&] {
      for (std::size_t i = from; i < reported_.size(); ++i) {
        if (reported_[i].state == state) {
          found = reported_[i];
          return true;
        }
      }
      return false;
    });
    return found;
  }
  std::vector<ServiceStatus> reported() const {
    std::lock_guard lock(mu_);
    return reported_;
  }
  std::vector<ServiceState> states() const {
    std::vector<ServiceState> states;
    for (const ServiceStatus& status : reported()) {
      if (states.empty() || states.back() != status.state) {
        states.push_back(status.state);
      }
    }
    return states;
  }
  std::size_t count() const {
    std::lock_guard lock(mu_);
    return reported_.size();
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::vector<ServiceStatus> reported_;
};

// Runs the host on a thread of its own, as the SCM runs ServiceMain.
class RunningHost {
 public:
  RunningHost(RecordingScm& scm, RecordingEventLog& log, ServiceBody body,
              ServiceTiming timing = FastTiming())
      : host_(scm, log, timing), thread_([this, body = std::move(body)]() mutable {
          exit_code_ = host_.Run(std::move(body));
        }) {}
  ~RunningHost() { Join(); }
  static ServiceTiming FastTiming() {
    ServiceTiming timing;
    timing.stop_budget = 2s;
    timing.shutdown_budget = 1s;
    timing.checkpoint_period = 20ms;
    return timing;
  }
  ServiceHost& host() { return host_; }
  uint32_t Join() {
    if (thread_.joinable()) {
      thread_.join();
    }
    return exit_code_;
  }

 private:
  ServiceHost host_;
  std::atomic<uint32_t> exit_code_{0xffffffff};
  std::thread thread_;
};

// A work like the agent's loop: a cycle whenever WaitForNextCycle says so, counted.
struct CountingWork {
  std::atomic<int> cycles{0};
  milliseconds interval;
  ServiceBody Body() {
    return [this](ServiceWork& work) -> uint32_t {
      work.ReportRunning();
      while (work.WaitForNextCycle(interval)) {
        ++cycles;
      }
      return kExitClean;
    };
  }
};

constexpr AcceptedControls kAcceptsAll{.stop = true, .pause_continue = true, .shutdown = true};

TEST(ServiceHost, ReportsStartPendingThenRunningOnceTheWorkIsReady) {
  RecordingScm scm;
  RecordingEventLog log;
  CountingWork work{.interval = 1h};
  RunningHost running(scm, log, work.Body());
  const std::optional<ServiceStatus> status = scm.WaitFor(ServiceState::kRunning);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->accepts, kAcceptsAll);
  EXPECT_EQ(status->checkpoint, 0u);
  EXPECT_EQ(status->wait_hint, 0ms);

  const ServiceStatus first = scm.reported().front();
  EXPECT_EQ(first.state, ServiceState::kStartPending);
  EXPECT_EQ(first.accepts, AcceptedControls{}) << "nothing is accepted while starting";
  EXPECT_EQ(first.checkpoint, 1u);
  EXPECT_EQ(first.wait_hint, ServiceTiming{}.start_wait_hint);

  EXPECT_EQ(running.host().HandleControl(ServiceControl::kStop), ControlResult::kAccepted);
  EXPECT_EQ(running.Join(), kExitClean);
}

TEST(ServiceHost, RunsStartPauseContinueStopInTheOrderTheScmExpects) {
  RecordingScm scm;
  RecordingEventLog log;
  CountingWork work{.interval = 10ms};
  RunningHost running(scm, log, work.Body());
  ASSERT_TRUE(scm.WaitFor(ServiceState::kRunning));

  ASSERT_EQ(running.host().HandleControl(ServiceControl::kPause), ControlResult::kAccepted);
  ASSERT_TRUE(scm.WaitFor(ServiceState::kPaused));
  const int cycles_when_paused = work.cycles.load();
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(work.cycles.load(), cycles_when_paused) << "no cycle runs while paused";

  const std::size_t before_continue = scm.count();
  ASSERT_EQ(running.host().HandleControl(ServiceControl::kContinue), ControlResult::kAccepted);
  ASSERT_TRUE(scm.WaitFor(ServiceState::kRunning, before_continue));
  const auto resumed_by = std::chrono::steady_clock::now() + 5s;
  while (work.cycles.load() == cycles_when_paused &&
         std::chrono::steady_clock::now() < resumed_by) {
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_GT(work.cycles.load(), cycles_when_paused) << "cycles resume after continue";

  ASSERT_EQ(running.host().HandleControl(ServiceControl::kStop), ControlResult::kAccepted);
  EXPECT_EQ(running.Join(), kExitClean);
  EXPECT_EQ(scm.states(),
            (std::vector<ServiceState>{ServiceState::kStartPending, ServiceState::kRunning,
                                       ServiceState::kPausePending, ServiceState::kPaused,
                                       ServiceState::kContinuePending, ServiceState::kRunning,
                                       ServiceState::kStopPending, ServiceState::kStopped}));
  const ServiceStatus stopped = scm.reported().back();
  EXPECT_EQ(stopped.exit_code, 0u);
  EXPECT_EQ(stopped.accepts, AcceptedControls{});
  EXPECT_TRUE(log.events().empty());
}

TEST(ServiceHost, StaysPausePendingUntilTheCycleInFlightEnds) {
  RecordingScm scm;
  RecordingEventLog log;
  std::atomic<bool> in_cycle{false};
  std::atomic<bool> finish_cycle{false};
  RunningHost running(scm, log, [&](ServiceWork& work) -> uint32_t {
    while (work.WaitForNextCycle(1ms)) {
      in_cycle = true;
      while (!finish_cycle) {
        std::this_thread::sleep_for(1ms);
      }
      in_cycle = false;
    }
    return kExitClean;
  });
  while (!in_cycle) {
    std::this_thread::sleep_for(1ms);
  }
  ASSERT_EQ(running.host().HandleControl(ServiceControl::kPause), ControlResult::kAccepted);
  std::this_thread::sleep_for(200ms);  // ten checkpoint periods
  std::vector<ServiceStatus> reported = scm.reported();
  EXPECT_EQ(reported.back().state, ServiceState::kPausePending);
  EXPECT_GT(reported.back().checkpoint, 1u) << "the checkpoint rises while the cycle runs";
  EXPECT_EQ(reported.back().wait_hint, 40ms);

  finish_cycle = true;
  EXPECT_TRUE(scm.WaitFor(ServiceState::kPaused));
  running.host().HandleControl(ServiceControl::kStop);
  EXPECT_EQ(running.Join(), kExitClean);
}

TEST(ServiceHost, StopsAtOnceWhileTheWorkWaitsForItsNextCycle) {
  RecordingScm scm;
  RecordingEventLog log;
  CountingWork work{.interval = 1h};
  RunningHost running(scm, log, work.Body());
  ASSERT_TRUE(scm.WaitFor(ServiceState::kRunning));
  const auto asked = std::chrono::steady_clock::now();
  running.host().HandleControl(ServiceControl::kStop);
  EXPECT_EQ(running.Join(), kExitClean);
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 1s);
  EXPECT_EQ(scm.reported().back().state, ServiceState::kStopped);
}

TEST(ServiceHost, StopsAPausedServiceAndShutsDownLikeAStop) {
  for (const ServiceControl stop : {ServiceControl::kStop, ServiceControl::kShutdown}) {
    RecordingScm scm;
    RecordingEventLog log;
    CountingWork work{.interval = 1h};
    RunningHost running(scm, log, work.Body());
    ASSERT_TRUE(scm.WaitFor(ServiceState::kRunning));
    running.host().HandleControl(ServiceControl::kPause);
    ASSERT_TRUE(scm.WaitFor(ServiceState::kPaused));
    EXPECT_EQ(running.host().HandleControl(stop), ControlResult::kAccepted);
    EXPECT_EQ(running.Join(), kExitClean);
    EXPECT_EQ(scm.reported().back().state, ServiceState::kStopped);
  }
}

TEST(ServiceHost, ReportsAFatalErrorAsStoppedWithItsExitCode) {
  RecordingScm scm;
  RecordingEventLog log;
  RunningHost running(scm, log, [](ServiceWork&) -> uint32_t { return kExitBadSettings; });
  EXPECT_EQ(running.Join(), kExitBadSettings);
  EXPECT_EQ(scm.states(),
            (std::vector<ServiceState>{ServiceState::kStartPending, ServiceState::kStopped}));
  EXPECT_EQ(scm.reported().back().exit_code, kExitBadSettings);
}

TEST(ServiceHost, ReportsAFailureWhileRunningWithItsExitCode) {
  RecordingScm scm;
  RecordingEventLog log;
  RunningHost running(scm, log, [](ServiceWork& work) -> uint32_t {
    work.ReportRunning();
    return kExitFailure;
  });
  EXPECT_EQ(running.Join(), kExitFailure);
  EXPECT_EQ(scm.states(),
            (std::vector<ServiceState>{ServiceState::kStartPending, ServiceState::kRunning,
                                       ServiceState::kStopped}));
  EXPECT_EQ(scm.reported().back().exit_code, kExitFailure);
}

TEST(ServiceHost, ReportsAWorkThatThrowsAsAnUnexpectedErrorAndLogsIt) {
  RecordingScm scm;
  RecordingEventLog log;
  RunningHost running(scm, log,
                      [](ServiceWork&) -> uint32_t { throw std::runtime_error("disk on fire"); });
  EXPECT_EQ(running.Join(), kExitUnexpectedError);
  EXPECT_EQ(scm.reported().back().exit_code, kExitUnexpectedError);
  ASSERT_EQ(log.events().size(), 1u);
  EXPECT_EQ(log.events()[0].first, EventSeverity::kError);
  EXPECT_NE(log.events()[0].second.find("disk on fire"), std::string::npos);
}

TEST(ServiceHost, StopsWithinTheBudgetWhenTheWorkIgnoresStop) {
  RecordingScm scm;
  RecordingEventLog log;
  auto release = std::make_shared<std::atomic<bool>>(false);
  ServiceTiming timing = RunningHost::FastTiming();
  timing.stop_budget = 200ms;
  std::optional<RunningHost> running;
  running.emplace(
      scm, log,
      [release](ServiceWork& work) -> uint32_t {
        work.ReportRunning();
        while (!*release) {  // a cycle stuck in a call that cannot be interrupted
          std::this_thread::sleep_for(1ms);
        }
        return kExitClean;
      },
      timing);
  ASSERT_TRUE(scm.WaitFor(ServiceState::kRunning));
  const auto asked = std::chrono::steady_clock::now();
  running->host().HandleControl(ServiceControl::kStop);
  // Not a failure: an operator asked for the stop, so no recovery action may restart it.
  EXPECT_EQ(running->Join(), kExitClean);
  const auto took = std::chrono::steady_clock::now() - asked;
  EXPECT_GE(took, 200ms);
  EXPECT_LT(took, 2s);
  EXPECT_TRUE(running->host().work_abandoned());
  EXPECT_EQ(scm.reported().back().state, ServiceState::kStopped);
  ASSERT_EQ(log.events().size(), 1u);
  EXPECT_EQ(log.events()[0].first, EventSeverity::kWarning);

  // The abandoned work ends later and must not report anything after STOPPED.
  const std::size_t reports = scm.count();
  *release = true;
  running.reset();
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(scm.count(), reports);
}

TEST(ServiceHost, GivesShutdownTheShorterBudget) {
  RecordingScm scm;
  RecordingEventLog log;
  auto release = std::make_shared<std::atomic<bool>>(false);
  ServiceTiming timing = RunningHost::FastTiming();
  timing.stop_budget = 5s;
  timing.shutdown_budget = 100ms;
  RunningHost running(
      scm, log,
      [release](ServiceWork& work) -> uint32_t {
        work.ReportRunning();
        while (!*release) {
          std::this_thread::sleep_for(1ms);
        }
        return kExitClean;
      },
      timing);
  ASSERT_TRUE(scm.WaitFor(ServiceState::kRunning));
  const auto asked = std::chrono::steady_clock::now();
  running.host().HandleControl(ServiceControl::kShutdown);
  running.Join();
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 2s);
  *release = true;
}

TEST(ServiceHost, RaisesTheCheckpointWhileAStopIsPending) {
  RecordingScm scm;
  RecordingEventLog log;
  RunningHost running(scm, log, [](ServiceWork& work) -> uint32_t {
    while (work.WaitForNextCycle(1h)) {
    }
    std::this_thread::sleep_for(500ms);  // saving state before returning; 25 checkpoint periods
    return kExitClean;
  });
  ASSERT_TRUE(scm.WaitFor(ServiceState::kRunning));
  running.host().HandleControl(ServiceControl::kStop);
  running.Join();
  uint32_t last_checkpoint = 0;
  int pending_reports = 0;
  for (const ServiceStatus& status : scm.reported()) {
    if (status.state == ServiceState::kStopPending) {
      EXPECT_GT(status.checkpoint, last_checkpoint);
      EXPECT_EQ(status.accepts, AcceptedControls{});
      last_checkpoint = status.checkpoint;
      ++pending_reports;
    }
  }
  EXPECT_GE(pending_reports, 3);
}

TEST(ServiceHost, AnswersInterrogateWithTheCurrentStatus) {
  RecordingScm scm;
  RecordingEventLog log;
  CountingWork work{.interval = 1h};
  RunningHost running(scm, log, work.Body());
  ASSERT_TRUE(scm.WaitFor(ServiceState::kRunning));
  const std::size_t before = scm.count();
  EXPECT_EQ(running.host().HandleControl(ServiceControl::kInterrogate), ControlResult::kAccepted);
  ASSERT_EQ(scm.count(), before + 1);
  EXPECT_EQ(scm.reported().back().state, ServiceState::kRunning);
  running.host().HandleControl(ServiceControl::kStop);
  running.Join();
}

TEST(ServiceHost, RefusesPauseAndContinueWhenTheyMeanNothing) {
  RecordingScm scm;
  RecordingEventLog log;
  std::atomic<bool> ready{false};
  RunningHost running(scm, log, [&](ServiceWork& work) -> uint32_t {
    while (!ready) {  // still starting
      std::this_thread::sleep_for(1ms);
    }
    while (work.WaitForNextCycle(1h)) {
    }
    return kExitClean;
  });
  ASSERT_TRUE(scm.WaitFor(ServiceState::kStartPending));
  EXPECT_EQ(running.host().HandleControl(ServiceControl::kPause), ControlResult::kNotAcceptedNow);
  EXPECT_EQ(running.host().HandleControl(ServiceControl::kContinue),
            ControlResult::kNotAcceptedNow);
  ready = true;
  ASSERT_TRUE(scm.WaitFor(ServiceState::kRunning));
  EXPECT_EQ(running.host().HandleControl(ServiceControl::kContinue), ControlResult::kAccepted)
      << "continuing a running service changes nothing";
  running.host().HandleControl(ServiceControl::kStop);
  EXPECT_EQ(running.host().HandleControl(ServiceControl::kPause), ControlResult::kNotAcceptedNow);
  EXPECT_EQ(running.host().HandleControl(ServiceControl::kStop), ControlResult::kAccepted)
      << "a second stop is harmless";
  running.Join();
}

}  // namespace
}  // namespace mamori::agent::windows
