// mamorictl evidence: the register's records and the clinic's MAM-ORG findings as tables and CSV.
#include "collector/ctl/evidence_tables.h"

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/codec/proto_time.h"

namespace mamori::ctl {
namespace {

namespace v1 = mamori::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// 2026-11-24 15:30 UTC: 2026-11-25 00:30 in Tokyo.
google::protobuf::Timestamp RecordedAt() {
  return codec::ToProtoTimestamp(
      absl::FromCivil(absl::CivilSecond(2026, 11, 24, 15, 30, 0), absl::UTCTimeZone()));
}

v1::OrgRecord Backup() {
  v1::OrgRecord record;
  record.set_record_id(7);
  record.set_kind(v1::ORG_RECORD_KIND_BACKUP);
  record.set_date("2026-11-20");
  record.set_method("外付けHDD 2台を週替わり");
  record.set_offline_copy(true);
  record.set_notes("NAS は院長室");
  record.set_recorded_by("院長");
  *record.mutable_recorded_at() = RecordedAt();
  record.set_current(true);
  return record;
}

v1::OrgRecord Confirmation() {
  v1::OrgRecord record;
  record.set_record_id(3);
  record.set_kind(v1::ORG_RECORD_KIND_CONFIRMATION);
  record.set_item("2-6");
  record.set_date("2026-11-01");
  record.set_answer(false);
  record.set_notes("=cmd|' /C calc'!A0");
  record.set_recorded_by("院長");
  *record.mutable_recorded_at() = RecordedAt();
  record.set_current(false);
  return record;
}

v1::Finding DrillFinding() {
  v1::Finding finding;
  finding.set_rule_id("MAM-ORG-007");
  finding.set_area("ORG");
  finding.set_title_ja("訓練をしていない、または1年以上前");
  finding.set_title_en("No BCP drill within a year");
  finding.set_status(v1::FINDING_STATUS_FAIL);
  finding.set_evidence("BCP に基づく訓練 (演習) の実施が記録されていません");
  finding.add_mhlw_keys("3-3");
  return finding;
}

TEST(EvidenceSections, ShowsEachRecordWithItsKindInJapaneseAndItsDetails) {
  v1::ListOrgEvidenceResponse response;
  *response.add_records() = Backup();
  *response.add_records() = Confirmation();
  v1::OrgRecord manager;
  manager.set_record_id(1);
  manager.set_kind(v1::ORG_RECORD_KIND_SECURITY_MANAGER);
  manager.set_name("山田 太郎");
  manager.set_date("2026-04-01");
  manager.set_current(true);
  *response.add_records() = manager;
  *response.add_findings() = DrillFinding();

  const std::vector<Section> sections = EvidenceSections(response);
  ASSERT_EQ(sections.size(), 2u);
  EXPECT_EQ(sections[0].title, "Evidence register");
  EXPECT_THAT(sections[0].table.header,
              ElementsAre("CURRENT", "ID", "KIND", "ITEM", "DATE", "DETAILS", "RECORDED BY",
                          "RECORDED AT", "NOTES"));
  ASSERT_EQ(sections[0].table.rows.size(), 3u);
  EXPECT_THAT(sections[0].table.rows[0],
              ElementsAre("yes", "7", "バックアップ点検 (backup)", "", "2026-11-20",
                          "方法: 外付けHDD 2台を週替わり; オフライン保管: はい", "院長",
                          "2026-11-25 00:30", "NAS は院長室"));
  EXPECT_THAT(sections[0].table.rows[1],
              ElementsAre("", "3", "確認 (confirmation)", "2-6", "2026-11-01", "回答: いいえ",
                          "院長", "2026-11-25 00:30", "=cmd|' /C calc'!A0"));
  EXPECT_EQ(sections[0].table.rows[2][2], "安全管理責任者 (security_manager)");
  EXPECT_EQ(sections[0].table.rows[2][5], "山田 太郎");
  EXPECT_EQ(sections[0].table.rows[2][7], "") << "no recorded time: no date shown";

  EXPECT_EQ(sections[1].title, "Clinic findings (MAM-ORG)");
  EXPECT_THAT(sections[1].table.header, ElementsAre("STATUS", "RULE", "TITLE", "MHLW", "EVIDENCE"));
  EXPECT_THAT(
      sections[1].table.rows,
      ElementsAre(ElementsAre("fail", "MAM-ORG-007", "訓練をしていない、または1年以上前", "3-3",
                              "BCP に基づく訓練 (演習) の実施が記録されていません")));
}

TEST(EvidenceSections, NamesAnUnknownKindRatherThanHidingIt) {
  v1::ListOrgEvidenceResponse response;
  v1::OrgRecord record;
  record.set_kind(static_cast<v1::OrgRecordKind>(42));
  *response.add_records() = record;
  EXPECT_EQ(EvidenceSections(response)[0].table.rows[0][2], "kind 42");
}

TEST(RecordedEvidenceSections, ShowsTheStoredRecordThenTheFindingsAfterIt) {
  v1::RecordOrgEvidenceResponse response;
  *response.mutable_record() = Backup();
  *response.add_findings() = DrillFinding();
  const std::vector<Section> sections = RecordedEvidenceSections(response);
  ASSERT_EQ(sections.size(), 2u);
  EXPECT_EQ(sections[0].title, "Recorded");
  ASSERT_EQ(sections[0].table.rows.size(), 1u);
  EXPECT_EQ(sections[0].table.rows[0][1], "7");
  EXPECT_EQ(sections[1].table.rows.size(), 1u);
}

TEST(RecordedEvidenceSections, RenderAsCsvWithTheNotesFormulaNeutralised) {
  v1::RecordOrgEvidenceResponse response;
  *response.mutable_record() = Confirmation();
  absl::StatusOr<std::string> csv =
      RenderOutput(OutputFormat::kCsv, response, RecordedEvidenceSections(response));
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_THAT(*csv, HasSubstr("'=cmd|' /C calc'!A0"));
  EXPECT_THAT(*csv, HasSubstr("確認 (confirmation),2-6,2026-11-01,回答: いいえ"));
  absl::StatusOr<std::string> table =
      RenderOutput(OutputFormat::kTable, response, RecordedEvidenceSections(response));
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_THAT(*table, HasSubstr("== Recorded =="));
  EXPECT_THAT(*table, HasSubstr("== Clinic findings (MAM-ORG) =="));
}

}  // namespace
}  // namespace mamori::ctl
