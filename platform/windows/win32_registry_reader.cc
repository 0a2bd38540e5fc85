// The real RegistryReader. Keys are opened per read and closed by RAII: probes read a handful of
// values a few times a day, so caching handles would buy nothing.
#include "platform/windows/win32_registry_reader.h"

#include <windows.h>

#include <memory>
#include <type_traits>

#include "platform/windows/wide_text.h"

namespace mamori::platform {
namespace {

// No value a probe reads is anywhere near this; a bigger one is treated as unreadable.
constexpr DWORD kMaxStringBytes = 64 * 1024;

struct HkeyCloser {
  void operator()(HKEY key) const { ::RegCloseKey(key); }
};
using UniqueHkey = std::unique_ptr<std::remove_pointer_t<HKEY>, HkeyCloser>;

UniqueHkey OpenLocalMachineKey(std::string_view key) {
  HKEY raw = nullptr;
  const std::wstring wide_key = ToUtf16(key);
  if (::RegOpenKeyExW(HKEY_LOCAL_MACHINE, wide_key.c_str(), 0, KEY_QUERY_VALUE | KEY_WOW64_64KEY,
                      &raw) != ERROR_SUCCESS) {
    return nullptr;
  }
  return UniqueHkey(raw);
}

class Win32RegistryReader final : public RegistryReader {
 public:
  std::optional<std::string> ReadString(std::string_view key,
                                        std::string_view value_name) override {
    const UniqueHkey opened = OpenLocalMachineKey(key);
    if (!opened) {
      return std::nullopt;
    }
    const std::wstring name = ToUtf16(value_name);
    constexpr DWORD kStringTypes = RRF_RT_REG_SZ | RRF_RT_REG_EXPAND_SZ | RRF_NOEXPAND;
    DWORD bytes = 0;
    if (::RegGetValueW(opened.get(), nullptr, name.c_str(), kStringTypes, nullptr, nullptr,
                       &bytes) != ERROR_SUCCESS ||
        bytes > kMaxStringBytes) {
      return std::nullopt;
    }
    // A writer may grow the value between the two calls: retry once with the new size.
    for (int attempt = 0; attempt < 2; ++attempt) {
      std::wstring buffer(bytes / sizeof(wchar_t) + 1, L'\0');
      DWORD size = static_cast<DWORD>(buffer.size() * sizeof(wchar_t));
      const LSTATUS status = ::RegGetValueW(opened.get(), nullptr, name.c_str(), kStringTypes,
                                            nullptr, buffer.data(), &size);
      if (status == ERROR_SUCCESS) {
        buffer.resize(size / sizeof(wchar_t));
        while (!buffer.empty() && buffer.back() == L'\0') {
          buffer.pop_back();
        }
        return ToUtf8(buffer);
      }
      if (status != ERROR_MORE_DATA || size > kMaxStringBytes) {
        return std::nullopt;
      }
      bytes = size;
    }
    return std::nullopt;
  }

  std::optional<uint32_t> ReadDword(std::string_view key, std::string_view value_name) override {
    const UniqueHkey opened = OpenLocalMachineKey(key);
    if (!opened) {
      return std::nullopt;
    }
    const std::wstring name = ToUtf16(value_name);
    DWORD value = 0;
    DWORD size = sizeof(value);
    if (::RegGetValueW(opened.get(), nullptr, name.c_str(), RRF_RT_REG_DWORD, nullptr, &value,
                       &size) != ERROR_SUCCESS) {
      return std::nullopt;
    }
    return static_cast<uint32_t>(value);
  }
};

}  // namespace

std::unique_ptr<RegistryReader> MakeWin32RegistryReader() {
  return std::make_unique<Win32RegistryReader>();
}

}  // namespace mamori::platform
