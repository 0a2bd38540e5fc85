// Reads an nftables ruleset, as `nft list ruleset` prints it or /etc/nftables.conf writes it, for
// the one thing a clinic PC's firewall must do: drop unsolicited inbound traffic. ufw, firewalld
// and iptables-nft all end up as such a ruleset.
#pragma once

#include <cstddef>
#include <string_view>

namespace mamori::parse {

struct NftRulesetSummary {
  std::size_t tables = 0;
  std::size_t rules = 0;  // statements inside chains, base-chain headers excluded
  // Some chain hooked to "input" drops what it does not accept: "policy drop;", or an unconditional
  // last rule "drop" / "reject ..." (firewalld's style).
  bool input_drops_by_default = false;
  friend bool operator==(const NftRulesetSummary&, const NftRulesetSummary&) = default;
};

// Line-oriented, the way nft prints rulesets: one statement per line, braces closing blocks.
// Anything it does not understand is counted as a rule or ignored, never an error; "include" lines
// are not followed.
NftRulesetSummary SummarizeNftRuleset(std::string_view text);

}  // namespace mamori::parse
