// mamorictl summary: the dashboard's numbers, urgent actions, areas and recent trend as tables.
#include "collector/ctl/summary_tables.h"

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
using ::testing::SizeIs;

v1::GetClinicSummaryResponse Summary() {
  v1::GetClinicSummaryResponse summary;
  summary.set_hosts(9);
  summary.set_compliant(2);
  summary.set_not_compliant(6);
  summary.set_unknown(1);
  summary.set_clinic_name("さくら内科クリニック");
  // 2026-11-24 15:30 UTC: 2026-11-25 00:30 in Tokyo.
  *summary.mutable_generated_at() = codec::ToProtoTimestamp(
      absl::FromCivil(absl::CivilSecond(2026, 11, 24, 15, 30, 0), absl::UTCTimeZone()));
  v1::UrgentAction& patch = *summary.add_urgent_actions();
  patch.set_rule_id("MAM-PATCH-001");
  patch.set_status(v1::FINDING_STATUS_FAIL);
  patch.set_hosts(2);
  patch.set_title_ja("未適用のセキュリティ更新");
  patch.set_remediation_ja("保留中のセキュリティ更新を適用してください");
  v1::UrgentAction& drill = *summary.add_urgent_actions();
  drill.set_rule_id("MAM-ORG-007");
  drill.set_status(v1::FINDING_STATUS_WARN);
  drill.set_hosts(0);
  drill.set_title_ja("訓練をしていない、または1年以上前");
  drill.set_remediation_ja("BCP に基づく訓練を行い、記録してください");
  for (const char* area : {"patch", "antivirus", "usb", "idle", "accounts", "org", "other"}) {
    v1::AreaFindings& row = *summary.add_areas();
    row.set_area(area);
  }
  summary.mutable_areas(0)->set_open(4);
  summary.mutable_areas(0)->set_fail(3);
  summary.mutable_areas(0)->set_warn(1);
  for (int day = 1; day <= 10; ++day) {
    v1::CompliancePoint& point = *summary.add_trend();
    point.set_date("2026-11-" + std::to_string(15 + day));
    point.set_compliant(day == 10 ? 2 : 0);
    point.set_known(day <= 3 ? 0 : 9);
  }
  return summary;
}

TEST(SummarySections, ShowsTheDashboardsNumbersInItsOrder) {
  const std::vector<Section> sections = SummarySections(Summary());
  ASSERT_THAT(sections, SizeIs(4));

  EXPECT_THAT(
      sections[0].table.rows,
      ElementsAre(ElementsAre("9", "2", "6", "1", "2026-11-25 00:30", "さくら内科クリニック")));

  // Urgent actions in the collector's order; a clinic rule counts no PCs.
  ASSERT_THAT(sections[1].table.rows, SizeIs(2));
  EXPECT_THAT(sections[1].table.rows[0],
              ElementsAre("1", "fail", "MAM-PATCH-001", "2", "未適用のセキュリティ更新",
                          "保留中のセキュリティ更新を適用してください"));
  EXPECT_THAT(sections[1].table.rows[1],
              ElementsAre("2", "warn", "MAM-ORG-007", "-", "訓練をしていない、または1年以上前",
                          "BCP に基づく訓練を行い、記録してください"));
  // The first step is the last column: the one a narrow terminal never cuts.
  EXPECT_EQ(sections[1].table.header.back(), "FIRST STEP");

  ASSERT_THAT(sections[2].table.rows, SizeIs(7));
  EXPECT_THAT(sections[2].table.rows[0], ElementsAre("更新プログラム (patch)", "4", "3", "1"));
  EXPECT_THAT(sections[2].table.rows[5], ElementsAre("院内の記録 (org)", "0", "0", "0"));
}

TEST(SummarySections, ShowsTheLastSevenDaysOfTheTrendWithoutDividingByZero) {
  const std::vector<Section> sections = SummarySections(Summary());
  const std::vector<std::vector<std::string>>& trend = sections[3].table.rows;
  ASSERT_THAT(trend, SizeIs(kSummaryTrendDays));
  EXPECT_THAT(trend.front(), ElementsAre("2026-11-19", "0", "9", "0%"));
  EXPECT_THAT(trend.back(), ElementsAre("2026-11-25", "2", "9", "22%"));

  v1::GetClinicSummaryResponse young = Summary();
  young.mutable_trend()->DeleteSubrange(3, 7);  // three days, none with a PC known yet
  const std::vector<Section> short_trend = SummarySections(young);
  ASSERT_THAT(short_trend[3].table.rows, SizeIs(3));
  EXPECT_THAT(short_trend[3].table.rows[0], ElementsAre("2026-11-16", "0", "0", "-"));
}

TEST(SummarySections, MarksADemoAndNamesAnAreaItDoesNotKnow) {
  v1::GetClinicSummaryResponse summary = Summary();
  summary.set_demo(true);
  summary.mutable_areas(6)->set_area("printers");
  std::vector<Section> sections = SummarySections(summary);
  EXPECT_EQ(sections[0].table.rows[0].back(), "さくら内科クリニック [デモ (demo)]");
  EXPECT_EQ(sections[2].table.rows[6][0], "printers");

  summary.clear_clinic_name();
  sections = SummarySections(summary);
  EXPECT_EQ(sections[0].table.rows[0].back(), "デモ (demo)");
}

TEST(SummarySections, RendersAsTitledTablesAndAsTheProtobufJson) {
  const v1::GetClinicSummaryResponse summary = Summary();
  const absl::StatusOr<std::string> text =
      RenderOutput(OutputFormat::kTable, summary, SummarySections(summary));
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text, HasSubstr("== Most urgent (まず対応すること) =="));
  EXPECT_THAT(*text, HasSubstr("MAM-PATCH-001"));
  const absl::StatusOr<std::string> json =
      RenderOutput(OutputFormat::kJson, summary, SummarySections(summary));
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_THAT(*json, HasSubstr("\"clinic_name\": \"さくら内科クリニック\""));
}

}  // namespace
}  // namespace mamori::ctl
