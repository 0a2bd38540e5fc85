// The real Service Control Manager (Wine's, or Windows' as an administrator) drives a service
// built from the same host and installer as mamori-agent.exe: install, start, pause, continue,
// stop, a failing start, uninstall.
#include <gtest/gtest.h>
#include <windows.h>

#include <filesystem>
#include <memory>
#include <thread>
#include <type_traits>

#include "agent/windows/service_host.h"
#include "agent/windows/win32_service_installer.h"
#include "platform/windows/registry_reader.h"
#include "platform/windows/wide_text.h"
#include "platform/windows/win32_registry_reader.h"

namespace mamori::agent::windows {
namespace {

using namespace std::chrono_literals;

constexpr char kTestServiceName[] = "mamori-test-service";

struct ServiceHandleCloser {
  void operator()(SC_HANDLE handle) const { ::CloseServiceHandle(handle); }
};
using ServiceHandle = std::unique_ptr<std::remove_pointer_t<SC_HANDLE>, ServiceHandleCloser>;

struct HandleCloser {
  void operator()(HANDLE handle) const { ::CloseHandle(handle); }
};
using Handle = std::unique_ptr<std::remove_pointer_t<HANDLE>, HandleCloser>;

// Wine exports wine_get_version from ntdll; Windows does not.
bool RunningUnderWine() {
  const HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
  return ntdll != nullptr && ::GetProcAddress(ntdll, "wine_get_version") != nullptr;
}

std::string TestServiceExecutable() {
  wchar_t self[MAX_PATH];
  const DWORD length = ::GetModuleFileNameW(nullptr, self, MAX_PATH);
  const std::filesystem::path dir = std::filesystem::path(std::wstring(self, length)).parent_path();
  return platform::ToUtf8((dir / MAMORI_TEST_SERVICE_EXE).wstring());
}

// Polls until the service is in `state` (or gives up after a generous bound).
SERVICE_STATUS_PROCESS WaitForState(SC_HANDLE service, DWORD state) {
  SERVICE_STATUS_PROCESS status{};
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline) {
    DWORD needed = 0;
    if (!::QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, reinterpret_cast<BYTE*>(&status),
                                sizeof(status), &needed)) {
      ADD_FAILURE() << "QueryServiceStatusEx failed: " << ::GetLastError();
      break;
    }
    if (status.dwCurrentState == state) {
      break;
    }
    std::this_thread::sleep_for(50ms);
  }
  return status;
}

class ScmRoundTrip : public ::testing::Test {
 protected:
  void SetUp() override {
    manager_.reset(::OpenSCManagerW(nullptr, nullptr, SC_MANAGER_ALL_ACCESS));
    if (!manager_) {
      GTEST_SKIP() << "needs an administrator (OpenSCManager: " << ::GetLastError() << ")";
    }
    ASSERT_TRUE(UninstallAgentService(kTestServiceName, 10s).ok());
  }
  void TearDown() override {
    if (manager_) {
      EXPECT_TRUE(UninstallAgentService(kTestServiceName, 10s).ok());
    }
  }
  // The test service, registered the way `mamori-agent service install` registers the agent.
  static ServiceInstallation TestInstallation() {
    ServiceInstallation installation;
    installation.service_name = kTestServiceName;
    installation.executable_path = TestServiceExecutable();
    return installation;
  }
  ServiceHandle OpenTestService() {
    return ServiceHandle(::OpenServiceW(manager_.get(), platform::ToUtf16(kTestServiceName).c_str(),
                                        SERVICE_ALL_ACCESS));
  }

  ServiceHandle manager_;
};

