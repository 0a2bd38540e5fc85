// The real RegistryReader. Keys are opened per read and closed by RAII: probes read a few hundred
// values a few times a day, so caching handles would buy nothing.
#include "platform/windows/win32_registry_reader.h"

#include <windows.h>

#include <memory>
#include <type_traits>
#include <vector>

#include "platform/windows/wide_text.h"

namespace mamori::platform {
namespace {

// No value a probe reads is anywhere near this; a bigger one is treated as unreadable.
constexpr DWORD kMaxStringBytes = 64 * 1024;

struct HkeyCloser {
  void operator()(HKEY key) const { ::RegCloseKey(key); }
};
using UniqueHkey = std::unique_ptr<std::remove_pointer_t<HKEY>, HkeyCloser>;

// Registry key names are at most 255 characters.
constexpr DWORD kMaxKeyNameChars = 256;
// Enumeration stops here even when the filter matched little: no key a probe reads has this many
// subkeys (the servicing store holds ~10,000 on a long-lived PC).
constexpr DWORD kMaxEnumeratedSubkeys = 1'000'000;

UniqueHkey OpenKey(HKEY root, std::string_view key, REGSAM access) {
  HKEY raw = nullptr;
  const std::wstring wide_key = ToUtf16(key);
  if (::RegOpenKeyExW(root, wide_key.c_str(), 0, access | KEY_WOW64_64KEY, &raw) != ERROR_SUCCESS) {
    return nullptr;
  }
  return UniqueHkey(raw);
}

class Win32RegistryReader final : public RegistryReader {
 public:
  explicit Win32RegistryReader(HKEY root) : root_(root) {}

  std::optional<std::string> ReadString(std::string_view key,
                                        std::string_view value_name) override {
    const UniqueHkey opened = OpenKey(root_, key, KEY_QUERY_VALUE);
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
    const UniqueHkey opened = OpenKey(root_, key, KEY_QUERY_VALUE);
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

  bool KeyExists(std::string_view key) override {
    return OpenKey(root_, key, KEY_QUERY_VALUE) != nullptr;
  }

  bool ValueExists(std::string_view key, std::string_view value_name) override {
    const UniqueHkey opened = OpenKey(root_, key, KEY_QUERY_VALUE);
    if (!opened) {
      return false;
    }
    const std::wstring name = ToUtf16(value_name);
    // No data buffer: only the type and size are queried, so the value's content never leaves the
    // registry.
    return ::RegQueryValueExW(opened.get(), name.c_str(), nullptr, nullptr, nullptr, nullptr) ==
           ERROR_SUCCESS;
  }

  std::vector<std::string> ListSubkeysStartingWith(std::string_view key,
                                                   std::string_view name_prefix) override {
    std::vector<std::string> names;
    const UniqueHkey opened = OpenKey(root_, key, KEY_ENUMERATE_SUB_KEYS);
    if (!opened) {
      return names;
    }
    const std::wstring prefix = ToUtf16(name_prefix);
    for (DWORD index = 0; index < kMaxEnumeratedSubkeys && names.size() < kMaxSubkeys; ++index) {
      wchar_t name[kMaxKeyNameChars];
      DWORD length = kMaxKeyNameChars;
      const LSTATUS status =
          ::RegEnumKeyExW(opened.get(), index, name, &length, nullptr, nullptr, nullptr, nullptr);
      if (status != ERROR_SUCCESS) {
        break;  // ERROR_NO_MORE_ITEMS, or the key changed under us: keep what was listed
      }
      const std::wstring_view found(name, length);
      if (found.size() >= prefix.size() &&
          ::CompareStringOrdinal(found.data(), static_cast<int>(prefix.size()), prefix.data(),
                                 static_cast<int>(prefix.size()), TRUE) == CSTR_EQUAL) {
        names.push_back(ToUtf8(found));
      }
    }
    return names;
  }

 private:
  HKEY root_;  // a predefined key: never closed
};

}  // namespace

std::unique_ptr<RegistryReader> MakeWin32RegistryReader(RegistryHive hive) {
  return std::make_unique<Win32RegistryReader>(hive == RegistryHive::kUsers ? HKEY_USERS
                                                                            : HKEY_LOCAL_MACHINE);
}

}  // namespace mamori::platform
