// The real WindowsUpdateAgent: COM to the Windows Update Agent (wuapi.dll, Microsoft.Update.Session
// and Microsoft.Update.AutoUpdate).
#pragma once

#include <memory>

#include "platform/windows/windows_update_agent.h"

namespace mamori::platform {

// Never fails: a host without the agent (Wine, stripped images) or with its service disabled
// answers each call with the failing call and its HRESULT. Each call runs on a thread of its own in
// the multithreaded apartment, so the caller's apartment does not matter and the search's
// completion callback needs no message loop.
std::unique_ptr<WindowsUpdateAgent> MakeWin32WindowsUpdateAgent();

}  // namespace mamori::platform
