// The Linux firewall probe: whether the host drops unsolicited inbound traffic, and through which
// product (ufw, firewalld, a plain nftables ruleset).
#pragma once

#include <memory>
#include <string_view>

#include "platform/linux/bounded_command.h"
#include "platform/probe.h"

namespace mamori::platform {

// The live nftables ruleset: `nft list ruleset` needs root and the nft binary, so it sits behind
// this seam; tests hand it recorded rulesets.
class NftRulesetSource {
 public:
  virtual ~NftRulesetSource() = default;
  virtual CommandOutput ListRuleset() = 0;
};

// Runs /usr/sbin/nft list ruleset (10 s, 4 MiB of output at most).
std::unique_ptr<NftRulesetSource> MakeNftCommandRulesetSource();

// Profiles reported: "ufw" (/etc/ufw/ufw.conf ENABLED=yes), "firewalld" (a firewalld process, or,
// when <root>/proc lists nothing, firewalld.service enabled), "nftables" (the live ruleset when a
// source is given, else /etc/nftables.conf loaded by an enabled nftables.service; enabled when an
// input-hook chain drops by default). enabled is true when any profile is; false when none is and
// every source could be read; unknown when the live ruleset could not be listed and nothing else
// protects the host.
class LinuxFirewallProbe final : public Probe<facts::Firewall> {
 public:
  // live_ruleset may be null: the configured ruleset is read from files instead. MakeHostProbes
  // passes the nft command only when the root is "/".
  LinuxFirewallProbe(ProbeEnvironment env, std::unique_ptr<NftRulesetSource> live_ruleset)
      : env_(std::move(env)), live_ruleset_(std::move(live_ruleset)) {}
  std::string_view Name() const override { return "linux firewall"; }
  facts::Firewall Collect() override;

 private:
  ProbeEnvironment env_;
  std::unique_ptr<NftRulesetSource> live_ruleset_;
};

}  // namespace mamori::platform
