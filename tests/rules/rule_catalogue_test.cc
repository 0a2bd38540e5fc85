// The catalogue is the public contract of rule ids: the rules of issue 4, then those added since
// (appended, never renumbered), each once.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "platform/rules/mhlw.h"
#include "platform/rules/rule_catalogue.h"

namespace mamori::rules {
namespace {

TEST(RuleCatalogue, ListsEveryRuleIdInReportOrderWithNewRulesAppended) {
  std::vector<std::string> ids;
  for (const RuleDefinition& rule : RuleCatalogue()) {
    ids.emplace_back(rule.id);
  }
  EXPECT_THAT(
      ids, ::testing::ElementsAre("MAM-PATCH-001", "MAM-PATCH-002", "MAM-PATCH-003",
                                  "MAM-PATCH-004", "MAM-AV-001", "MAM-AV-002", "MAM-AV-003",
                                  "MAM-USB-001", "MAM-USB-002", "MAM-IDLE-001", "MAM-IDLE-002",
                                  "MAM-ACCT-001", "MAM-ACCT-002", "MAM-ACCT-003", "MAM-ACCT-004",
                                  "MAM-ACCT-005", "MAM-ACCT-006", "MAM-LOGON-001", "MAM-LOCK-001",
                                  "MAM-FW-001", "MAM-ENC-001", "MAM-REMOTE-001", "MAM-AGENT-001"));
}

TEST(RuleCatalogue, EveryIdNamesItsAreaAndIsUnique) {
  const std::regex shape("MAM-([A-Z]+)-[0-9]{3}");
  std::set<std::string_view> seen;
  for (const RuleDefinition& rule : RuleCatalogue()) {
    std::cmatch match;
    const std::string id(rule.id);
    ASSERT_TRUE(std::regex_match(id.c_str(), match, shape)) << rule.id;
    EXPECT_EQ(match[1].str(), rule.area) << rule.id;
    EXPECT_TRUE(seen.insert(rule.id).second) << rule.id;
    EXPECT_NE(AreaName(rule.area).ja, rule.area) << "area without a display name: " << rule.area;
  }
}

TEST(RuleCatalogue, EveryMhlwKeyIsKnown) {
  for (const RuleDefinition& rule : RuleCatalogue()) {
    EXPECT_FALSE(rule.mhlw.empty()) << rule.id;
    for (std::string_view key : rule.mhlw) {
      EXPECT_TRUE(FindMhlwReference(key).has_value()) << rule.id << " refers to " << key;
    }
    EXPECT_NE(rule.evaluate, nullptr) << rule.id;
  }
}

}  // namespace
}  // namespace mamori::rules
