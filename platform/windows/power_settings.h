// The seam between the Windows power probe and the power scheme: the active scheme's "Sleep after"
// for AC and DC power. The real one (win32_power_settings.h) calls powrprof; tests on every OS pass
// a fake. The Group Policy override is read through RegistryReader by the probe itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace mamori::platform {

struct SchemeSleepAfter {
  std::optional<uint32_t> ac_seconds;  // 0 = never
  std::optional<uint32_t> dc_seconds;
  // Empty when both were read, else what failed, e.g. "PowerGetActiveScheme failed: error 2
  // (ERROR_FILE_NOT_FOUND)"; a value read before the failure is kept.
  std::string error;
};

class PowerSettings {
 public:
  virtual ~PowerSettings() = default;
  // PowerGetActiveScheme, then PowerReadACValueIndex / PowerReadDCValueIndex of SUB_SLEEP /
  // STANDBYIDLE.
  virtual SchemeSleepAfter ReadSleepAfter() = 0;
};

}  // namespace mamori::platform
