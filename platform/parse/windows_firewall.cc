// Windows Defender Firewall's profiles from the registry.
#include "platform/parse/windows_firewall.h"

#include <array>
#include <string>

namespace mamori::parse {
namespace {

constexpr uint32_t kServiceDisabled = 4;

struct ProfileKeys {
  std::string_view name;          // as Windows' own tools call it
  std::string_view local_key;     // under kFirewallPolicyKey
  std::string_view group_policy;  // under kFirewallGroupPolicyKey
};
constexpr std::array<ProfileKeys, 3> kProfiles = {{
    {"Domain", "DomainProfile", "DomainProfile"},
    {"Private", "StandardProfile", "PrivateProfile"},
    {"Public", "PublicProfile", "PublicProfile"},
}};

}  // namespace

facts::Firewall ReadWindowsFirewall(platform::RegistryReader& registry) {
  facts::Firewall firewall;
  firewall.product = "Windows Defender Firewall";
  const bool service_disabled =
      registry.ReadDword(kFirewallServiceKey, "Start") == kServiceDisabled;
  if (service_disabled) {
    firewall.product += " (service MpsSvc disabled)";
  }

  bool any_off = false;
  bool all_on = true;
  std::string unreadable;
  for (const ProfileKeys& keys : kProfiles) {
    const std::string policy_key =
        std::string(kFirewallGroupPolicyKey) + "\\" + std::string(keys.group_policy);
    const std::string local_key =
        std::string(kFirewallPolicyKey) + "\\" + std::string(keys.local_key);
    std::optional<uint32_t> value = registry.ReadDword(policy_key, "EnableFirewall");
    if (!value) {
      value = registry.ReadDword(local_key, "EnableFirewall");
    }
    facts::FirewallProfile profile{std::string(keys.name), std::nullopt};
    if (service_disabled) {
      profile.enabled = false;
    } else if (value) {
      profile.enabled = *value != 0;
    } else {
      unreadable += (unreadable.empty() ? "" : ", ") + std::string(keys.name);
    }
    any_off = any_off || profile.enabled == false;
    all_on = all_on && profile.enabled == true;
    firewall.profiles.push_back(std::move(profile));
  }

  if (any_off) {
    firewall.enabled = false;
  } else if (all_on) {
    firewall.enabled = true;
  }
  firewall.meta.status = firewall.enabled
                             ? facts::ProbeStatus::Ok()
                             : facts::ProbeStatus::Unknown(
                                   "firewall profiles unknown: no EnableFirewall for " +
                                   unreadable + " under HKLM\\" + std::string(kFirewallPolicyKey) +
                                   " or HKLM\\" + std::string(kFirewallGroupPolicyKey));
  return firewall;
}

}  // namespace mamori::parse
