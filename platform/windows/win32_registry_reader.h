// The real RegistryReader: the Win32 registry API, 64-bit view.
#pragma once

#include <memory>

#include "platform/windows/registry_reader.h"

namespace mamori::platform {

enum class RegistryHive {
  kLocalMachine,  // HKEY_LOCAL_MACHINE
  kUsers,         // HKEY_USERS: each loaded user's hive under its SID (per-user screen saver)
};

std::unique_ptr<RegistryReader> MakeWin32RegistryReader(
    RegistryHive hive = RegistryHive::kLocalMachine);

}  // namespace mamori::platform
