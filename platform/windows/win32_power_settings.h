// The real PowerSettings: powrprof's active power scheme.
#pragma once

#include <memory>

#include "platform/windows/power_settings.h"

namespace mamori::platform {

std::unique_ptr<PowerSettings> MakeWin32PowerSettings();

}  // namespace mamori::platform
