// The real PowerSettings. PowerGetActiveScheme allocates the scheme GUID; LocalFree releases it.
#include "platform/windows/win32_power_settings.h"

#include <windows.h>

#include <powrprof.h>

#include <memory>

#include "platform/parse/win32_error.h"

namespace mamori::platform {
namespace {

// parse::kSleepSubgroupGuid and parse::kStandbyIdleGuid as GUIDs (defined here rather than taken
// from winnt.h's DEFINE_GUID, which needs INITGUID in exactly one translation unit).
constexpr GUID kSleepSubgroup = {
    0x238c9fa8, 0x0aad, 0x41ed, {0x83, 0xf4, 0x97, 0xbe, 0x24, 0x2c, 0x8f, 0x20}};
constexpr GUID kStandbyIdle = {
    0x29f6c1db, 0x86da, 0x48c5, {0x9f, 0xdb, 0xf2, 0xb6, 0x7b, 0x1f, 0x44, 0xda}};

struct LocalMemoryFree {
  void operator()(void* memory) const { ::LocalFree(memory); }
};

class Win32PowerSettings final : public PowerSettings {
 public:
  SchemeSleepAfter ReadSleepAfter() override {
    SchemeSleepAfter result;
    GUID* raw_scheme = nullptr;
    const DWORD got = ::PowerGetActiveScheme(nullptr, &raw_scheme);
    const std::unique_ptr<GUID, LocalMemoryFree> scheme(raw_scheme);
    if (got != ERROR_SUCCESS || scheme == nullptr) {
      result.error = parse::Win32CallFailed("PowerGetActiveScheme", got);
      return result;
    }
    DWORD ac = 0;
    if (const DWORD read =
            ::PowerReadACValueIndex(nullptr, scheme.get(), &kSleepSubgroup, &kStandbyIdle, &ac);
        read != ERROR_SUCCESS) {
      result.error = parse::Win32CallFailed("PowerReadACValueIndex(STANDBYIDLE)", read);
      return result;
    }
    result.ac_seconds = ac;
    DWORD dc = 0;
    if (const DWORD read =
            ::PowerReadDCValueIndex(nullptr, scheme.get(), &kSleepSubgroup, &kStandbyIdle, &dc);
        read != ERROR_SUCCESS) {
      result.error = parse::Win32CallFailed("PowerReadDCValueIndex(STANDBYIDLE)", read);
      return result;
    }
    result.dc_seconds = dc;
    return result;
  }
};

}  // namespace

std::unique_ptr<PowerSettings> MakeWin32PowerSettings() {
  return std::make_unique<Win32PowerSettings>();
}

}  // namespace mamori::platform
