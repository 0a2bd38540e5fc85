// The clinic's MAM-ORG rules: every rule's pass / warn / fail boundary, ages at exactly the
// threshold, and "today" taken in the clinic's time zone.
#include "platform/rules/org_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "platform/rules/checklist.h"
#include "platform/rules/mhlw.h"

namespace mamori::rules {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A UTC time.
facts::Timestamp At(int year, unsigned month, unsigned day, int hour, int minute) {
  return facts::Timestamp{std::chrono::sys_days{std::chrono::year{year} /
                                                std::chrono::month{month} / std::chrono::day{day}} +
                          std::chrono::hours{hour} + std::chrono::minutes{minute}};
}
const facts::Timestamp kNow = At(2026, 11, 25, 0, 0);  // 09:00 in Tokyo

// The date `days` before kNow's Tokyo date, as the register writes it.
std::string DaysAgo(int days) {
  const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::year{2026} / 11 / 25} -
                                         std::chrono::days{days}};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buffer;
}

OrgRecord Record(OrgRecordKind kind, std::string date) {
  OrgRecord record;
  record.kind = kind;
  record.date = std::move(date);
  return record;
}

OrgRecord Backup(std::string date, std::optional<bool> offline_copy) {
  OrgRecord record = Record(OrgRecordKind::kBackup, std::move(date));
  record.method = "外付けHDD 2台を週替わり";
  record.offline_copy = offline_copy;
  return record;
}

// A register that meets every rule as of kNow.
OrgRegister Complete() {
  OrgRecord manager = Record(OrgRecordKind::kSecurityManager, "2026-04-01");
  manager.name = "山田 太郎";
  OrgRecord mds = Record(OrgRecordKind::kMdsSds, "2026-01-10");
  mds.item = "電子カルテ";
  return OrgRegister{{manager, Record(OrgRecordKind::kContactChart, DaysAgo(10)), mds,
                      Backup(DaysAgo(3), true), Record(OrgRecordKind::kRestoreTest, DaysAgo(100)),
                      Record(OrgRecordKind::kBcp, "2025-04-01"),
                      Record(OrgRecordKind::kDrill, DaysAgo(55))}};
}

// The register with the current record of `kind` replaced (or added).
OrgRegister With(OrgRegister evidence, OrgRecord record) {
  std::erase_if(evidence.current, [&](const OrgRecord& r) { return r.kind == record.kind; });
  evidence.current.push_back(std::move(record));
  return evidence;
}

OrgRegister Without(OrgRegister evidence, OrgRecordKind kind) {
  std::erase_if(evidence.current, [&](const OrgRecord& r) { return r.kind == kind; });
  return evidence;
}

Finding FindingOf(const std::vector<Finding>& findings, std::string_view rule_id) {
  for (const Finding& finding : findings) {
    if (finding.rule_id == rule_id) {
      return finding;
    }
  }
  ADD_FAILURE() << "no finding for " << rule_id;
  return {};
}

Finding Evaluate(const OrgRegister& evidence, std::string_view rule_id, facts::Timestamp now = kNow,
                 const Policy& policy = Policy{}) {
  return FindingOf(EvaluateOrgRules(evidence, policy, now), rule_id);
}

TEST(OrgRecordKinds, EveryKindRoundTripsThroughItsStoredName) {
  const std::vector<OrgRecordKind> kinds = {
      OrgRecordKind::kClinic, OrgRecordKind::kSecurityManager, OrgRecordKind::kContactChart,
      OrgRecordKind::kMdsSds, OrgRecordKind::kBackup,          OrgRecordKind::kRestoreTest,
      OrgRecordKind::kBcp,    OrgRecordKind::kDrill,           OrgRecordKind::kConfirmation,
      OrgRecordKind::kTarget};
  std::vector<std::string_view> names;
  for (OrgRecordKind kind : kinds) {
    names.push_back(OrgRecordKindName(kind));
    EXPECT_EQ(ParseOrgRecordKind(OrgRecordKindName(kind)), kind) << OrgRecordKindName(kind);
  }
  // The schema's CHECK list (collector/storage/schema.cc, org_records.kind).
  EXPECT_THAT(names, ElementsAre("clinic", "security_manager", "contact_chart", "mds_sds", "backup",
                                 "restore_test", "bcp", "drill", "confirmation", "target"));
  EXPECT_EQ(ParseOrgRecordKind("Drill"), std::nullopt);
  EXPECT_EQ(ParseOrgRecordKind(""), std::nullopt);
  EXPECT_EQ(ParseOrgRecordKind("drill "), std::nullopt);
}

