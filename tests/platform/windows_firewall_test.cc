// The Windows Defender Firewall registry logic against a fake registry: runs on every OS.
#include "platform/parse/windows_firewall.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/platform/fake_registry.h"

namespace mamori::parse {
namespace {

using ::testing::ElementsAre;

std::string Local(std::string_view profile) {
  return std::string(kFirewallPolicyKey) + "\\" + std::string(profile);
}
std::string Policy(std::string_view profile) {
  return std::string(kFirewallGroupPolicyKey) + "\\" + std::string(profile);
}

testing::FakeRegistry AllProfiles(uint32_t domain, uint32_t standard, uint32_t public_profile) {
  testing::FakeRegistry registry;
  registry.SetDword(Local("DomainProfile"), "EnableFirewall", domain)
      .SetDword(Local("StandardProfile"), "EnableFirewall", standard)
      .SetDword(Local("PublicProfile"), "EnableFirewall", public_profile);
  return registry;
}

TEST(WindowsFirewall, ReportsEnabledWhenEveryProfileIsOn) {
  testing::FakeRegistry registry = AllProfiles(1, 1, 1);
  const facts::Firewall firewall = ReadWindowsFirewall(registry);
  EXPECT_EQ(firewall.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(firewall.enabled, true);
  EXPECT_EQ(firewall.product, "Windows Defender Firewall");
  EXPECT_THAT(firewall.profiles, ElementsAre(facts::FirewallProfile{"Domain", true},
                                             facts::FirewallProfile{"Private", true},
                                             facts::FirewallProfile{"Public", true}));
}

TEST(WindowsFirewall, ReportsDisabledWhenAnyProfileIsOff) {
  testing::FakeRegistry registry = AllProfiles(1, 0, 1);
  const facts::Firewall firewall = ReadWindowsFirewall(registry);
  EXPECT_EQ(firewall.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(firewall.enabled, false);
  EXPECT_EQ(firewall.profiles[1], (facts::FirewallProfile{"Private", false}));
}

TEST(WindowsFirewall, LetsGroupPolicyWinOverTheLocalSetting) {
  testing::FakeRegistry registry = AllProfiles(0, 1, 1);
  registry.SetDword(Policy("DomainProfile"), "EnableFirewall", 1)
      .SetDword(Policy("PublicProfile"), "EnableFirewall", 0);
  const facts::Firewall firewall = ReadWindowsFirewall(registry);
  EXPECT_EQ(firewall.enabled, false);
  EXPECT_THAT(firewall.profiles, ElementsAre(facts::FirewallProfile{"Domain", true},
                                             facts::FirewallProfile{"Private", true},
                                             facts::FirewallProfile{"Public", false}));
}

TEST(WindowsFirewall, ReportsEveryProfileOffWhenTheServiceIsDisabled) {
  testing::FakeRegistry registry = AllProfiles(1, 1, 1);
  registry.SetDword(kFirewallServiceKey, "Start", 4);
  const facts::Firewall firewall = ReadWindowsFirewall(registry);
  EXPECT_EQ(firewall.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(firewall.enabled, false);
  EXPECT_EQ(firewall.product, "Windows Defender Firewall (service MpsSvc disabled)");
  for (const facts::FirewallProfile& profile : firewall.profiles) {
    EXPECT_EQ(profile.enabled, false) << profile.name;
  }
}

TEST(WindowsFirewall, IsUnknownNamingTheProfilesThatCannotBeRead) {
  testing::FakeRegistry registry;
  registry.SetDword(Local("DomainProfile"), "EnableFirewall", 1);
  const facts::Firewall firewall = ReadWindowsFirewall(registry);
  EXPECT_EQ(firewall.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_EQ(
      firewall.meta.status.reason,
      "firewall profiles unknown: no EnableFirewall for Private, Public under "
      "HKLM\\SYSTEM\\CurrentControlSet\\Services\\SharedAccess\\Parameters\\FirewallPolicy or "
      "HKLM\\SOFTWARE\\Policies\\Microsoft\\WindowsFirewall");
  EXPECT_EQ(firewall.enabled, std::nullopt);
  EXPECT_EQ(firewall.profiles[0], (facts::FirewallProfile{"Domain", true}));
  EXPECT_EQ(firewall.profiles[2], (facts::FirewallProfile{"Public", std::nullopt}));
}

TEST(WindowsFirewall, AKnownOffProfileDecidesEvenWhenAnotherIsUnknown) {
  testing::FakeRegistry registry;
  registry.SetDword(Local("PublicProfile"), "EnableFirewall", 0);
  const facts::Firewall firewall = ReadWindowsFirewall(registry);
  EXPECT_EQ(firewall.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(firewall.enabled, false);
}

}  // namespace
}  // namespace mamori::parse
