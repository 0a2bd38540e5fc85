// The real WmiClient: COM (IWbemLocator -> IWbemServices) on the calling thread.
#pragma once

#include <memory>

#include "platform/windows/wmi_client.h"

namespace mamori::platform {

// Never fails: COM initialisation, connection and query errors come back in each Query's result, so
// a host without a namespace (SecurityCenter2 on Windows Server, most of WMI under Wine) yields
// "unknown" with the HRESULT rather than no probe at all.
std::unique_ptr<WmiClient> MakeWin32WmiClient();

}  // namespace mamori::platform