TEST(OrgDates, AcceptOnlyRealCalendarDaysWrittenYyyyMmDd) {
  EXPECT_EQ(ParseOrgDate("2024-02-29"), std::chrono::year{2024} / 2 / 29);
  EXPECT_EQ(ParseOrgDate("2026-02-29"), std::nullopt);
  EXPECT_EQ(ParseOrgDate("2026-02-30"), std::nullopt);
  EXPECT_EQ(ParseOrgDate("2026-13-01"), std::nullopt);
  EXPECT_EQ(ParseOrgDate("2026-1-01"), std::nullopt);
  EXPECT_EQ(ParseOrgDate("2026/01/01"), std::nullopt);
  EXPECT_EQ(ParseOrgDate("２０２６-01-01"), std::nullopt);
  EXPECT_EQ(ParseOrgDate(""), std::nullopt);
  EXPECT_EQ(ParseOrgDate("2026-01-01 "), std::nullopt);
}

TEST(OrgDates, TodayIsTheTokyoDateSo2330UtcIsAlreadyTheNextDay) {
  const Policy policy;
  EXPECT_EQ(OrgToday(policy, At(2026, 11, 24, 14, 59)), std::chrono::year{2026} / 11 / 24);
  EXPECT_EQ(OrgToday(policy, At(2026, 11, 24, 15, 0)), std::chrono::year{2026} / 11 / 25);
  EXPECT_EQ(OrgToday(policy, At(2026, 11, 24, 23, 30)), std::chrono::year{2026} / 11 / 25);
  Policy utc;
  utc.business_hours.utc_offset = std::chrono::minutes{0};
  EXPECT_EQ(OrgToday(utc, At(2026, 11, 24, 23, 30)), std::chrono::year{2026} / 11 / 24);
}

TEST(OrgRuleCatalogue, ListsTheSevenFixedIdsInOrderWithKnownMhlwKeys) {
  std::vector<std::string_view> ids;
  for (const OrgRuleDefinition& rule : OrgRuleCatalogue()) {
    ids.push_back(rule.id);
    EXPECT_FALSE(rule.title.ja.empty() || rule.title.en.empty()) << rule.id;
    EXPECT_FALSE(rule.remediation.ja.empty() || rule.remediation.en.empty()) << rule.id;
    ASSERT_FALSE(rule.mhlw.empty()) << rule.id;
    for (std::string_view key : rule.mhlw) {
      EXPECT_TRUE(FindMhlwReference(key).has_value()) << rule.id << " refers to " << key;
    }
  }
  EXPECT_THAT(ids, ElementsAre("MAM-ORG-001", "MAM-ORG-002", "MAM-ORG-003", "MAM-ORG-004",
                               "MAM-ORG-005", "MAM-ORG-006", "MAM-ORG-007"));
}

TEST(OrgRuleCatalogue, EveryOrgRuleTheChecklistNamesExists) {
  std::set<std::string_view> ids;
  for (const OrgRuleDefinition& rule : OrgRuleCatalogue()) {
    ids.insert(rule.id);
  }
  for (const ChecklistItemDefinition& item : Checklist()) {
    for (std::string_view rule : item.rules) {
      if (rule.starts_with("MAM-ORG-")) {
        EXPECT_TRUE(ids.contains(rule)) << item.key << " names " << rule;
      }
    }
  }
}

TEST(OrgRules, AnEmptyRegisterFailsEveryRuleWithOneFindingPerRuleInOrder) {
  const std::vector<Finding> findings = EvaluateOrgRules(OrgRegister{}, Policy{}, kNow);
  ASSERT_EQ(findings.size(), OrgRuleCatalogue().size());
  for (std::size_t i = 0; i < findings.size(); ++i) {
    EXPECT_EQ(findings[i].rule_id, OrgRuleCatalogue()[i].id);
    EXPECT_EQ(findings[i].area, "ORG");
    EXPECT_EQ(findings[i].status, Status::kFail) << findings[i].rule_id;
    EXPECT_FALSE(findings[i].evidence.empty()) << findings[i].rule_id;
    EXPECT_FALSE(findings[i].mhlw.empty()) << findings[i].rule_id;
  }
  EXPECT_EQ(findings[3].mhlw[0].key, "3-2");
  EXPECT_EQ(findings[3].mhlw[1].key, "心得3");
}

TEST(OrgRules, ACompleteRegisterPassesEveryRule) {
  for (const Finding& finding : EvaluateOrgRules(Complete(), Policy{}, kNow)) {
    EXPECT_EQ(finding.status, Status::kPass) << finding.rule_id << ": " << finding.evidence;
  }
}

