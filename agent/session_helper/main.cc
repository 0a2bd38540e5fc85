// mamori-session-helper.exe: started in each user's session at logon (the installer's Run key), it
// tells the agent service every 60 s how long this session has been without keyboard or mouse
// input, the one thing a service in session 0 cannot see (GetLastInputInfo answers for the calling
// session only). No window, no console; one instance per session.
#include <windows.h>

#include <algorithm>
#include <cstdint>
#include <memory>

#include "platform/parse/idle_report.h"
#include "platform/windows/idle_pipe_client.h"
#include "platform/windows/session_api.h"
#include "platform/windows/win32_session_api.h"

namespace {

constexpr DWORD kReportEveryMs = 60'000;
constexpr DWORD kMaxBackoffMs = 15 * 60'000;
// The service is back within minutes after a crash or an update (SCM recovery). An hour without it
// means the agent is gone (uninstalled or disabled): exit rather than poll forever; the next logon
// starts the helper again.
constexpr ULONGLONG kGiveUpAfterMs = 60 * 60'000;

struct HandleClose {
  void operator()(HANDLE handle) const { ::CloseHandle(handle); }
};

// One report; false when it could not be made or delivered.
bool ReportOnce(mamori::platform::SessionApi& sessions) {
  const mamori::platform::SessionIdle idle = sessions.CallingSessionIdle();
  if (!idle.idle) {
    return false;
  }
  const auto idle_ms = std::clamp<int64_t>(idle.idle->count(), 0, UINT32_MAX);
  return mamori::platform::SendIdleReport({static_cast<uint32_t>(idle_ms)}).ok();
}

int Run() {
  // "Local\" names live in the session's own namespace: one helper per session, however often the
  // Run key or a user starts it.
  const std::unique_ptr<void, HandleClose> instance(
      ::CreateMutexW(nullptr, TRUE, L"Local\\mamori-session-helper"));
  if (instance == nullptr || ::GetLastError() == ERROR_ALREADY_EXISTS) {
    return 0;
  }
  const std::unique_ptr<mamori::platform::SessionApi> sessions =
      mamori::platform::MakeWin32SessionApi();
  ULONGLONG last_delivered = ::GetTickCount64();
  DWORD backoff = kReportEveryMs;
  for (;;) {
    if (ReportOnce(*sessions)) {
      last_delivered = ::GetTickCount64();
      backoff = kReportEveryMs;
      ::Sleep(kReportEveryMs);
      continue;
    }
    if (::GetTickCount64() - last_delivered > kGiveUpAfterMs) {
      return 1;
    }
    // The service may be restarting: retry at 1, 2, 4, 8, then every 15 minutes.
    ::Sleep(backoff);
    backoff = std::min(backoff * 2, kMaxBackoffMs);
  }
}

}  // namespace

int WINAPI WinMain(HINSTANCE, HINSTANCE, LPSTR, int) { return Run(); }
