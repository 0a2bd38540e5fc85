// The real SessionApi: wtsapi32 (WTSEnumerateSessionsW, WTSQuerySessionInformationW), kernel32
// (GetTickCount64, ProcessIdToSessionId) and user32 (GetLastInputInfo).
#pragma once

#include <memory>

#include "platform/windows/session_api.h"

namespace mamori::platform {

std::unique_ptr<SessionApi> MakeWin32SessionApi();

}  // namespace mamori::platform