TEST(OrgRules, SecurityManagerPassesNamingThePersonAndFailsWhenNoneIsRecorded) {
  const Finding pass = Evaluate(Complete(), "MAM-ORG-001");
  EXPECT_EQ(pass.status, Status::kPass);
  EXPECT_THAT(pass.evidence, HasSubstr("山田 太郎"));
  EXPECT_THAT(pass.evidence, HasSubstr("2026-04-01"));
  const Finding fail =
      Evaluate(Without(Complete(), OrgRecordKind::kSecurityManager), "MAM-ORG-001");
  EXPECT_EQ(fail.status, Status::kFail);
  EXPECT_THAT(fail.evidence, HasSubstr("安全管理責任者"));
}

TEST(OrgRules, ContactChartWarnsOnlyOnceOlderThanTheReviewPeriod) {
  EXPECT_EQ(
      Evaluate(With(Complete(), Record(OrgRecordKind::kContactChart, DaysAgo(365))), "MAM-ORG-002")
          .status,
      Status::kPass);
  const Finding stale =
      Evaluate(With(Complete(), Record(OrgRecordKind::kContactChart, DaysAgo(366))), "MAM-ORG-002");
  EXPECT_EQ(stale.status, Status::kWarn);
  EXPECT_THAT(stale.evidence, HasSubstr(DaysAgo(366) + " (366日前)。基準は365日以内"));
  EXPECT_EQ(Evaluate(Without(Complete(), OrgRecordKind::kContactChart), "MAM-ORG-002").status,
            Status::kFail);
  Policy policy;
  policy.contact_chart_review_days = 30;
  EXPECT_EQ(Evaluate(With(Complete(), Record(OrgRecordKind::kContactChart, DaysAgo(31))),
                     "MAM-ORG-002", kNow, policy)
                .status,
            Status::kWarn);
}

TEST(OrgRules, MdsSdsNamesEverySystemReceivedAndFailsWithNone) {
  OrgRegister evidence = Complete();
  OrgRecord receipts = Record(OrgRecordKind::kMdsSds, "2026-02-01");
  receipts.item = "レセコン";
  evidence.current.push_back(receipts);
  const Finding pass = Evaluate(evidence, "MAM-ORG-003");
  EXPECT_EQ(pass.status, Status::kPass);
  EXPECT_THAT(pass.evidence, HasSubstr("2件"));
  EXPECT_THAT(pass.evidence, HasSubstr("電子カルテ (2026-01-10)"));
  EXPECT_THAT(pass.evidence, HasSubstr("レセコン (2026-02-01)"));
  EXPECT_EQ(Evaluate(Without(Complete(), OrgRecordKind::kMdsSds), "MAM-ORG-003").status,
            Status::kFail);
}

TEST(OrgRules, BackupPassesWithAnOfflineCopyCheckedWithinTheMonth) {
  const Finding at_limit = Evaluate(With(Complete(), Backup(DaysAgo(31), true)), "MAM-ORG-004");
  EXPECT_EQ(at_limit.status, Status::kPass) << at_limit.evidence;
  EXPECT_THAT(at_limit.evidence, HasSubstr("(31日前)。基準は31日以内"));
  EXPECT_THAT(at_limit.evidence, HasSubstr("外付けHDD 2台を週替わり"));
  const Finding stale = Evaluate(With(Complete(), Backup(DaysAgo(32), true)), "MAM-ORG-004");
  EXPECT_EQ(stale.status, Status::kWarn);
  EXPECT_THAT(stale.evidence, HasSubstr("(32日前)"));
}

TEST(OrgRules, BackupFailsWithoutAnOfflineCopyAndWarnsWhenItWasNotStated) {
  const Finding online = Evaluate(With(Complete(), Backup(DaysAgo(1), false)), "MAM-ORG-004");
  EXPECT_EQ(online.status, Status::kFail);
  EXPECT_THAT(online.evidence, HasSubstr("オフライン保管"));
  // An old check does not soften a missing offline copy.
  EXPECT_EQ(Evaluate(With(Complete(), Backup(DaysAgo(90), false)), "MAM-ORG-004").status,
            Status::kFail);
  const Finding unstated =
      Evaluate(With(Complete(), Backup(DaysAgo(1), std::nullopt)), "MAM-ORG-004");
  EXPECT_EQ(unstated.status, Status::kWarn);
  EXPECT_THAT(unstated.evidence, HasSubstr("オフライン保管が未記録"));
  EXPECT_EQ(Evaluate(Without(Complete(), OrgRecordKind::kBackup), "MAM-ORG-004").status,
            Status::kFail);
}

