// mamorictl's tables for the evidence register: kinds named in Japanese beside their key, the
// values a kind carries in one DETAILS cell, times in the clinic's zone.
#include "collector/ctl/evidence_tables.h"

#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace mamori::ctl {
namespace {

namespace v1 = mamori::v1;

// "訓練 (drill)": the Japanese staff read, and the key `evidence record` takes.
std::string KindText(v1::OrgRecordKind kind) {
  static constexpr std::array<std::pair<v1::OrgRecordKind, std::string_view>, 10> kKinds = {{
      {v1::ORG_RECORD_KIND_CLINIC, "医療機関名 (clinic)"},
      {v1::ORG_RECORD_KIND_SECURITY_MANAGER, "安全管理責任者 (security_manager)"},
      {v1::ORG_RECORD_KIND_CONTACT_CHART, "連絡体制図 (contact_chart)"},
      {v1::ORG_RECORD_KIND_MDS_SDS, "MDS/SDS (mds_sds)"},
      {v1::ORG_RECORD_KIND_BACKUP, "バックアップ点検 (backup)"},
      {v1::ORG_RECORD_KIND_RESTORE_TEST, "復元テスト (restore_test)"},
      {v1::ORG_RECORD_KIND_BCP, "BCP (bcp)"},
      {v1::ORG_RECORD_KIND_DRILL, "訓練 (drill)"},
      {v1::ORG_RECORD_KIND_CONFIRMATION, "確認 (confirmation)"},
      {v1::ORG_RECORD_KIND_TARGET, "目標日 (target)"},
  }};
  for (const auto& [known, text] : kKinds) {
    if (known == kind) {
      return std::string(text);
    }
  }
  // A kind added by a newer collector: shown by its number rather than hidden.
  return absl::StrCat("kind ", static_cast<int>(kind));
}

std::string HaiIie(bool value) { return value ? "はい" : "いいえ"; }

// The values of a record other than its item and date, each labelled.
std::string DetailsText(const v1::OrgRecord& record) {
  std::vector<std::string> parts;
  if (!record.name().empty()) {
    parts.push_back(record.name());
  }
  if (!record.method().empty()) {
    parts.push_back(absl::StrCat("方法: ", record.method()));
  }
  if (record.has_offline_copy()) {
    parts.push_back(absl::StrCat("オフライン保管: ", HaiIie(record.offline_copy())));
  }
  if (record.has_answer()) {
    parts.push_back(absl::StrCat("回答: ", HaiIie(record.answer())));
  }
  return absl::StrJoin(parts, "; ");
}

Table RecordsTable(const google::protobuf::RepeatedPtrField<v1::OrgRecord>& records) {
  // Notes last: the only column that is never cut.
  Table table{
      {"CURRENT", "ID", "KIND", "ITEM", "DATE", "DETAILS", "RECORDED BY", "RECORDED AT", "NOTES"},
      {}};
  for (const v1::OrgRecord& record : records) {
    table.rows.push_back({record.current() ? "yes" : "", absl::StrCat(record.record_id()),
                          KindText(record.kind()), record.item(), record.date(),
                          DetailsText(record), record.recorded_by(),
                          FormatClinicTime(record.recorded_at()), record.notes()});
  }
  return table;
}

Table OrgFindingsTable(const google::protobuf::RepeatedPtrField<v1::Finding>& findings) {
  Table table{{"STATUS", "RULE", "TITLE", "MHLW", "EVIDENCE"}, {}};
  for (const v1::Finding& finding : findings) {
    table.rows.push_back({FindingStatusText(finding.status()), finding.rule_id(),
                          finding.title_ja(), absl::StrJoin(finding.mhlw_keys(), ", "),
                          finding.evidence()});
  }
  return table;
}

constexpr std::string_view kFindingsTitle = "Clinic findings (MAM-ORG)";

}  // namespace

std::vector<Section> EvidenceSections(const v1::ListOrgEvidenceResponse& response) {
  return {Section{"Evidence register", RecordsTable(response.records())},
          Section{std::string(kFindingsTitle), OrgFindingsTable(response.findings())}};
}

std::vector<Section> RecordedEvidenceSections(const v1::RecordOrgEvidenceResponse& response) {
  google::protobuf::RepeatedPtrField<v1::OrgRecord> one;
  *one.Add() = response.record();
  return {Section{"Recorded", RecordsTable(one)},
          Section{std::string(kFindingsTitle), OrgFindingsTable(response.findings())}};
}

}  // namespace mamori::ctl
