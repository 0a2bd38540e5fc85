// mamori-check's output: the findings as a Japanese (or English) text report grouped by area, or as
// the mamori.check/v1 JSON document.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/facts/host_facts.h"
#include "platform/rules/finding.h"
#include "platform/rules/rule_catalogue.h"

namespace mamori::check {

enum class Language { kJapanese, kEnglish };

struct StatusCounts {
  int pass = 0;
  int warn = 0;
  int fail = 0;
  int unknown = 0;
  int na = 0;
};

StatusCounts CountStatuses(const std::vector<rules::Finding>& findings);

// Everything one scan produced.
struct CheckResult {
  const facts::HostFacts& facts;
  const std::vector<rules::Finding>& findings;
  const rules::EffectiveRole& role;
  facts::Timestamp checked_at;
};

// {"schema":"mamori.check/v1","host":{...},"facts":{...},"findings":[...],"summary":{...}}
nlohmann::json CheckReportJson(const CheckResult& result);

std::string CheckReportText(const CheckResult& result, Language language);

}  // namespace mamori::check