TEST(OrgRules, RestoreTestFailsWhenMissingOrOlderThanAYear) {
  EXPECT_EQ(
      Evaluate(With(Complete(), Record(OrgRecordKind::kRestoreTest, DaysAgo(365))), "MAM-ORG-005")
          .status,
      Status::kPass);
  const Finding stale =
      Evaluate(With(Complete(), Record(OrgRecordKind::kRestoreTest, DaysAgo(366))), "MAM-ORG-005");
  EXPECT_EQ(stale.status, Status::kFail);
  EXPECT_THAT(stale.evidence, HasSubstr("最後の復元テストは " + DaysAgo(366) + " (366日前)"));
  EXPECT_EQ(Evaluate(Without(Complete(), OrgRecordKind::kRestoreTest), "MAM-ORG-005").status,
            Status::kFail);
}

TEST(OrgRules, BcpPassesOnceWrittenHoweverOld) {
  const Finding pass =
      Evaluate(With(Complete(), Record(OrgRecordKind::kBcp, "2019-04-01")), "MAM-ORG-006");
  EXPECT_EQ(pass.status, Status::kPass);
  EXPECT_THAT(pass.evidence, HasSubstr("2019-04-01"));
  EXPECT_EQ(Evaluate(Without(Complete(), OrgRecordKind::kBcp), "MAM-ORG-006").status,
            Status::kFail);
}

TEST(OrgRules, DrillFailsWhenMissingOrOlderThanTheDrillPeriod) {
  EXPECT_EQ(
      Evaluate(With(Complete(), Record(OrgRecordKind::kDrill, DaysAgo(365))), "MAM-ORG-007").status,
      Status::kPass);
  const Finding stale =
      Evaluate(With(Complete(), Record(OrgRecordKind::kDrill, "2025-10-01")), "MAM-ORG-007");
  EXPECT_EQ(stale.status, Status::kFail);
  EXPECT_EQ(stale.evidence, "最後の訓練は 2025-10-01 (420日前)。基準は365日以内");
  EXPECT_EQ(Evaluate(Without(Complete(), OrgRecordKind::kDrill), "MAM-ORG-007").status,
            Status::kFail);
  Policy policy;
  policy.drill_max_age_days = 180;
  EXPECT_EQ(Evaluate(With(Complete(), Record(OrgRecordKind::kDrill, DaysAgo(181))), "MAM-ORG-007",
                     kNow, policy)
                .status,
            Status::kFail);
}

TEST(OrgRules, AgesCountInTokyoDaysSoTheDayTurnsAt1500Utc) {
  // A drill held 2025-11-25 is 365 days old on 2026-11-25 (Tokyo) and 366 the day after.
  const OrgRegister evidence = With(Complete(), Record(OrgRecordKind::kDrill, "2025-11-25"));
  EXPECT_EQ(Evaluate(evidence, "MAM-ORG-007", At(2026, 11, 25, 14, 59)).status, Status::kPass);
  const Finding next_day = Evaluate(evidence, "MAM-ORG-007", At(2026, 11, 25, 23, 30));
  EXPECT_EQ(next_day.status, Status::kFail);
  EXPECT_THAT(next_day.evidence, HasSubstr("(366日前)"));
}

TEST(OrgRules, AnUnreadableOrFutureDateIsUnknownNeverAPass) {
  const Finding garbled =
      Evaluate(With(Complete(), Record(OrgRecordKind::kDrill, "2026-02-30")), "MAM-ORG-007");
  EXPECT_EQ(garbled.status, Status::kUnknown);
  EXPECT_THAT(garbled.evidence, HasSubstr("2026-02-30"));
  const Finding future =
      Evaluate(With(Complete(), Record(OrgRecordKind::kRestoreTest, "2026-11-26")), "MAM-ORG-005");
  EXPECT_EQ(future.status, Status::kUnknown);
  EXPECT_THAT(future.evidence, HasSubstr("今日 (2026-11-25)"));
}

TEST(OrgRules, OnlyTheRegisterKindsOfARuleDecideIt) {
  // Confirmations and targets are for the checklist, not for the MAM-ORG rules.
  OrgRecord confirmation = Record(OrgRecordKind::kConfirmation, DaysAgo(1));
  confirmation.item = "2-6";
  confirmation.answer = true;
  const std::vector<Finding> findings =
      EvaluateOrgRules(OrgRegister{{confirmation}}, Policy{}, kNow);
  for (const Finding& finding : findings) {
    EXPECT_EQ(finding.status, Status::kFail) << finding.rule_id;
  }
}

}  // namespace
}  // namespace mamori::rules