TEST_F(ScmRoundTrip, InstallsWithRecoveryActionsAndAnEventSource) {
  const ServiceInstallation installation = TestInstallation();
  const SetupResult installed = InstallAgentService(installation);
  ASSERT_TRUE(installed.ok()) << installed.error;

  const ServiceHandle service = OpenTestService();
  ASSERT_TRUE(service);
  std::vector<BYTE> buffer(8192);
  DWORD needed = 0;
  ASSERT_TRUE(::QueryServiceConfigW(service.get(),
                                    reinterpret_cast<QUERY_SERVICE_CONFIGW*>(buffer.data()),
                                    static_cast<DWORD>(buffer.size()), &needed));
  const auto* config = reinterpret_cast<const QUERY_SERVICE_CONFIGW*>(buffer.data());
  EXPECT_EQ(config->dwStartType, static_cast<DWORD>(SERVICE_AUTO_START));
  EXPECT_EQ(config->dwServiceType, static_cast<DWORD>(SERVICE_WIN32_OWN_PROCESS));
  EXPECT_EQ(platform::ToUtf8(config->lpBinaryPathName),
            ServiceCommandLine(installation.executable_path));

  if (RunningUnderWine()) {
    // Wine's SCM accepts the restart actions without keeping them (QueryServiceConfig2W answers
    // ERROR_INVALID_LEVEL) and has no SERVICE_CONFIG_FAILURE_ACTIONS_FLAG: the install says so.
    ASSERT_EQ(installed.notes.size(), 1u);
    EXPECT_NE(installed.notes[0].find("FAILURE_ACTIONS_FLAG"), std::string::npos);
    EXPECT_FALSE(QueryFailureActions(kTestServiceName).has_value());
  } else {
    EXPECT_TRUE(installed.notes.empty());
    EXPECT_EQ(QueryFailureActions(kTestServiceName), DesiredFailureActions());
  }

  const std::unique_ptr<platform::RegistryReader> registry = platform::MakeWin32RegistryReader();
  EXPECT_EQ(registry->ReadString(EventLogSourceKey(kTestServiceName), "EventMessageFile"),
            installation.executable_path);
  EXPECT_EQ(registry->ReadDword(EventLogSourceKey(kTestServiceName), "TypesSupported"), 7u);

  // Installing again (an upgrade) updates rather than fails.
  EXPECT_TRUE(InstallAgentService(installation).ok());
}

TEST_F(ScmRoundTrip, StartsPausesContinuesAndStops) {
  const ServiceInstallation installation = TestInstallation();
  ASSERT_TRUE(InstallAgentService(installation).ok());
  const ServiceHandle service = OpenTestService();
  ASSERT_TRUE(service);

  ASSERT_TRUE(::StartServiceW(service.get(), 0, nullptr)) << ::GetLastError();
  SERVICE_STATUS_PROCESS status = WaitForState(service.get(), SERVICE_RUNNING);
  ASSERT_EQ(status.dwCurrentState, static_cast<DWORD>(SERVICE_RUNNING));
  EXPECT_EQ(status.dwControlsAccepted,
            static_cast<DWORD>(SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_PAUSE_CONTINUE |
                               SERVICE_ACCEPT_SHUTDOWN));
  EXPECT_NE(status.dwProcessId, 0u);

  SERVICE_STATUS control_status{};
  ASSERT_TRUE(::ControlService(service.get(), SERVICE_CONTROL_PAUSE, &control_status))
      << ::GetLastError();
  EXPECT_EQ(WaitForState(service.get(), SERVICE_PAUSED).dwCurrentState,
            static_cast<DWORD>(SERVICE_PAUSED));

  ASSERT_TRUE(::ControlService(service.get(), SERVICE_CONTROL_CONTINUE, &control_status))
      << ::GetLastError();
  EXPECT_EQ(WaitForState(service.get(), SERVICE_RUNNING).dwCurrentState,
            static_cast<DWORD>(SERVICE_RUNNING));

  ASSERT_TRUE(::ControlService(service.get(), SERVICE_CONTROL_INTERROGATE, &control_status))
      << ::GetLastError();
  EXPECT_EQ(control_status.dwCurrentState, static_cast<DWORD>(SERVICE_RUNNING));

  ASSERT_TRUE(::ControlService(service.get(), SERVICE_CONTROL_STOP, &control_status))
      << ::GetLastError();
  status = WaitForState(service.get(), SERVICE_STOPPED);
  EXPECT_EQ(status.dwCurrentState, static_cast<DWORD>(SERVICE_STOPPED));
  EXPECT_EQ(status.dwWin32ExitCode, static_cast<DWORD>(NO_ERROR));
}

