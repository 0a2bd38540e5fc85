// The real RegistryReader: HKEY_LOCAL_MACHINE through the Win32 registry API, 64-bit view.
#pragma once

#include <memory>

#include "platform/windows/registry_reader.h"

namespace mamori::platform {

std::unique_ptr<RegistryReader> MakeWin32RegistryReader();

}  // namespace mamori::platform
