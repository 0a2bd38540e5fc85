// The MHLW cybersecurity checklist (医療機関確認用) as mamori answers it: each item, the evidence
// that decides it (host rules, the clinic's MAM-ORG rules, the evidence register) and whether a
// person may answer it by hand. One table (checklist.cc), keyed as in ../shared/reference/mhlw.md;
// the item texts are our own condensed wording and are always shown beside the key, because the
// official numbering changes by fiscal year.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "platform/rules/finding.h"

namespace mamori::rules {

// The fiscal-year edition whose items the table follows, stated on every checklist report.
inline constexpr LocalizedText kChecklistVersion = {
    "令和7年度 (2025年度) 版チェックリストの項目に基づく",
    "Items of the FY2025 edition of the checklist"};

// How an item is answered.
enum class ChecklistSource {
  kHosts,     // from the hosts' findings of `rules`, per equipment column
  kRegister,  // from the clinic's MAM-ORG findings of `rules` (the evidence register)
  kManual,    // only a person can answer it: a CONFIRMATION record in the register
};

struct ChecklistItemDefinition {
  std::string_view key;  // "2-12"
  std::string_view section;  // "1" 体制構築, "2" 医療情報システムの管理・運用, "3" インシデント対応
  LocalizedText text;
  ChecklistSource source;
  // The rules whose findings decide the item: host rules for kHosts (judged on every host), the
  // MAM-ORG rules for kRegister. A kHosts item may also name MAM-ORG rules; none for kManual.
  std::vector<std::string_view> rules;
  // Whether a person's CONFIRMATION record may answer it (every kManual item; a kHosts item whose
  // evidence from hosts is only partial, e.g. 2-2 remote maintenance tools the hosts do not show).
  bool accepts_confirmation = false;
  // Whether the item is judged per equipment column (サーバ / 端末PC); network devices are outside
  // what mamori sees and are shown as not checked.
  bool per_equipment = false;
  LocalizedText remediation;  // what to do when the answer is いいえ or 要対応
};

// Every item, in report order.
const std::vector<ChecklistItemDefinition>& Checklist();

// The item for a key, or nullopt.
const ChecklistItemDefinition* FindChecklistItem(std::string_view key);

// The section titles: "1" -> 体制構築 / Organisation.
LocalizedText ChecklistSectionName(std::string_view section);

}  // namespace mamori::rules
