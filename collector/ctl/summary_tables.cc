// mamorictl summary: areas named as the console names them, statuses as the other tables spell
// them, the first step of each urgent action last (the one column never cut).
#include "collector/ctl/summary_tables.h"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"

namespace mamori::ctl {
namespace {

namespace v1 = mamori::v1;

// "更新プログラム (patch)": the console's words beside the key the JSON carries.
std::string AreaText(std::string_view area) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kAreas = {{
      {"patch", "更新プログラム (patch)"},
      {"antivirus", "ウイルス対策 (antivirus)"},
      {"usb", "USBメモリ (usb)"},
      {"idle", "放置・電源 (idle)"},
      {"accounts", "アカウント (accounts)"},
      {"org", "院内の記録 (org)"},
      {"other", "その他 (other)"},
  }};
  for (const auto& [key, text] : kAreas) {
    if (key == area) {
      return std::string(text);
    }
  }
  // An area added by a newer collector: shown by its key rather than hidden.
  return std::string(area);
}

Table StateTable(const v1::GetClinicSummaryResponse& response) {
  Table table{{"PCS", "COMPLIANT", "NOT COMPLIANT", "UNKNOWN", "AS OF", "CLINIC"}, {}};
  std::string clinic = response.clinic_name();
  if (response.demo()) {
    clinic = clinic.empty() ? "デモ (demo)" : absl::StrCat(clinic, " [デモ (demo)]");
  }
  table.rows.push_back({absl::StrCat(response.hosts()), absl::StrCat(response.compliant()),
                        absl::StrCat(response.not_compliant()), absl::StrCat(response.unknown()),
                        FormatClinicTime(response.generated_at()), clinic});
  return table;
}

Table UrgentTable(const v1::GetClinicSummaryResponse& response) {
  Table table{{"#", "STATUS", "RULE", "PCS", "TITLE", "FIRST STEP"}, {}};
  int rank = 0;
  for (const v1::UrgentAction& action : response.urgent_actions()) {
    // A clinic rule (MAM-ORG) is about the clinic, not about PCs.
    table.rows.push_back({absl::StrCat(++rank), FindingStatusText(action.status()),
                          action.rule_id(), action.hosts() > 0 ? absl::StrCat(action.hosts()) : "-",
                          action.title_ja(), action.remediation_ja()});
  }
  return table;
}

Table AreasTable(const v1::GetClinicSummaryResponse& response) {
  Table table{{"AREA", "OPEN", "FAIL", "WARN"}, {}};
  for (const v1::AreaFindings& area : response.areas()) {
    table.rows.push_back({AreaText(area.area()), absl::StrCat(area.open()),
                          absl::StrCat(area.fail()), absl::StrCat(area.warn())});
  }
  return table;
}

Table TrendTable(const v1::GetClinicSummaryResponse& response) {
  Table table{{"DATE", "COMPLIANT", "KNOWN", "RATE"}, {}};
  const int size = response.trend_size();
  for (int i = std::max(0, size - kSummaryTrendDays); i < size; ++i) {
    const v1::CompliancePoint& point = response.trend(i);
    table.rows.push_back(
        {point.date(), absl::StrCat(point.compliant()), absl::StrCat(point.known()),
         point.known() > 0 ? absl::StrCat(point.compliant() * 100 / point.known(), "%") : "-"});
  }
  return table;
}

}  // namespace

std::vector<Section> SummarySections(const v1::GetClinicSummaryResponse& response) {
  return {Section{"PCs (端末)", StateTable(response)},
          Section{"Most urgent (まず対応すること)", UrgentTable(response)},
          Section{"Open items by area (分野ごとの未解決)", AreasTable(response)},
          Section{absl::StrCat("Compliance, last ", kSummaryTrendDays, " days (適合率)"),
                  TrendTable(response)}};
}

}  // namespace mamori::ctl
