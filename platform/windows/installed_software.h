// The programs Windows lists under "Apps & features", read from the Uninstall keys of both registry
// views, for the inventory ledger. Registry logic only (no Win32 calls), so it is built into
// mamori_parse and tested on every OS with a fake registry.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "platform/facts/host_facts.h"
#include "platform/windows/registry_reader.h"

namespace mamori::platform {

inline constexpr std::string_view kUninstallKey =
    R"(SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall)";
// The same list for 32-bit programs on 64-bit Windows.
inline constexpr std::string_view kUninstallWow64Key =
    R"(SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall)";

// No PC holds more programs than this; the rest are not listed.
inline constexpr std::size_t kMaxInstalledSoftware = 4096;

// Every entry of both views with a DisplayName (DisplayVersion, Publisher, InstallDate "yyyymmdd"
// as midnight UTC), except what Apps & features hides too: SystemComponent=1 entries and updates
// of another entry (ParentKeyName set). A program listed identically in both views is reported
// once. Sorted by name, version and publisher, so the ledger does not change with registry order.
// Per-user installs (HKEY_USERS\<SID>\Software\...\Uninstall) are not read.
std::vector<facts::InstalledSoftware> ListInstalledSoftware(RegistryReader& registry);

}  // namespace mamori::platform
