// The translation between the host's states and controls and the SCM's numbers.
#include "agent/windows/win32_service_dispatcher.h"
#include "agent/windows/win32_service_installer.h"

#include <gtest/gtest.h>

namespace mamori::agent::windows {
namespace {

using std::chrono::milliseconds;

TEST(ToWin32Status, ReportsARunningOwnProcessServiceThatAcceptsStopPauseAndShutdown) {
  ServiceStatus status;
  status.state = ServiceState::kRunning;
  status.accepts = {.stop = true, .pause_continue = true, .shutdown = true};
  const SERVICE_STATUS win32 = ToWin32Status(status);
  EXPECT_EQ(win32.dwServiceType, static_cast<DWORD>(SERVICE_WIN32_OWN_PROCESS));
  EXPECT_EQ(win32.dwCurrentState, static_cast<DWORD>(SERVICE_RUNNING));
  EXPECT_EQ(win32.dwControlsAccepted,
            static_cast<DWORD>(SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_PAUSE_CONTINUE |
                               SERVICE_ACCEPT_SHUTDOWN));
  EXPECT_EQ(win32.dwWin32ExitCode, static_cast<DWORD>(NO_ERROR));
}

TEST(ToWin32Status, CarriesCheckpointAndWaitHintWhilePending) {
  ServiceStatus status;
  status.state = ServiceState::kStopPending;
  status.checkpoint = 7;
  status.wait_hint = milliseconds(2000);
  const SERVICE_STATUS win32 = ToWin32Status(status);
  EXPECT_EQ(win32.dwCurrentState, static_cast<DWORD>(SERVICE_STOP_PENDING));
  EXPECT_EQ(win32.dwControlsAccepted, 0u);
  EXPECT_EQ(win32.dwCheckPoint, 7u);
  EXPECT_EQ(win32.dwWaitHint, 2000u);
}

TEST(ToWin32Status, ReportsAFatalErrorAsAServiceSpecificExitCode) {
  ServiceStatus status;
  status.state = ServiceState::kStopped;
  status.exit_code = kExitBadSettings;
  const SERVICE_STATUS win32 = ToWin32Status(status);
  EXPECT_EQ(win32.dwCurrentState, static_cast<DWORD>(SERVICE_STOPPED));
  EXPECT_EQ(win32.dwWin32ExitCode, static_cast<DWORD>(ERROR_SERVICE_SPECIFIC_ERROR));
  EXPECT_EQ(win32.dwServiceSpecificExitCode, static_cast<DWORD>(kExitBadSettings));
}

TEST(ToWin32Status, MapsEveryState) {
  const std::pair<ServiceState, DWORD> expected[] = {
      {ServiceState::kStopped, SERVICE_STOPPED},
      {ServiceState::kStartPending, SERVICE_START_PENDING},
      {ServiceState::kStopPending, SERVICE_STOP_PENDING},
      {ServiceState::kRunning, SERVICE_RUNNING},
      {ServiceState::kContinuePending, SERVICE_CONTINUE_PENDING},
      {ServiceState::kPausePending, SERVICE_PAUSE_PENDING},
      {ServiceState::kPaused, SERVICE_PAUSED}};
  for (const auto& [state, win32_state] : expected) {
    ServiceStatus status;
    status.state = state;
    EXPECT_EQ(ToWin32Status(status).dwCurrentState, win32_state) << ServiceStateName(state);
  }
}

TEST(FromWin32Control, KnowsTheFiveControlsAndNothingElse) {
  EXPECT_EQ(FromWin32Control(SERVICE_CONTROL_STOP), ServiceControl::kStop);
  EXPECT_EQ(FromWin32Control(SERVICE_CONTROL_SHUTDOWN), ServiceControl::kShutdown);
  EXPECT_EQ(FromWin32Control(SERVICE_CONTROL_PAUSE), ServiceControl::kPause);
  EXPECT_EQ(FromWin32Control(SERVICE_CONTROL_CONTINUE), ServiceControl::kContinue);
  EXPECT_EQ(FromWin32Control(SERVICE_CONTROL_INTERROGATE), ServiceControl::kInterrogate);
  EXPECT_FALSE(FromWin32Control(SERVICE_CONTROL_PARAMCHANGE).has_value());
  EXPECT_FALSE(FromWin32Control(SERVICE_CONTROL_PRESHUTDOWN).has_value());
}

TEST(ToScActions, GivesTheScmEachRestartWithItsDelayInMilliseconds) {
  const std::vector<SC_ACTION> actions = ToScActions(DesiredFailureActions());
  ASSERT_EQ(actions.size(), 3u);
  const DWORD delays[] = {60'000, 60'000, 300'000};
  for (std::size_t i = 0; i < actions.size(); ++i) {
    EXPECT_EQ(actions[i].Type, SC_ACTION_RESTART);
    EXPECT_EQ(actions[i].Delay, delays[i]);
  }
}

}  // namespace
}  // namespace mamori::agent::windows
