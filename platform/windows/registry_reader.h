// The seam between Windows probes and the registry: probes ask for values through this interface,
// the real reader (win32_registry_reader.h) talks to the Windows API, and tests on every OS pass a
// fake. Names and strings are UTF-8 here; UTF-16 exists only inside the real reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mamori::platform {

// Reads values below one root key (HKEY_LOCAL_MACHINE unless the reader was made for another hive),
// 64-bit view, e.g. ReadString(R"(SOFTWARE\Microsoft\Windows NT\CurrentVersion)", "ProductName").
// The 32-bit view is reached by its path (SOFTWARE\WOW6432Node\...).
class RegistryReader {
 public:
  // ListSubkeys returns at most this many names: no key a probe lists legitimately holds more
  // (Uninstall has a few hundred), and a bound keeps a hostile or corrupt hive from exhausting
  // memory.
  static constexpr std::size_t kMaxSubkeys = 4096;

  virtual ~RegistryReader() = default;
  // A REG_SZ or REG_EXPAND_SZ value (not expanded); nullopt when the key or value is absent,
  // unreadable or of another type.
  virtual std::optional<std::string> ReadString(std::string_view key,
                                                std::string_view value_name) = 0;
  // A REG_DWORD value; nullopt when absent, unreadable or of another type.
  virtual std::optional<uint32_t> ReadDword(std::string_view key, std::string_view value_name) = 0;
  // Whether the key exists (e.g. ...\WindowsUpdate\Auto Update\RebootRequired, whose presence is
  // the fact).
  virtual bool KeyExists(std::string_view key) = 0;
  // Whether a value of any type exists, without reading its data: for values whose content must
  // never be read into the agent's memory or logs (Winlogon DefaultPassword).
  virtual bool ValueExists(std::string_view key, std::string_view value_name) = 0;
  // The names of the key's direct subkeys that start with `name_prefix` (ASCII letters compared
  // without case, as the registry compares names), in the registry's order; empty when the key is
  // absent or unreadable; at most kMaxSubkeys names. The filter runs while enumerating, so a key
  // with tens of thousands of subkeys (the servicing store's Packages) still yields the few wanted.
  virtual std::vector<std::string> ListSubkeysStartingWith(std::string_view key,
                                                           std::string_view name_prefix) = 0;
  // Every direct subkey's name (at most kMaxSubkeys).
  std::vector<std::string> ListSubkeys(std::string_view key) {
    return ListSubkeysStartingWith(key, {});
  }
};

}  // namespace mamori::platform
