#include "platform/parse/nft_ruleset.h"

#include <gtest/gtest.h>

#include "tests/platform/fixture.h"

namespace mamori::parse {
namespace {

TEST(SummarizeNftRuleset, FindsAnInputChainWithPolicyDrop) {
  const NftRulesetSummary summary =
      SummarizeNftRuleset(testing::ReadFixture("linux-hardened/etc/nftables.conf"));
  EXPECT_EQ(summary.tables, 1u);
  EXPECT_EQ(summary.rules, 3u);
  EXPECT_TRUE(summary.input_drops_by_default);
}

TEST(SummarizeNftRuleset, AnAcceptingInputChainDoesNotProtect) {
  const NftRulesetSummary summary = SummarizeNftRuleset(
      "table inet filter {\n"
      "\tchain input {\n"
      "\t\ttype filter hook input priority filter; policy accept;\n"
      "\t}\n"
      "\tchain forward {\n"
      "\t\ttype filter hook forward priority filter; policy drop;\n"
      "\t}\n"
      "}\n");
  EXPECT_FALSE(summary.input_drops_by_default);
}

TEST(SummarizeNftRuleset, FirewalldsFinalRejectCounts) {
  const NftRulesetSummary summary = SummarizeNftRuleset(
      "table inet firewalld {\n"
      "\tchain filter_INPUT {\n"
      "\t\ttype filter hook input priority filter + 10; policy accept;\n"
      "\t\tct state { established, related } accept\n"
      "\t\tjump filter_INPUT_ZONES\n"
      "\t\treject with icmpx admin-prohibited\n"
      "\t}\n"
      "}\n");
  EXPECT_TRUE(summary.input_drops_by_default);
}

TEST(SummarizeNftRuleset, AnEmptyRulesetHasNothing) {
  EXPECT_EQ(SummarizeNftRuleset(""), NftRulesetSummary{});
}

TEST(SummarizeNftRuleset, ReadsAOneLineChain) {
  EXPECT_TRUE(SummarizeNftRuleset("table ip f {\n chain in { type filter hook input priority 0; "
                                  "policy drop; }\n}\n")
                  .input_drops_by_default);
}

TEST(SummarizeNftRuleset, SurvivesUnbalancedBraces) {
  EXPECT_NO_THROW(SummarizeNftRuleset("}}}}\ntable x {\nchain y {\n{{{{\n"));
}

}  // namespace
}  // namespace mamori::parse
