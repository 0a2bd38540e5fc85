// What one rule concluded about one host: the unit that mamori-check prints and the collector
// stores.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mamori::rules {

// pass/warn/fail are verdicts; unknown means the facts could not be collected (never a quiet pass);
// na means the rule does not apply to this host (e.g. idle-machine rules on a server).
enum class Status { kPass, kWarn, kFail, kUnknown, kNa };

// "pass", "warn", "fail", "unknown", "na": the spelling of the JSON report (a public contract).
std::string_view StatusName(Status status);

// Text shown to clinic staff (ja) and to vendors abroad (en). The catalogue's texts are static.
struct LocalizedText {
  std::string_view ja;
  std::string_view en;
};

// One item of the MHLW checklist or one of the 9つの心得, with our own condensed wording (the
// official numbering changes by fiscal year, so the text is always shown beside the key).
struct MhlwReference {
  std::string_view key;  // "2-7" (checklist item) or "心得6"
  LocalizedText text;
};

struct Finding {
  std::string_view rule_id;  // "MAM-USB-001"
  std::string_view area;     // "USB"
  LocalizedText title;
  Status status = Status::kUnknown;
  std::string evidence;  // what was seen, in Japanese, with concrete values
  LocalizedText remediation;
  std::vector<MhlwReference> mhlw;
  // The local accounts (exact LocalAccount::name) a warn, fail or unknown is about, so the
  // collector can show which rules each account trips; empty when the finding is not about
  // particular accounts. Not part of mamori-check's JSON.
  std::vector<std::string> subjects;
};

}  // namespace mamori::rules
