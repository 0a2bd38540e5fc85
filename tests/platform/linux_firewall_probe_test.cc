#include "platform/linux/firewall_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/platform/fixture.h"
#include "tests/platform/scratch_root.h"

namespace mamori::platform {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const facts::Timestamp kNow{std::chrono::seconds(1750000000)};

ProbeEnvironment Host(const std::filesystem::path& root) {
  return testing::FixedTimeEnvironment(root, kNow);
}

class FakeRuleset final : public NftRulesetSource {
 public:
  explicit FakeRuleset(CommandOutput output) : output_(std::move(output)) {}
  CommandOutput ListRuleset() override { return output_; }

 private:
  CommandOutput output_;
};

TEST(LinuxFirewallProbe, ReportsADisabledUfwAsNoFirewall) {
  const facts::Firewall firewall =
      LinuxFirewallProbe(Host(testing::FixturePath("linux-weak")), nullptr).Collect();
  EXPECT_EQ(firewall.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(firewall.enabled, false);
  EXPECT_EQ(firewall.product, "");
  EXPECT_THAT(firewall.profiles, ElementsAre(facts::FirewallProfile{"ufw", false}));
}

TEST(LinuxFirewallProbe, ReportsUfwAndAnEnabledNftablesConf) {
  const auto firewall =
      LinuxFirewallProbe(Host(testing::FixturePath("linux-hardened")), nullptr).Collect();
  EXPECT_EQ(firewall.enabled, true);
  EXPECT_EQ(firewall.product, "ufw");
  EXPECT_THAT(firewall.profiles, ElementsAre(facts::FirewallProfile{"ufw", true},
                                             facts::FirewallProfile{"nftables", true}));
}

TEST(LinuxFirewallProbe, AnNftablesConfThatIsNotLoadedAtBootDoesNotCount) {
  testing::ScratchRoot root("mamori-firewall");
  root.Write("etc/nftables.conf",
             "table inet filter {\n chain input {\n  type filter hook input priority 0; policy "
             "drop;\n }\n}\n");
  const auto firewall = LinuxFirewallProbe(Host(root.path()), nullptr).Collect();
  EXPECT_EQ(firewall.enabled, false);
  EXPECT_THAT(firewall.profiles, ElementsAre(facts::FirewallProfile{"nftables", false}));
}

TEST(LinuxFirewallProbe, ReadsTheLiveRulesetWhenGivenOne) {
  testing::ScratchRoot root("mamori-firewall");
  const auto firewall =
      LinuxFirewallProbe(Host(root.path()),
                         std::make_unique<FakeRuleset>(CommandOutput{
                             "table inet firewalld {\n\tchain filter_INPUT {\n\t\ttype filter "
                             "hook input priority filter + 10; policy accept;\n\t\treject with "
                             "icmpx admin-prohibited\n\t}\n}\n",
                             ""}))
          .Collect();
  EXPECT_EQ(firewall.enabled, true);
  EXPECT_EQ(firewall.product, "nftables");
}

TEST(LinuxFirewallProbe, ReportsUnknownWhenTheLiveRulesetCannotBeListed) {
  testing::ScratchRoot root("mamori-firewall");
  const auto firewall =
      LinuxFirewallProbe(Host(root.path()),
                         std::make_unique<FakeRuleset>(CommandOutput{
                             "", "/usr/sbin/nft exited with status 1: Operation not permitted"}))
          .Collect();
  EXPECT_EQ(firewall.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_THAT(firewall.meta.status.reason, HasSubstr("cannot list the nftables ruleset"));
  EXPECT_EQ(firewall.enabled, std::nullopt);
}

TEST(LinuxFirewallProbe, SeesARunningFirewalld) {
  testing::ScratchRoot root("mamori-firewall");
  root.Write("usr/sbin/firewalld", "");
  root.Write("proc/1/comm", "systemd\n");
  root.Write("proc/812/comm", "firewalld\n");
  const auto firewall = LinuxFirewallProbe(Host(root.path()), nullptr).Collect();
  EXPECT_EQ(firewall.enabled, true);
  EXPECT_EQ(firewall.product, "firewalld");
}

TEST(LinuxFirewallProbe, RunsTheRealNftCommandOnlyWhenItExists) {
  if (!std::filesystem::exists("/usr/sbin/nft")) {
    const CommandOutput output = MakeNftCommandRulesetSource()->ListRuleset();
    EXPECT_FALSE(output.ok());
    EXPECT_THAT(output.error, HasSubstr("/usr/sbin/nft"));
  }
  ProbeEnvironment env;
  const auto firewall = LinuxFirewallProbe(env, nullptr).Collect();
  EXPECT_NE(firewall.meta.status.state, facts::ProbeState::kError);
}

}  // namespace
}  // namespace mamori::platform
