// The seam between Windows probes and the registry: probes ask for values through this interface,
// the real reader (win32_registry_reader.h) talks to the Windows API, and tests on every OS pass a
// fake. Names and strings are UTF-8 here; UTF-16 exists only inside the real reader.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mamori::platform {

// Reads values below HKEY_LOCAL_MACHINE (64-bit view), e.g.
// ReadString(R"(SOFTWARE\Microsoft\Windows NT\CurrentVersion)", "ProductName").
class RegistryReader {
 public:
  virtual ~RegistryReader() = default;
  // A REG_SZ or REG_EXPAND_SZ value (not expanded); nullopt when the key or value is absent,
  // unreadable or of another type.
  virtual std::optional<std::string> ReadString(std::string_view key,
                                                std::string_view value_name) = 0;
  // A REG_DWORD value; nullopt when absent, unreadable or of another type.
  virtual std::optional<uint32_t> ReadDword(std::string_view key, std::string_view value_name) = 0;
};

}  // namespace mamori::platform
