// Renders a scan for people (text, grouped by area, Japanese by default) and for programs (JSON).
#include "agent/check/check_report.h"

#include "platform/facts/facts_json.h"
#include "platform/facts/rfc3339.h"

namespace mamori::check {
namespace {

using nlohmann::json;

std::string_view Pick(const rules::LocalizedText& text, Language language) {
  return language == Language::kJapanese ? text.ja : text.en;
}

std::string_view StatusLabel(rules::Status status, Language language) {
  const bool ja = language == Language::kJapanese;
  switch (status) {
    case rules::Status::kPass:
      return ja ? "合格" : "PASS";
    case rules::Status::kWarn:
      return ja ? "注意" : "WARN";
    case rules::Status::kFail:
      return ja ? "不合格" : "FAIL";
    case rules::Status::kUnknown:
      return ja ? "不明" : "UNKNOWN";
    case rules::Status::kNa:
      return ja ? "対象外" : "N/A";
  }
  return "?";
}

std::string_view RoleName(facts::HostRole role) {
  return role == facts::HostRole::kServer ? "server" : "workstation";
}

}  // namespace

StatusCounts CountStatuses(const std::vector<rules::Finding>& findings) {
  StatusCounts counts;
  for (const rules::Finding& finding : findings) {
    switch (finding.status) {
      case rules::Status::kPass:
        ++counts.pass;
        break;
      case rules::Status::kWarn:
        ++counts.warn;
        break;
      case rules::Status::kFail:
        ++counts.fail;
        break;
      case rules::Status::kUnknown:
        ++counts.unknown;
        break;
      case rules::Status::kNa:
        ++counts.na;
        break;
    }
  }
  return counts;
}

json CheckReportJson(const CheckResult& result) {
  const facts::Inventory& inventory = result.facts.inventory;
  json findings = json::array();
  for (const rules::Finding& finding : result.findings) {
    json mhlw = json::array();
    for (const rules::MhlwReference& reference : finding.mhlw) {
      mhlw.push_back({{"key", reference.key},
                      {"text", {{"ja", reference.text.ja}, {"en", reference.text.en}}}});
    }
    findings.push_back(
        {{"rule", finding.rule_id},
         {"status", rules::StatusName(finding.status)},
         {"title", {{"ja", finding.title.ja}, {"en", finding.title.en}}},
         {"evidence", finding.evidence},
         {"remediation", {{"ja", finding.remediation.ja}, {"en", finding.remediation.en}}},
         {"mhlw", std::move(mhlw)}});
  }
  const StatusCounts counts = CountStatuses(result.findings);
  return {{"schema", "mamori.check/v1"},
          {"host",
           {{"hostname", inventory.hostname},
            {"os", inventory.os_pretty_name.empty() ? inventory.os_name : inventory.os_pretty_name},
            {"role", RoleName(result.role.role)},
            {"role_basis", result.role.description},
            {"checked_at", facts::FormatRfc3339(result.checked_at)}}},
          {"facts", facts::ToJson(result.facts)},
          {"findings", std::move(findings)},
          {"summary",
           {{"pass", counts.pass},
            {"warn", counts.warn},
            {"fail", counts.fail},
            {"unknown", counts.unknown},
            {"na", counts.na}}}};
}

std::string CheckReportText(const CheckResult& result, Language language) {
  const bool ja = language == Language::kJapanese;
  const facts::Inventory& inventory = result.facts.inventory;
  std::string out;
  out += ja ? "mamori 点検結果\n" : "mamori check report\n";
  out += (ja ? "  ホスト名: " : "  Host:     ") +
         (inventory.hostname.empty() ? std::string("?") : inventory.hostname) + "\n";
  out += (ja ? "  OS:       " : "  OS:       ") +
         (inventory.os_pretty_name.empty() ? inventory.os_name : inventory.os_pretty_name) + "\n";
  out += (ja ? "  役割:     " : "  Role:     ") + result.role.description + "\n";
  out += (ja ? "  確認日時: " : "  Checked:  ") + facts::FormatJapanTime(result.checked_at) + " (" +
         facts::FormatRfc3339(result.checked_at) + ")\n";

  std::string_view current_area;
  for (const rules::Finding& finding : result.findings) {
    if (finding.area != current_area) {
      current_area = finding.area;
      out += "\n■ " + std::string(Pick(rules::AreaName(finding.area), language)) + "\n";
    }
    out += "  [" + std::string(StatusLabel(finding.status, language)) + "] " +
           std::string(finding.rule_id) + "  " + std::string(Pick(finding.title, language)) + "\n";
    out += (ja ? "      根拠: " : "      Evidence: ") + finding.evidence + "\n";
    if (finding.status == rules::Status::kWarn || finding.status == rules::Status::kFail) {
      out += (ja ? "      対処: " : "      Fix: ") +
             std::string(Pick(finding.remediation, language)) + "\n";
      std::string refs;
      for (const rules::MhlwReference& reference : finding.mhlw) {
        refs += (refs.empty() ? "" : " / ") + std::string(reference.key) + " " +
                std::string(Pick(reference.text, language));
      }
      if (!refs.empty()) {
        out += (ja ? "      厚労省: " : "      MHLW: ") + refs + "\n";
      }
    }
  }
  const StatusCounts counts = CountStatuses(result.findings);
  out += "\n";
  if (ja) {
    out += "合計: 合格 " + std::to_string(counts.pass) + " / 注意 " + std::to_string(counts.warn) +
           " / 不合格 " + std::to_string(counts.fail) + " / 不明 " +
           std::to_string(counts.unknown) + " / 対象外 " + std::to_string(counts.na) + "\n";
  } else {
    out += "Summary: pass " + std::to_string(counts.pass) + ", warn " +
           std::to_string(counts.warn) + ", fail " + std::to_string(counts.fail) + ", unknown " +
           std::to_string(counts.unknown) + ", n/a " + std::to_string(counts.na) + "\n";
  }
  return out;
}

}  // namespace mamori::check
