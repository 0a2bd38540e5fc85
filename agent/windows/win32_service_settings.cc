// Both calls are thin: the decisions (what to read, when to erase) live in portable code.
#include "agent/windows/win32_service_settings.h"

#include <windows.h>

#include <memory>
#include <type_traits>

#include "platform/windows/wide_text.h"

namespace mamori::agent::windows {
namespace {

struct HkeyCloser {
  void operator()(HKEY key) const { ::RegCloseKey(key); }
};
using UniqueHkey = std::unique_ptr<std::remove_pointer_t<HKEY>, HkeyCloser>;

// Environment variables are at most 32,767 characters.
constexpr DWORD kMaxVariableChars = 32'767;

}  // namespace

std::optional<std::string> Win32EnvironmentVariable(std::string_view name) {
  const std::wstring wide_name = platform::ToUtf16(name);
  if (wide_name.empty()) {
    return std::nullopt;
  }
  const DWORD needed = ::GetEnvironmentVariableW(wide_name.c_str(), nullptr, 0);
  if (needed == 0 || needed > kMaxVariableChars + 1) {
    return std::nullopt;
  }
  std::wstring value(needed, L'\0');
  const DWORD written = ::GetEnvironmentVariableW(wide_name.c_str(), value.data(), needed);
  if (written == 0 || written >= needed) {
    return std::nullopt;  // unset meanwhile, or grown past the buffer: treat as not set
  }
  value.resize(written);
  return platform::ToUtf8(value);
}

EraseResult EraseEnrollmentToken() {
  const std::wstring key_path = platform::ToUtf16(kSettingsKey);
  HKEY raw = nullptr;
  const LSTATUS opened = ::RegOpenKeyExW(HKEY_LOCAL_MACHINE, key_path.c_str(), 0,
                                         KEY_SET_VALUE | KEY_WOW64_64KEY, &raw);
  if (opened == ERROR_FILE_NOT_FOUND) {
    return {};
  }
  if (opened != ERROR_SUCCESS) {
    return {"cannot open HKLM\\" + std::string(kSettingsKey) +
            " to erase the enrollment token: error " + std::to_string(opened)};
  }
  const UniqueHkey key(raw);
  const std::wstring value_name = platform::ToUtf16(kEnrollmentTokenValue);
  const LSTATUS deleted = ::RegDeleteValueW(key.get(), value_name.c_str());
  if (deleted != ERROR_SUCCESS && deleted != ERROR_FILE_NOT_FOUND) {
    return {"cannot erase HKLM\\" + std::string(kSettingsKey) + "\\" + kEnrollmentTokenValue +
            ": error " + std::to_string(deleted)};
  }
  return {};
}

}  // namespace mamori::agent::windows
