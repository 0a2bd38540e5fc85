// Names the Windows release from the values under HKLM\SOFTWARE\Microsoft\Windows
// NT\CurrentVersion. Pure logic, built and tested on every OS: the registry is reached only through
// RegistryReader.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "platform/windows/registry_reader.h"

namespace mamori::parse {

inline constexpr std::string_view kWindowsCurrentVersionKey =
    R"(SOFTWARE\Microsoft\Windows NT\CurrentVersion)";

// The raw registry values, as Windows writes them.
struct WindowsVersionValues {
  std::string product_name;               // "Windows 10 Pro" (also on Windows 11)
  std::string edition_id;                 // "Professional", "EnterpriseS" (LTSC), "IoTEnterpriseS"
  std::string display_version;            // "22H2"; absent before 20H2
  std::string release_id;                 // "1909"; stuck at "2009" from 20H2 on
  std::string current_build;              // "19045"
  std::optional<uint32_t> ubr;            // update build revision: 5073
  std::optional<uint32_t> major_version;  // CurrentMajorVersionNumber: 10
  std::optional<uint32_t> minor_version;  // CurrentMinorVersionNumber: 0
  friend bool operator==(const WindowsVersionValues&, const WindowsVersionValues&) = default;
};

// What the facts model reports about the release.
struct WindowsRelease {
  std::string id;              // EditionID
  std::string name;            // "Windows 11 Pro"
  std::string version;         // "23H2"
  std::string pretty_name;     // "Windows 11 Pro 23H2"
  std::string build;           // "22631.4460"
  std::string kernel_version;  // "10.0.22631"
  friend bool operator==(const WindowsRelease&, const WindowsRelease&) = default;
};

// Windows 11 kept "Windows 10" in ProductName; a build of 22000 or later is Windows 11, so the name
// is corrected (server products, which have their own names and build numbers, are left alone).
WindowsRelease DescribeWindowsRelease(const WindowsVersionValues& values);

// Reads the values DescribeWindowsRelease needs; absent ones stay empty.
WindowsVersionValues ReadWindowsVersionValues(platform::RegistryReader& registry);

}  // namespace mamori::parse
