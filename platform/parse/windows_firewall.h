// Windows Defender Firewall's profiles from the registry: each profile's local EnableFirewall,
// overridden by Group Policy, and the firewall service's start type. Pure logic, built and tested
// on every OS: the registry is reached only through RegistryReader.
#pragma once

#include <string_view>

#include "platform/facts/host_facts.h"
#include "platform/windows/registry_reader.h"

namespace mamori::parse {

inline constexpr std::string_view kFirewallPolicyKey =
    R"(SYSTEM\CurrentControlSet\Services\SharedAccess\Parameters\FirewallPolicy)";
inline constexpr std::string_view kFirewallGroupPolicyKey =
    R"(SOFTWARE\Policies\Microsoft\WindowsFirewall)";
inline constexpr std::string_view kFirewallServiceKey =
    R"(SYSTEM\CurrentControlSet\Services\MpsSvc)";

// The section but its collected_at. Profiles "Domain", "Private" (the registry's StandardProfile)
// and "Public", each on when EnableFirewall is non-zero, Group Policy's value winning; a profile
// with neither value is unknown. A disabled firewall service (MpsSvc Start=4) filters nothing:
// every profile is then off. enabled: false when any profile is off (a laptop moves between
// networks, so each profile matters), true when all three are on; otherwise unknown, and the status
// is unknown naming the profiles that could not be read.
facts::Firewall ReadWindowsFirewall(platform::RegistryReader& registry);

}  // namespace mamori::parse
