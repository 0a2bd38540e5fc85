// SCAFFOLD (issue 7, helper A replaces): the MAM-ORG rules.
#include "platform/rules/org_rules.h"

namespace mamori::rules {

std::string_view OrgRecordKindName(OrgRecordKind) { return ""; }
std::optional<OrgRecordKind> ParseOrgRecordKind(std::string_view) { return std::nullopt; }
const std::vector<OrgRuleDefinition>& OrgRuleCatalogue() {
  static const std::vector<OrgRuleDefinition> kRules;
  return kRules;
}
std::vector<Finding> EvaluateOrgRules(const OrgRegister&, const Policy&, facts::Timestamp) {
  return {};
}

}  // namespace mamori::rules
