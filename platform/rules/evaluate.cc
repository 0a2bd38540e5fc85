// Runs every rule of the catalogue and attaches its static texts and MHLW references.
#include "platform/rules/evaluate.h"

#include "platform/rules/mhlw.h"
#include "platform/rules/rule_catalogue.h"

namespace mamori::rules {

std::string_view StatusName(Status status) {
  switch (status) {
    case Status::kPass:
      return "pass";
    case Status::kWarn:
      return "warn";
    case Status::kFail:
      return "fail";
    case Status::kUnknown:
      return "unknown";
    case Status::kNa:
      return "na";
  }
  return "unknown";
}

namespace {

std::vector<Finding> EvaluateAll(const facts::HostFacts& facts, const Policy& policy,
                                 facts::Timestamp now, const ContactObservation* contact) {
  const EffectiveRole role = DetermineRole(facts.inventory, policy);
  const RuleContext context{facts, policy, now, role, contact};
  std::vector<Finding> findings;
  for (const RuleDefinition& rule : RuleCatalogue()) {
    RuleOutcome outcome = rule.evaluate(context);
    Finding finding;
    finding.rule_id = rule.id;
    finding.area = rule.area;
    finding.title = rule.title;
    finding.status = outcome.status;
    finding.evidence = std::move(outcome.evidence);
    finding.remediation = rule.remediation;
    for (std::string_view key : rule.mhlw) {
      if (std::optional<MhlwReference> reference = FindMhlwReference(key)) {
        finding.mhlw.push_back(*reference);
      }
    }
    finding.subjects = std::move(outcome.subjects);
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace

std::vector<Finding> Evaluate(const facts::HostFacts& facts, const Policy& policy,
                              facts::Timestamp now) {
  return EvaluateAll(facts, policy, now, nullptr);
}

std::vector<Finding> Evaluate(const facts::HostFacts& facts, const Policy& policy,
                              facts::Timestamp now, const ContactObservation& contact) {
  return EvaluateAll(facts, policy, now, &contact);
}

}  // namespace mamori::rules
