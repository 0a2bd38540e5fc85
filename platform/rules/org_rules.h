// The clinic's own rules, MAM-ORG-NNN: judged from the evidence register (what only people know:
// security manager, contact chart, MDS/SDS, backups, restore tests, BCP, drills), not from a
// host's facts. Pure, like every rule: the register's current records, the policy and `now` in,
// findings out. The collector evaluates them whenever they are read (they change with the date,
// not with an agent's snapshot).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/facts/host_facts.h"
#include "platform/rules/finding.h"
#include "platform/rules/policy.h"

namespace mamori::rules {

// The register's record kinds (report.proto OrgRecordKind; the collector converts).
enum class OrgRecordKind {
  kClinic,
  kSecurityManager,
  kContactChart,
  kMdsSds,
  kBackup,
  kRestoreTest,
  kBcp,
  kDrill,
  kConfirmation,
  kTarget,
};

// "clinic", "security_manager", ...: the spelling stored in org_records.kind and used by mamorictl.
std::string_view OrgRecordKindName(OrgRecordKind kind);
std::optional<OrgRecordKind> ParseOrgRecordKind(std::string_view name);

// "YYYY-MM-DD" naming a real calendar day; nullopt for anything else. The register's dates.
std::optional<LocalDate> ParseOrgDate(std::string_view text);

// "Today" for the register: the date of `now` in the policy's business-hours time zone (Asia/Tokyo
// by default), so that 23:30 UTC is already the next day.
LocalDate OrgToday(const Policy& policy, facts::Timestamp now);

struct OrgRecord {
  OrgRecordKind kind = OrgRecordKind::kClinic;
  std::string item;  // CONFIRMATION, TARGET: checklist key; MDS_SDS: the system or vendor
  std::string date;  // YYYY-MM-DD
  std::string name;
  std::string method;
  std::optional<bool> offline_copy;
  std::optional<bool> answer;
  std::string notes;
};

// The current records: the newest of each kind (and item).
struct OrgRegister {
  std::vector<OrgRecord> current;
};

struct OrgRuleDefinition {
  std::string_view id;  // "MAM-ORG-001"
  LocalizedText title;
  std::vector<std::string_view> mhlw;  // "1-1", "3-2", "心得3"
  LocalizedText remediation;
};

// Every MAM-ORG rule, in report order. Ids are a public contract, like the host rules'.
const std::vector<OrgRuleDefinition>& OrgRuleCatalogue();

// One finding per OrgRuleCatalogue() row, in its order; area "ORG". Dates are judged in the
// policy's business-hours time zone (Asia/Tokyo).
std::vector<Finding> EvaluateOrgRules(const OrgRegister& evidence, const Policy& policy,
                                      facts::Timestamp now);

}  // namespace mamori::rules
