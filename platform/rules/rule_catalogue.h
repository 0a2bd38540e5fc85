// The catalogue of every rule mamori evaluates: one row per rule id (a public contract), listed in
// one table in rule_catalogue.cc so that any rule is found by grepping its id once.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/facts/host_facts.h"
#include "platform/rules/contact.h"
#include "platform/rules/finding.h"
#include "platform/rules/policy.h"

namespace mamori::rules {

// The role the rules use for this host, and whether it had to be inferred.
struct EffectiveRole {
  facts::HostRole role = facts::HostRole::kWorkstation;
  // Japanese, for the evidence of role-dependent rules: "サーバ (ポリシーで指定)",
  // "端末PC (役割が未設定のため、より厳しい端末PCとして判定)".
  std::string description;
};

// Policy host.role wins; then Inventory.role; otherwise a host whose OS name says "Server" is a
// server and every other host is judged as a workstation, the stricter choice, saying so in the
// evidence.
EffectiveRole DetermineRole(const facts::Inventory& inventory, const Policy& policy);

// Everything a rule may look at. Rules are pure: no I/O, no clock other than `now`.
struct RuleContext {
  const facts::HostFacts& facts;
  const Policy& policy;
  facts::Timestamp now;
  const EffectiveRole& role;
  // What the collector knows about its contact with the host; null in a local scan.
  const ContactObservation* contact = nullptr;
};

struct RuleOutcome {
  RuleOutcome() = default;
  // Most rules name no accounts: {status, evidence} stays the short form.
  RuleOutcome(Status status_in, std::string evidence_in, std::vector<std::string> subjects_in = {})
      : status(status_in), evidence(std::move(evidence_in)), subjects(std::move(subjects_in)) {}

  Status status = Status::kUnknown;
  std::string evidence;
  std::vector<std::string> subjects;  // Finding::subjects
};

using RuleEvaluator = RuleOutcome (*)(const RuleContext&);

struct RuleDefinition {
  std::string_view id;    // "MAM-PATCH-001"
  std::string_view area;  // "PATCH": the <AREA> of the id
  LocalizedText title;
  std::vector<std::string_view> mhlw;  // keys into mhlw.h: "2-7", "心得6"
  LocalizedText remediation;
  RuleEvaluator evaluate;
};

// Every rule, in report order.
const std::vector<RuleDefinition>& RuleCatalogue();

// The display name of an area ("PATCH" -> 更新プログラム / Updates).
LocalizedText AreaName(std::string_view area);

}  // namespace mamori::rules