TEST_F(ScmRoundTrip, ReportsAFailedStartAsStoppedWithTheServiceSpecificExitCode) {
  const ServiceInstallation installation = TestInstallation();
  ASSERT_TRUE(InstallAgentService(installation).ok());
  const ServiceHandle service = OpenTestService();
  ASSERT_TRUE(service);
  // The test service fails at start-up when its command line ends in "fail".
  const std::wstring failing =
      platform::ToUtf16(ServiceCommandLine(installation.executable_path) + " fail");
  ASSERT_TRUE(::ChangeServiceConfigW(service.get(), SERVICE_NO_CHANGE, SERVICE_NO_CHANGE,
                                     SERVICE_NO_CHANGE, failing.c_str(), nullptr, nullptr, nullptr,
                                     nullptr, nullptr, nullptr));

  ASSERT_TRUE(::StartServiceW(service.get(), 0, nullptr)) << ::GetLastError();
  const SERVICE_STATUS_PROCESS status = WaitForState(service.get(), SERVICE_STOPPED);
  EXPECT_EQ(status.dwCurrentState, static_cast<DWORD>(SERVICE_STOPPED));
  EXPECT_EQ(status.dwWin32ExitCode, static_cast<DWORD>(ERROR_SERVICE_SPECIFIC_ERROR));
  EXPECT_EQ(status.dwServiceSpecificExitCode, static_cast<DWORD>(kExitBadSettings));
}

TEST_F(ScmRoundTrip, UninstallRemovesTheServiceAndItsEventSource) {
  const ServiceInstallation installation = TestInstallation();
  ASSERT_TRUE(InstallAgentService(installation).ok());
  const ServiceHandle service = OpenTestService();
  ASSERT_TRUE(service);
  ASSERT_TRUE(::StartServiceW(service.get(), 0, nullptr)) << ::GetLastError();
  ASSERT_EQ(WaitForState(service.get(), SERVICE_RUNNING).dwCurrentState,
            static_cast<DWORD>(SERVICE_RUNNING));

  const SetupResult removed = UninstallAgentService(kTestServiceName, 10s);
  ASSERT_TRUE(removed.ok()) << removed.error;
  EXPECT_EQ(WaitForState(service.get(), SERVICE_STOPPED).dwCurrentState,
            static_cast<DWORD>(SERVICE_STOPPED));
  const std::unique_ptr<platform::RegistryReader> registry = platform::MakeWin32RegistryReader();
  EXPECT_FALSE(registry->KeyExists(EventLogSourceKey(kTestServiceName)));
}

TEST(ServiceDispatcher, RefusesToRunFromAConsole) {
  // Not started by the SCM: StartServiceCtrlDispatcherW fails with
  // ERROR_FAILED_SERVICE_CONTROLLER_CONNECT and the exe says so instead of hanging.
  std::wstring command_line = platform::ToUtf16(ServiceCommandLine(TestServiceExecutable()));
  STARTUPINFOW startup{};
  startup.cb = sizeof(startup);
  PROCESS_INFORMATION process{};
  ASSERT_TRUE(::CreateProcessW(nullptr, command_line.data(), nullptr, nullptr, FALSE,
                               CREATE_NO_WINDOW, nullptr, nullptr, &startup, &process))
      << ::GetLastError();
  const Handle thread(process.hThread);
  const Handle child(process.hProcess);
  ASSERT_EQ(::WaitForSingleObject(child.get(), 30'000), WAIT_OBJECT_0);
  DWORD exit_code = 0;
  ASSERT_TRUE(::GetExitCodeProcess(child.get(), &exit_code));
  EXPECT_EQ(exit_code, 2u);
}

}  // namespace
}  // namespace mamori::agent::windows
