// The Windows firewall probe with a fake registry (the registry logic itself is tested on every OS
// in windows_firewall_test.cc); runs under Wine.
#include "platform/windows/firewall_probe.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "platform/parse/windows_firewall.h"
#include "tests/platform/fake_registry.h"
#include "tests/platform/fixture.h"

namespace mamori::platform {
namespace {

const facts::Timestamp kNow{std::chrono::seconds(1795600000)};

TEST(WindowsFirewallProbe, ReportsEveryProfileWithTheTimeOfCollection) {
  auto registry = std::make_unique<testing::FakeRegistry>();
  for (const std::string_view profile : {"DomainProfile", "StandardProfile", "PublicProfile"}) {
    registry->SetDword(std::string(parse::kFirewallPolicyKey) + "\\" + std::string(profile),
                       "EnableFirewall", 1);
  }
  WindowsFirewallProbe probe(testing::FixedTimeEnvironment({}, kNow), std::move(registry));
  const facts::Firewall firewall = probe.Collect();
  EXPECT_EQ(firewall.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(firewall.meta.collected_at, kNow);
  EXPECT_EQ(firewall.enabled, true);
  EXPECT_EQ(firewall.profiles.size(), 3u);
}

TEST(WindowsFirewallProbe, IsUnknownRatherThanOffWithoutAnySetting) {
  WindowsFirewallProbe probe(testing::FixedTimeEnvironment({}, kNow),
                             std::make_unique<testing::FakeRegistry>());
  const facts::Firewall firewall = probe.Collect();
  EXPECT_EQ(firewall.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_EQ(firewall.enabled, std::nullopt);
}

}  // namespace
}  // namespace mamori::platform
