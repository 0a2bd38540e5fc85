// The report model builder: the checklist answers as a pure function of hand-built evidence, and
// Build / RecordRun on a database seeded directly with SQL (hosts with Japanese names, findings in
// every state, accounts, software, idle episodes, the evidence register, earlier report runs).
#include "collector/report/report_builder.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "collector/report/checklist_answers.h"
#include "collector/storage/schema.h"
#include "collector/storage/stored_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "platform/rules/checklist.h"
#include "proto/codec/proto_time.h"
#include "tests/collector/temp_dir.h"

namespace mamori::collector {
namespace {

namespace v1 = mamori::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// ---- Checklist answers (pure) -------------------------------------------------------------------

const absl::CivilDay kToday(2026, 11, 25);

ChecklistHost Pc(const std::string& name, v1::FindingStatus usb,
                 const std::string& role = "workstation") {
  ChecklistHost host;
  host.hostname = name;
  host.role = role;
  host.statuses["MAM-USB-001"] = usb;
  return host;
}

v1::OrgRecord Record(v1::OrgRecordKind kind, const std::string& item, const std::string& date,
                     std::int64_t record_id = 1) {
  v1::OrgRecord record;
  record.set_record_id(record_id);
  record.set_kind(kind);
  record.set_item(item);
  record.set_date(date);
  record.set_current(true);
  return record;
}

v1::OrgRecord Confirmation(const std::string& item, bool answer, const std::string& date) {
  v1::OrgRecord record = Record(v1::ORG_RECORD_KIND_CONFIRMATION, item, date);
  record.set_answer(answer);
  return record;
}

v1::Finding ClinicFinding(const std::string& rule_id, v1::FindingStatus status,
                          const std::string& evidence = "") {
  v1::Finding finding;
  finding.set_rule_id(rule_id);
  finding.set_status(status);
  finding.set_evidence(evidence);
  finding.set_title_ja(rule_id);
  finding.set_title_en(rule_id);
  return finding;
}

v1::ChecklistItem Item(const ChecklistEvidence& evidence, const std::string& key) {
  for (v1::ChecklistItem& item : AnswerChecklist(evidence)) {
    if (item.key() == key) {
      return item;
    }
  }
  ADD_FAILURE() << "no item " << key;
  return {};
}

const v1::ChecklistEquipment* Column(const v1::ChecklistItem& item, const std::string& name) {
  for (const v1::ChecklistEquipment& equipment : item.equipment()) {
    if (equipment.equipment() == name) {
      return &equipment;
    }
  }
  return nullptr;
}

ChecklistEvidence Evidence(std::vector<ChecklistHost> hosts) {
  ChecklistEvidence evidence;
  evidence.hosts = std::move(hosts);
  evidence.today = kToday;
  return evidence;
}

TEST(ChecklistAnswers, AnswersEveryItemOfTheTableInItsOrderWithItsRules) {
  const std::vector<v1::ChecklistItem> items = AnswerChecklist(Evidence({}));
  ASSERT_EQ(items.size(), rules::Checklist().size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const rules::ChecklistItemDefinition& definition = rules::Checklist()[i];
    EXPECT_EQ(items[i].key(), definition.key);
    EXPECT_EQ(items[i].text_ja(), definition.text.ja);
    EXPECT_EQ(items[i].rule_ids_size(), static_cast<int>(definition.rules.size()));
    EXPECT_NE(items[i].answer(), v1::CHECKLIST_ANSWER_UNSPECIFIED) << definition.key;
  }
}

TEST(ChecklistAnswers, AHostItemIsYesWhenEveryHostPassesOrDoesNotApply) {
  const v1::ChecklistItem item =
      Item(Evidence({Pc("受付PC-1", v1::FINDING_STATUS_PASS), Pc("受付PC-2", v1::FINDING_STATUS_NA),
                     Pc("電子カルテサーバ", v1::FINDING_STATUS_PASS, "server")}),
           "2-12");
  EXPECT_EQ(item.answer(), v1::CHECKLIST_ANSWER_YES);
  EXPECT_EQ(item.checked_on(), "2026-11-25");
  EXPECT_THAT(item.target_date(), IsEmpty());
  EXPECT_THAT(item.remediation_ja(), IsEmpty());
  ASSERT_EQ(item.equipment_size(), 3);
  EXPECT_EQ(item.equipment(0).equipment(), "server");
  EXPECT_EQ(item.equipment(0).answer(), v1::CHECKLIST_ANSWER_YES);
  EXPECT_EQ(item.equipment(1).equipment(), "workstation");
  EXPECT_EQ(item.equipment(1).hosts(), 2);
  EXPECT_EQ(item.equipment(1).hosts_ok(), 2);
  EXPECT_EQ(item.equipment(2).equipment(), "network");
  EXPECT_EQ(item.equipment(2).answer(), v1::CHECKLIST_ANSWER_NOT_APPLICABLE);
  EXPECT_THAT(item.evidence_ja(), ElementsAre("サーバ 1台すべてで USB ストレージ遮断",
                                              "端末PC 2台すべてで USB ストレージ遮断",
                                              "ネットワーク機器は mamori の対象外"));
  EXPECT_THAT(item.evidence_en(),
              ElementsAre("USB storage blocked on the server", "USB storage blocked on all 2 PCs",
                          "Network devices are outside what mamori sees"));
}

TEST(ChecklistAnswers, AFailingOrWarningHostIsAGapNamedInTheEvidence) {
  std::vector<ChecklistHost> hosts;
  for (int i = 1; i <= 11; ++i) {
    hosts.push_back(Pc(absl::StrCat("診察室PC-", i), v1::FINDING_STATUS_PASS));
  }
  hosts.push_back(Pc("受付PC-2", v1::FINDING_STATUS_WARN));
  const v1::ChecklistItem item = Item(Evidence(hosts), "2-12");
  EXPECT_EQ(item.answer(), v1::CHECKLIST_ANSWER_NO);
  const v1::ChecklistEquipment* pcs = Column(item, "workstation");
  ASSERT_NE(pcs, nullptr);
  EXPECT_EQ(pcs->answer(), v1::CHECKLIST_ANSWER_NO);
  EXPECT_EQ(pcs->hosts(), 12);
  EXPECT_EQ(pcs->hosts_ok(), 11);
  EXPECT_THAT(pcs->gap_hosts(), ElementsAre("受付PC-2"));
  // No server: that column does not apply, and the item is still decided by the PCs.
  EXPECT_EQ(Column(item, "server")->answer(), v1::CHECKLIST_ANSWER_NOT_APPLICABLE);
  EXPECT_EQ(item.evidence_ja(0), "端末PC 12台中 11台で USB ストレージ遮断、1台 (受付PC-2) 未設定");
  EXPECT_EQ(item.evidence_en(0),
            "Of 12 PCs: USB storage blocked on 11; not blocked on 1 (受付PC-2)");
  EXPECT_EQ(item.target_date(), "2027-03-31");
  EXPECT_TRUE(item.target_is_default());
  EXPECT_EQ(item.remediation_ja(), rules::FindChecklistItem("2-12")->remediation.ja);
  EXPECT_THAT(item.rule_ids(), ElementsAre("MAM-USB-001"));
}

TEST(ChecklistAnswers, AGapOnTheServersMakesTheItemNoWhateverThePcs) {
  const v1::ChecklistItem item =
      Item(Evidence({Pc("受付PC-1", v1::FINDING_STATUS_PASS),
                     Pc("電子カルテサーバ", v1::FINDING_STATUS_FAIL, "server")}),
           "2-12");
  EXPECT_EQ(item.answer(), v1::CHECKLIST_ANSWER_NO);
  EXPECT_EQ(Column(item, "server")->answer(), v1::CHECKLIST_ANSWER_NO);
  EXPECT_EQ(Column(item, "workstation")->answer(), v1::CHECKLIST_ANSWER_YES);
}

TEST(ChecklistAnswers, UnknownOrMissingVerdictsWithoutAGapNeedAction) {
  ChecklistHost silent = Pc("受付PC-3", v1::FINDING_STATUS_PASS);
  silent.statuses.clear();  // never reported: no verdict at all
  const v1::ChecklistItem item =
      Item(Evidence({Pc("受付PC-1", v1::FINDING_STATUS_PASS),
                     Pc("受付PC-2", v1::FINDING_STATUS_UNKNOWN), silent}),
           "2-12");
  EXPECT_EQ(item.answer(), v1::CHECKLIST_ANSWER_ACTION_NEEDED);
  const v1::ChecklistEquipment* pcs = Column(item, "workstation");
  EXPECT_EQ(pcs->answer(), v1::CHECKLIST_ANSWER_ACTION_NEEDED);
  EXPECT_THAT(pcs->unknown_hosts(), ElementsAre("受付PC-2", "受付PC-3"));
  EXPECT_THAT(pcs->gap_hosts(), IsEmpty());
  EXPECT_EQ(item.evidence_ja(0),
            "端末PC 3台中 1台で USB ストレージ遮断、2台 (受付PC-2、受付PC-3) は確認できず");
  EXPECT_TRUE(item.target_is_default());
}

TEST(ChecklistAnswers, AHostMustMeetEveryRuleOfTheItem) {
  ChecklistHost pc;
  pc.hostname = "受付PC-1";
  pc.role = "workstation";
  pc.statuses = {{"MAM-PATCH-001", v1::FINDING_STATUS_PASS},
                 {"MAM-PATCH-002", v1::FINDING_STATUS_FAIL},
                 {"MAM-PATCH-003", v1::FINDING_STATUS_UNKNOWN},
                 {"MAM-PATCH-004", v1::FINDING_STATUS_PASS}};
  const v1::ChecklistItem item = Item(Evidence({pc}), "2-7");
  EXPECT_EQ(item.answer(), v1::CHECKLIST_ANSWER_NO);
  EXPECT_THAT(Column(item, "workstation")->gap_hosts(), ElementsAre("受付PC-1"));
}

TEST(ChecklistAnswers, WithoutAnyHostAHostItemNeedsAction) {
  const v1::ChecklistItem item = Item(Evidence({}), "2-12");
  EXPECT_EQ(item.answer(), v1::CHECKLIST_ANSWER_ACTION_NEEDED);
  EXPECT_EQ(Column(item, "server")->answer(), v1::CHECKLIST_ANSWER_NOT_APPLICABLE);
  EXPECT_EQ(Column(item, "workstation")->answer(), v1::CHECKLIST_ANSWER_NOT_APPLICABLE);
  EXPECT_THAT(item.evidence_ja(0), HasSubstr("台帳に機器がありません"));
}

TEST(ChecklistAnswers, NamesAtMostTenHostsThenCountsTheRest) {
  std::vector<ChecklistHost> hosts;
  for (int i = 1; i <= 13; ++i) {
    hosts.push_back(Pc(absl::StrCat("PC-", i < 10 ? "0" : "", i), v1::FINDING_STATUS_FAIL));
  }
  const v1::ChecklistItem item = Item(Evidence(hosts), "2-12");
  EXPECT_EQ(Column(item, "workstation")->gap_hosts_size(), 13) << "the column lists them all";
  EXPECT_EQ(
      item.evidence_ja(0),
      "端末PC 13台中 13台 (PC-01、PC-02、PC-03、PC-04、PC-05、PC-06、PC-07、PC-08、PC-09、PC-10 "
      "ほか 3台) 未設定");
  EXPECT_THAT(item.evidence_en(0), HasSubstr("PC-09, PC-10 and 3 more)"));
  EXPECT_THAT(item.evidence_en(0), ::testing::Not(HasSubstr("PC-11")));
}

TEST(ChecklistAnswers, TheInventoryItemCountsTheMachinesAndNamesTheSilentOnes) {
  ChecklistHost server = Pc("電子カルテサーバ", v1::FINDING_STATUS_PASS, "server");
  server.statuses = {{"MAM-AGENT-001", v1::FINDING_STATUS_PASS}};
  std::vector<ChecklistHost> hosts = {server};
  for (int i = 1; i <= 12; ++i) {
    ChecklistHost pc = Pc(absl::StrCat("受付PC-", i), v1::FINDING_STATUS_PASS);
    pc.statuses = {{"MAM-AGENT-001", i == 2 ? v1::FINDING_STATUS_WARN : v1::FINDING_STATUS_PASS}};
    hosts.push_back(pc);
  }
  const v1::ChecklistItem item = Item(Evidence(hosts), "2-1");
  EXPECT_EQ(item.answer(), v1::CHECKLIST_ANSWER_NO);
  EXPECT_EQ(item.evidence_ja(0), "サーバ 1台・端末PC 12台を台帳に記録。応答のない機器: 受付PC-2");
  EXPECT_EQ(item.evidence_en(0), "1 server and 12 PCs in the inventory. Silent: 受付PC-2");
}

TEST(ChecklistAnswers, AccountReviewsDueMakeUnusedAccountsANo) {
  ChecklistHost pc = Pc("受付PC-1", v1::FINDING_STATUS_PASS);
  pc.statuses = {{"MAM-ACCT-001", v1::FINDING_STATUS_PASS}};
  ChecklistEvidence evidence = Evidence({pc});
  EXPECT_EQ(Item(evidence, "2-5").answer(), v1::CHECKLIST_ANSWER_YES);
  evidence.accounts_due = 3;
  const v1::ChecklistItem item = Item(evidence, "2-5");
  EXPECT_EQ(item.answer(), v1::CHECKLIST_ANSWER_NO);
  EXPECT_THAT(item.evidence_ja(), ::testing::Contains("棚卸し (レビュー) が必要なアカウント: 3件"));
  EXPECT_THAT(item.evidence_en(), ::testing::Contains("3 accounts are due for review"));
}

ChecklistHost Remote(const std::string& name, v1::FindingStatus status) {
  ChecklistHost host;
  host.hostname = name;
  host.role = "workstation";
  host.statuses["MAM-REMOTE-001"] = status;
  return host;
}

TEST(ChecklistAnswers, AConfirmationAnswersWhatTheHostsCannotTell) {
  ChecklistEvidence evidence = Evidence({Remote("受付PC-1", v1::FINDING_STATUS_UNKNOWN)});
  EXPECT_EQ(Item(evidence, "2-2").answer(), v1::CHECKLIST_ANSWER_ACTION_NEEDED);
  evidence.records = {Confirmation("2-2", true, "2026-11-20")};
  const v1::ChecklistItem item = Item(evidence, "2-2");
  EXPECT_EQ(item.answer(), v1::CHECKLIST_ANSWER_YES);
  EXPECT_EQ(item.checked_on(), "2026-11-20");
  EXPECT_THAT(item.evidence_ja(), ::testing::Contains("確認記録 (2026-11-20): はい"));
  EXPECT_THAT(item.target_date(), IsEmpty());
}

TEST(ChecklistAnswers, AConfirmationNeverHidesAGapTheHostsShow) {
  ChecklistEvidence evidence = Evidence({Remote("受付PC-1", v1::FINDING_STATUS_FAIL)});
  evidence.records = {Confirmation("2-2", true, "2026-11-20")};
  const v1::ChecklistItem item = Item(evidence, "2-2");
  EXPECT_EQ(item.answer(), v1::CHECKLIST_ANSWER_NO);
  EXPECT_EQ(item.checked_on(), "2026-11-25") << "decided by the hosts, today";
}

TEST(ChecklistAnswers, APersonsNoIsNeverHiddenBehindTheHostsYes) {
  ChecklistEvidence evidence = Evidence({Remote("受付PC-1", v1::FINDING_STATUS_PASS)});
  EXPECT_EQ(Item(evidence, "2-2").answer(), v1::CHECKLIST_ANSWER_YES);
  evidence.records = {Confirmation("2-2", false, "2026-11-20")};
  EXPECT_EQ(Item(evidence, "2-2").answer(), v1::CHECKLIST_ANSWER_NO);
}

TEST(ChecklistAnswers, AConfirmationOfAnItemThatTakesNoneIsIgnored) {
  ChecklistEvidence evidence = Evidence({Pc("受付PC-1", v1::FINDING_STATUS_UNKNOWN)});
  evidence.records = {Confirmation("2-12", true, "2026-11-20")};
  const v1::ChecklistItem item = Item(evidence, "2-12");
  EXPECT_EQ(item.answer(), v1::CHECKLIST_ANSWER_ACTION_NEEDED);
  EXPECT_THAT(absl::StrJoin(item.evidence_ja(), " "), ::testing::Not(HasSubstr("確認記録")));
}

TEST(ChecklistAnswers, AManualItemWithoutARecordSaysHowToRecordOne) {
  const v1::ChecklistItem item = Item(Evidence({}), "2-6");
  EXPECT_EQ(item.answer(), v1::CHECKLIST_ANSWER_ACTION_NEEDED);
  EXPECT_THAT(item.equipment(), IsEmpty());
  EXPECT_THAT(item.evidence_ja(0),
              HasSubstr("記録がありません: mamorictl evidence record confirmation --item 2-6"));
  EXPECT_EQ(item.target_date(), "2027-03-31");
  EXPECT_TRUE(item.target_is_default());
  EXPECT_EQ(item.remediation_en(), rules::FindChecklistItem("2-6")->remediation.en);
}

TEST(ChecklistAnswers, AManualItemTakesTheNewestConfirmationWithItsDate) {
  ChecklistEvidence evidence = Evidence({});
  v1::OrgRecord older = Confirmation("2-6", true, "2026-05-01");
  older.set_record_id(3);
  v1::OrgRecord newer = Confirmation("2-6", false, "2026-11-01");
  newer.set_record_id(7);
  evidence.records = {newer, older, Confirmation("2-8", true, "2026-10-10")};
  const v1::ChecklistItem item = Item(evidence, "2-6");
  EXPECT_EQ(item.answer(), v1::CHECKLIST_ANSWER_NO);
  EXPECT_EQ(item.checked_on(), "2026-11-01");
  EXPECT_THAT(item.evidence_en(), ElementsAre("Confirmed on 2026-11-01: no"));
  const v1::ChecklistItem other = Item(evidence, "2-8");
  EXPECT_EQ(other.answer(), v1::CHECKLIST_ANSWER_YES);
  EXPECT_EQ(other.checked_on(), "2026-10-10");
}

TEST(ChecklistAnswers, ARecordedTargetDateReplacesTheFiscalYearEnd) {
  ChecklistEvidence evidence = Evidence({Pc("受付PC-1", v1::FINDING_STATUS_FAIL)});
  evidence.records = {Record(v1::ORG_RECORD_KIND_TARGET, "2-12", "2027-01-31"),
                      Record(v1::ORG_RECORD_KIND_TARGET, "2-7", "2026-12-15")};
  const v1::ChecklistItem item = Item(evidence, "2-12");
  EXPECT_EQ(item.target_date(), "2027-01-31");
  EXPECT_FALSE(item.target_is_default());
}

TEST(ChecklistAnswers, TheDefaultTargetIsTheEndOfTheFiscalYearEvenInJanuaryToMarch) {
  ChecklistEvidence evidence = Evidence({});
  evidence.today = absl::CivilDay(2027, 2, 1);
  EXPECT_EQ(Item(evidence, "2-6").target_date(), "2027-03-31");
  evidence.today = absl::CivilDay(2027, 3, 31);
  EXPECT_EQ(Item(evidence, "2-6").target_date(), "2027-03-31");
  evidence.today = absl::CivilDay(2027, 4, 1);
  EXPECT_EQ(Item(evidence, "2-6").target_date(), "2028-03-31");
  EXPECT_EQ(FiscalYearOf(absl::CivilDay(2027, 2, 1)), 2026);
  EXPECT_EQ(FiscalYearOf(absl::CivilDay(2027, 4, 1)), 2027);
  EXPECT_EQ(FiscalYearEnd(absl::CivilDay(2026, 11, 25)), "2027-03-31");
}

TEST(ChecklistAnswers, ARegisterItemFollowsTheClinicFindingsAndItsRecordsDates) {
  ChecklistEvidence evidence = Evidence({});
  evidence.records = {Record(v1::ORG_RECORD_KIND_BACKUP, "", "2026-10-01", 1),
                      Record(v1::ORG_RECORD_KIND_RESTORE_TEST, "", "2026-11-02", 2),
                      Record(v1::ORG_RECORD_KIND_BCP, "", "2026-11-20", 3)};
  // No verdict at all: nothing to answer with.
  EXPECT_EQ(Item(evidence, "3-2").answer(), v1::CHECKLIST_ANSWER_ACTION_NEEDED);

  evidence.clinic_findings = {ClinicFinding("MAM-ORG-004", v1::FINDING_STATUS_PASS, "点検 10/1"),
                              ClinicFinding("MAM-ORG-005", v1::FINDING_STATUS_PASS)};
  v1::ChecklistItem item = Item(evidence, "3-2");
  EXPECT_EQ(item.answer(), v1::CHECKLIST_ANSWER_YES);
  EXPECT_EQ(item.checked_on(), "2026-11-02") << "the newest of the backup and restore records";
  EXPECT_THAT(item.evidence_ja(), ::testing::Contains("点検 10/1"));
  EXPECT_THAT(item.equipment(), IsEmpty());

  evidence.clinic_findings[1].set_status(v1::FINDING_STATUS_WARN);
  item = Item(evidence, "3-2");
  EXPECT_EQ(item.answer(), v1::CHECKLIST_ANSWER_NO);
  EXPECT_TRUE(item.target_is_default());

  // Nothing recorded behind 1-1: checked today.
  evidence.clinic_findings.push_back(ClinicFinding("MAM-ORG-001", v1::FINDING_STATUS_FAIL));
  item = Item(evidence, "1-1");
  EXPECT_EQ(item.answer(), v1::CHECKLIST_ANSWER_NO);
  EXPECT_EQ(item.checked_on(), "2026-11-25");
}

// ---- Build on a seeded database -----------------------------------------------------------------

const absl::TimeZone kJst = absl::FixedTimeZone(9 * 60 * 60);

absl::Time Jst(int year, int month, int day, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0), kJst);
}

// Thursday 2026-11-26, noon in Tokyo.
const absl::Time kNow = Jst(2026, 11, 26, 12);
const absl::Duration kDay = absl::Hours(24);

constexpr char kClinicName[] = "さくら内科クリニック";

std::vector<std::string> FindingKeys(const v1::Report& report) {
  std::vector<std::string> keys;
  for (const v1::ReportFinding& entry : report.findings()) {
    if (!entry.finding().agent_id().empty()) {
      keys.push_back(absl::StrCat(entry.finding().hostname(), " ", entry.finding().rule_id()));
    }
  }
  return keys;
}

const v1::ReportFinding* FindingOf(const v1::Report& report, const std::string& hostname,
                                   const std::string& rule_id) {
  for (const v1::ReportFinding& entry : report.findings()) {
    if (entry.finding().hostname() == hostname && entry.finding().rule_id() == rule_id) {
      return &entry;
    }
  }
  return nullptr;
}

class ReportBuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<Database> db =
        Database::Open(path(), Database::OpenMode::kCreateIfMissing, CollectorSchema());
    ASSERT_TRUE(db.ok()) << db.status();
    db_.emplace(*std::move(db));
    absl::StatusOr<KnowledgeReader> reader = KnowledgeReader::Open(path());
    ASSERT_TRUE(reader.ok()) << reader.status();
    reader_.emplace(*std::move(reader));
    absl::StatusOr<OrgRegisterStore> org = OrgRegisterStore::Open(path());
    ASSERT_TRUE(org.ok()) << org.status();
    org_.emplace(*std::move(org));
    absl::StatusOr<Database> runs =
        Database::Open(path(), Database::OpenMode::kExistingOnly, CollectorSchema());
    ASSERT_TRUE(runs.ok()) << runs.status();
    runs_.emplace(*std::move(runs));
    builder_.emplace(*runs_, *reader_, *org_,
                     ReportOrigin{.collector_name = "clinic-nas", .mamori_version = "0.7.0"});
  }

  std::filesystem::path path() const { return dir_.path() / "collector.db"; }

  void Exec(absl::string_view sql, std::initializer_list<SqlParam> params) {
    absl::Status status = db_->Run(sql, params);
    ASSERT_TRUE(status.ok()) << status << "\n" << sql;
  }

  void AddHost(const std::string& agent_id, const std::string& hostname, const std::string& role,
               const std::string& contact_state = "online", bool has_snapshot = true) {
    Exec(
        "INSERT INTO agents (agent_id, hostname, agent_version, first_seen, last_seen, "
        "contact_state) VALUES (?1, ?2, '0.7.0', ?3, ?4, ?5)",
        {agent_id, hostname, FormatStoredTime(kNow - 100 * kDay),
         FormatStoredTime(kNow - absl::Minutes(1)), contact_state});
    if (!has_snapshot) {
      return;
    }
    Exec(
        "INSERT INTO hosts (agent_id, hostname, os_family, os_name, os_version, os_build, "
        "os_pretty_name, kernel_version, architecture, machine_id, last_snapshot_at, last_seen, "
        "role, os_edition, end_of_support, manufacturer, model, serial_number, cpu_model, "
        "memory_bytes, addresses, mac_addresses, software_count, last_snapshot_seq) VALUES "
        "(?1, ?2, 'windows', 'Windows', '10.0.19045', '19045.5011', 'Windows 10 Pro', '', "
        "'x86_64', 'm-1', ?3, ?3, ?4, 'Professional', '2025-10-14', 'FUJITSU', 'ESPRIMO', "
        "'SN123', 'Intel(R) Core(TM) i5', 17179869184, '[]', '[]', 3, 1)",
        {agent_id, hostname, FormatStoredTime(kNow - absl::Minutes(1)), role});
  }

  void SetFinding(const std::string& agent_id, const std::string& rule_id,
                  const std::string& status) {
    Exec(
        "INSERT INTO findings (agent_id, rule_id, status, evidence, since, evaluated_at) "
        "VALUES (?1, ?2, ?3, '証拠', ?4, ?4) ON CONFLICT (agent_id, rule_id) DO UPDATE SET "
        "status = ?3",
        {agent_id, rule_id, status, FormatStoredTime(kNow - 3 * kDay)});
  }

  void AddAccount(const std::string& agent_id, const std::string& name, bool system_account,
                  std::optional<absl::Time> removed_at) {
    Exec(
        "INSERT INTO host_accounts (agent_id, name, account_id, full_name, groups, "
        "system_account, enabled, admin, locked, password_empty, password_expires, "
        "password_changed_at, last_logon, rule_ids, material, first_seen, last_seen, removed_at) "
        "VALUES (?1, ?2, 'S-1-5-21-1', '', '[]', ?3, 1, 0, 0, 0, 1, NULL, NULL, '[]', 'm', ?4, ?4, "
        "?5)",
        {agent_id, name, static_cast<std::int64_t>(system_account),
         FormatStoredTime(kNow - 200 * kDay),
         removed_at.has_value() ? std::optional<std::string>(FormatStoredTime(*removed_at))
                                : std::nullopt});
  }

  void AddReview(const std::string& agent_id, const std::string& name,
                 const std::string& decision) {
    Exec(
        "INSERT INTO account_reviews (agent_id, account_name, decision, note, reviewer, "
        "reviewed_at, material, valid_until) VALUES (?1, ?2, ?3, 'note', 'sato', ?4, 'm', ?5)",
        {agent_id, name, decision, FormatStoredTime(kNow - 150 * kDay),
         FormatStoredTime(kNow + 30 * kDay)});
  }

  void AddSoftware(const std::string& agent_id, const std::string& name,
                   const std::string& version) {
    Exec(
        "INSERT INTO host_software (agent_id, name, version, publisher, installed_at) "
        "VALUES (?1, ?2, ?3, 'Vendor', NULL)",
        {agent_id, name, version});
  }

  void AddEpisode(const std::string& agent_id, absl::Time ended_at) {
    Exec(
        "INSERT INTO idle_episodes (agent_id, started_at, ended_at, max_idle_s, idle_since, "
        "locked, open) VALUES (?1, ?2, ?3, 7200, ?2, NULL, 0)",
        {agent_id, FormatStoredTime(ended_at - absl::Hours(2)), FormatStoredTime(ended_at)});
  }

  void AddRecord(const std::string& kind, const std::string& item, const std::string& date,
                 const std::string& name, std::optional<std::int64_t> answer = std::nullopt) {
    Exec(
        "INSERT INTO org_records (kind, item, date, name, answer, recorded_by, recorded_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, '院長', ?6)",
        {kind, item, date, name, answer.has_value() ? SqlParam(*answer) : SqlParam(nullptr),
         FormatStoredTime(kNow - 10 * kDay)});
  }

  void RemoveAgent(const std::string& agent_id) {
    Exec("UPDATE agents SET removed_at = ?2 WHERE agent_id = ?1",
         {agent_id, FormatStoredTime(kNow - kDay)});
  }

  // The clinic of these tests: a server and three PCs (one silent), one PC enrolled but never
  // reported, one removed; accounts, software, idle episodes and a few register records.
  void SeedClinic() {
    AddHost("agent-srv", "電子カルテサーバ", "server");
    AddHost("agent-r1", "受付PC-1", "workstation");
    AddHost("agent-r2", "受付PC-2", "workstation", "stale");
    AddHost("agent-s1", "診察室PC", "workstation");
    AddHost("agent-new", "新規PC", "", "never_reported", /*has_snapshot=*/false);
    AddHost("agent-old", "旧PC", "workstation");
    RemoveAgent("agent-old");

    for (const char* agent : {"agent-srv", "agent-r1", "agent-s1"}) {
      SetFinding(agent, "MAM-AGENT-001", "pass");
      SetFinding(agent, "MAM-USB-001", "pass");
    }
    SetFinding("agent-srv", "MAM-PATCH-001", "fail");
    SetFinding("agent-r1", "MAM-PATCH-001", "warn");
    SetFinding("agent-s1", "MAM-PATCH-001", "pass");
    SetFinding("agent-r2", "MAM-AGENT-001", "warn");
    SetFinding("agent-r2", "MAM-USB-001", "fail");
    SetFinding("agent-r2", "MAM-PATCH-001", "unknown");
    SetFinding("agent-old", "MAM-USB-001", "fail");

    AddAccount("agent-r1", "tanaka", false, std::nullopt);  // never reviewed: due
    AddAccount("agent-r1", "sato", false, std::nullopt);
    AddReview("agent-r1", "sato", "keep");
    AddAccount("agent-srv", "SYSTEM", true, std::nullopt);
    AddAccount("agent-s1", "yamada", false, kNow - 100 * kDay);  // long gone, never reviewed
    AddAccount("agent-s1", "suzuki", false, kNow - 100 * kDay);  // gone, with its review
    AddReview("agent-s1", "suzuki", "remove");
    AddAccount("agent-s1", "kato", false, kNow - 5 * kDay);  // gone within the period

    AddSoftware("agent-srv", "ORCA", "5.2");
    AddSoftware("agent-r1", "Chrome", "120");
    AddSoftware("agent-r2", "Chrome", "120");
    AddSoftware("agent-r2", "Chrome", "119");

    AddEpisode("agent-r1", kNow - 2 * kDay);
    AddEpisode("agent-r2", kNow - 60 * kDay);  // before the default 30-day period

    AddRecord("clinic", "", "", kClinicName);
    AddRecord("security_manager", "", "2026-04-01", "院長 山田");
    AddRecord("confirmation", "2-6", "2026-11-20", "", 0);
  }

  absl::StatusOr<v1::Report> Build(v1::ReportKind kind, absl::Time now = kNow) {
    ReportRequest request;
    request.kind = kind;
    request.generated_by = "保守ベンダー";
    request.generated_by_role = "vendor";
    request.now = now;
    return builder_->Build(request, rules::Policy{});
  }

  // Builds and records a report as the admin service does.
  v1::Report Pull(v1::ReportKind kind, absl::Time now,
                  v1::ReportFormat format = v1::REPORT_FORMAT_HTML) {
    absl::StatusOr<v1::Report> report = Build(kind, now);
    EXPECT_TRUE(report.ok()) << report.status();
    if (!report.ok()) {
      return {};
    }
    ReportRun run;
    run.kind = kind;
    run.format = format;
    run.language = v1::REPORT_LANGUAGE_JA;
    run.generated_by = "保守ベンダー";
    run.generated_by_role = "vendor";
    run.generated_at = now;
    run.size_bytes = 1234;
    run.sha256 = std::string(64, 'a');
    absl::Status recorded = builder_->RecordRun(*report, run);
    EXPECT_TRUE(recorded.ok()) << recorded;
    return *report;
  }

  struct RunRow {
    std::string kind, format, language, generated_by, role, open_findings;
  };
  std::vector<RunRow> Runs() {
    std::vector<RunRow> rows;
    absl::StatusOr<Statement> query = db_->Query(
        "SELECT kind, format, language, generated_by, role, open_findings FROM report_runs "
        "ORDER BY run_id",
        {});
    EXPECT_TRUE(query.ok()) << query.status();
    if (query.ok()) {
      EXPECT_TRUE(query
                      ->ForEachRow([&](const Statement& row) {
                        rows.push_back({row.ColumnText(0), row.ColumnText(1), row.ColumnText(2),
                                        row.ColumnText(3), row.ColumnText(4), row.ColumnText(5)});
                        return absl::OkStatus();
                      })
                      .ok());
    }
    return rows;
  }

  testing::TempDir dir_;
  std::optional<Database> db_;
  std::optional<KnowledgeReader> reader_;
  std::optional<OrgRegisterStore> org_;
  std::optional<Database> runs_;
  std::optional<ReportBuilder> builder_;
};

TEST_F(ReportBuilderTest, RefusesAnUnknownKind) {
  EXPECT_EQ(Build(v1::REPORT_KIND_UNSPECIFIED).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Build(static_cast<v1::ReportKind>(42)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ReportBuilderTest, EachKindCarriesItsSectionsAndEveryKindTheWholeSummary) {
  SeedClinic();
  struct Expected {
    v1::ReportKind kind;
    bool checklist, ledger, accounts, findings, episodes;
  };
  for (const Expected& expected : std::vector<Expected>{
           {v1::REPORT_KIND_CHECKLIST, true, false, false, false, false},
           {v1::REPORT_KIND_LEDGER, false, true, false, false, false},
           {v1::REPORT_KIND_ACCOUNTS, false, false, true, false, false},
           {v1::REPORT_KIND_FINDINGS, false, false, false, true, false},
           {v1::REPORT_KIND_VISIT, true, true, true, true, true},
       }) {
    SCOPED_TRACE(v1::ReportKind_Name(expected.kind));
    absl::StatusOr<v1::Report> report = Build(expected.kind);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_EQ(report->schema(), "mamori.report.v1");
    EXPECT_EQ(report->kind(), expected.kind);
    EXPECT_EQ(report->checklist_size() > 0, expected.checklist);
    EXPECT_EQ(report->org_records_size() > 0, expected.checklist);
    EXPECT_EQ(report->ledger_size() > 0, expected.ledger);
    EXPECT_EQ(report->software_size() > 0, expected.ledger);
    EXPECT_EQ(report->accounts_size() > 0, expected.accounts);
    EXPECT_EQ(report->findings_size() > 0, expected.findings);
    EXPECT_EQ(report->idle_episodes_size() > 0, expected.episodes);
    // The summary is the same whatever the kind.
    const v1::ReportSummary& summary = report->summary();
    EXPECT_EQ(summary.hosts(), 5);
    EXPECT_EQ(summary.servers(), 1);
    EXPECT_EQ(summary.workstations(), 4);
    EXPECT_EQ(summary.hosts_stale(), 1);
    EXPECT_EQ(summary.accounts_due(), 1);
    EXPECT_EQ(summary.idle_episodes(), 1);
    EXPECT_EQ(summary.checklist_yes() + summary.checklist_no() + summary.checklist_action_needed(),
              static_cast<int>(rules::Checklist().size()));
    EXPECT_EQ(summary.findings_new(), 0);
    EXPECT_EQ(summary.findings_fixed(), 0);
  }
}

TEST_F(ReportBuilderTest, TheCoverNamesTheClinicWhoPulledItAndTheFiscalYear) {
  SeedClinic();
  absl::StatusOr<v1::Report> report = Build(v1::REPORT_KIND_VISIT);
  ASSERT_TRUE(report.ok()) << report.status();
  const v1::ReportCover& cover = report->cover();
  EXPECT_EQ(cover.clinic_name(), kClinicName);
  EXPECT_EQ(cover.collector_name(), "clinic-nas");
  EXPECT_EQ(cover.mamori_version(), "0.7.0");
  EXPECT_EQ(cover.generated_by(), "保守ベンダー");
  EXPECT_EQ(cover.generated_by_role(), "vendor");
  EXPECT_EQ(codec::FromProtoTimestamp(cover.generated_at()), kNow);
  EXPECT_EQ(codec::FromProtoTimestamp(cover.period_to()), kNow);
  EXPECT_FALSE(cover.has_period_from()) << "no previous report";
  EXPECT_EQ(cover.checklist_version(), rules::kChecklistVersion.ja);
  EXPECT_EQ(cover.fiscal_year(), "2026");
  EXPECT_EQ(cover.time_zone(), "Asia/Tokyo (+09:00)");

  // February 2027, in Tokyo, is still fiscal 2026; the first of April starts 2027.
  EXPECT_EQ(Build(v1::REPORT_KIND_LEDGER, Jst(2027, 2, 1, 9))->cover().fiscal_year(), "2026");
  EXPECT_EQ(Build(v1::REPORT_KIND_LEDGER, Jst(2027, 4, 1, 0, 30))->cover().fiscal_year(), "2027");
}

TEST_F(ReportBuilderTest, TheLedgerListsServersFirstThenPcsByNameAndAggregatesSoftware) {
  SeedClinic();
  absl::StatusOr<v1::Report> report = Build(v1::REPORT_KIND_LEDGER);
  ASSERT_TRUE(report.ok()) << report.status();
  std::vector<std::string> names;
  for (const v1::LedgerEntry& entry : report->ledger()) {
    names.push_back(entry.hostname());
  }
  EXPECT_THAT(names, ElementsAre("電子カルテサーバ", "受付PC-1", "受付PC-2", "診察室PC", "新規PC"));
  std::vector<std::string> software;
  for (const v1::SoftwareVersion& version : report->software()) {
    software.push_back(
        absl::StrCat(version.name(), " ", version.version(), " x", version.host_count()));
  }
  EXPECT_THAT(software, ElementsAre("Chrome 119 x1", "Chrome 120 x2", "ORCA 5.2 x1"));
}

TEST_F(ReportBuilderTest, AccountsLeaveOutSystemAccountsAndOldUnreviewedRemovedOnes) {
  SeedClinic();
  absl::StatusOr<v1::Report> report = Build(v1::REPORT_KIND_ACCOUNTS);
  ASSERT_TRUE(report.ok()) << report.status();
  std::vector<std::string> names;
  for (const v1::AccountEntry& account : report->accounts()) {
    names.push_back(
        absl::StrCat(account.hostname(), " ", account.name(), account.due() ? " due" : ""));
  }
  // Due first, then by host and name; removed ones stay when reviewed or removed in the period.
  EXPECT_THAT(names, ElementsAre("受付PC-1 tanaka due", "受付PC-1 sato", "診察室PC kato",
                                 "診察室PC suzuki"));
  EXPECT_EQ(report->summary().accounts_due(), 1);
}

TEST_F(ReportBuilderTest, OpenFindingsAreFailWarnUnknownClinicFirstThenByHostAndRule) {
  SeedClinic();
  absl::StatusOr<v1::Report> report = Build(v1::REPORT_KIND_FINDINGS);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_THAT(
      FindingKeys(*report),
      ElementsAre("受付PC-2 MAM-USB-001", "電子カルテサーバ MAM-PATCH-001",
                  "受付PC-1 MAM-PATCH-001", "受付PC-2 MAM-AGENT-001", "受付PC-2 MAM-PATCH-001"));
  // Within each status the clinic's own findings come first; no pass or na is listed.
  int previous_rank = -1;
  bool host_seen_in_rank = false;
  int fail = 0, warn = 0, unknown = 0;
  for (const v1::ReportFinding& entry : report->findings()) {
    const v1::FindingStatus status = entry.finding().status();
    const int rank = status == v1::FINDING_STATUS_FAIL      ? 0
                     : status == v1::FINDING_STATUS_WARN    ? 1
                     : status == v1::FINDING_STATUS_UNKNOWN ? 2
                                                            : 9;
    ASSERT_LT(rank, 9) << entry.finding().rule_id();
    ASSERT_GE(rank, previous_rank);
    if (rank != previous_rank) {
      host_seen_in_rank = false;
    }
    if (entry.finding().agent_id().empty()) {
      EXPECT_FALSE(host_seen_in_rank) << entry.finding().rule_id();
      EXPECT_THAT(entry.finding().rule_id(), ::testing::StartsWith("MAM-ORG-"));
    } else {
      host_seen_in_rank = true;
    }
    previous_rank = rank;
    EXPECT_EQ(entry.trend(), v1::FINDING_TREND_UNSPECIFIED) << "no previous report";
    fail += rank == 0;
    warn += rank == 1;
    unknown += rank == 2;
  }
  // The register lacks a contact chart, BCP, drill ...: the clinic's own failing findings lead
  // the list, by rule id, the unrecorded drill (MAM-ORG-007) among them.
  std::vector<std::string> clinic_fails;
  for (const v1::ReportFinding& entry : report->findings()) {
    if (entry.finding().agent_id().empty() && entry.finding().status() == v1::FINDING_STATUS_FAIL) {
      EXPECT_THAT(entry.finding().hostname(), IsEmpty());
      clinic_fails.push_back(entry.finding().rule_id());
    }
  }
  EXPECT_THAT(clinic_fails, ::testing::Contains("MAM-ORG-007"));
  EXPECT_TRUE(std::is_sorted(clinic_fails.begin(), clinic_fails.end()));
  ASSERT_FALSE(clinic_fails.empty());
  EXPECT_EQ(report->findings(0).finding().rule_id(), clinic_fails.front());
  EXPECT_EQ(report->summary().findings_fail(), fail);
  EXPECT_EQ(report->summary().findings_warn(), warn);
  EXPECT_EQ(report->summary().findings_unknown(), unknown);
}

TEST_F(ReportBuilderTest, TheVisitShowsTheIdleEpisodesOfThePeriod) {
  SeedClinic();
  absl::StatusOr<v1::Report> report = Build(v1::REPORT_KIND_VISIT);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->idle_episodes_size(), 1);
  EXPECT_EQ(report->idle_episodes(0).hostname(), "受付PC-1");
}

TEST_F(ReportBuilderTest, TheChecklistIsAnsweredFromTheHostsAndTheRegister) {
  SeedClinic();
  absl::StatusOr<v1::Report> report = Build(v1::REPORT_KIND_CHECKLIST);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->checklist_size(), static_cast<int>(rules::Checklist().size()));
  const v1::ChecklistItem* usb = nullptr;
  const v1::ChecklistItem* logs = nullptr;
  const v1::ChecklistItem* inventory = nullptr;
  const v1::ChecklistItem* manager = nullptr;
  for (const v1::ChecklistItem& item : report->checklist()) {
    if (item.key() == "2-12") usb = &item;
    if (item.key() == "2-6") logs = &item;
    if (item.key() == "2-1") inventory = &item;
    if (item.key() == "1-1") manager = &item;
  }
  ASSERT_NE(usb, nullptr);
  EXPECT_EQ(usb->answer(), v1::CHECKLIST_ANSWER_NO);
  EXPECT_EQ(usb->checked_on(), "2026-11-26");
  const v1::ChecklistEquipment* pcs = Column(*usb, "workstation");
  ASSERT_NE(pcs, nullptr);
  EXPECT_EQ(pcs->hosts(), 4);
  EXPECT_THAT(pcs->gap_hosts(), ElementsAre("受付PC-2"));
  EXPECT_THAT(pcs->unknown_hosts(), ElementsAre("新規PC"));
  EXPECT_EQ(Column(*usb, "server")->answer(), v1::CHECKLIST_ANSWER_YES);
  ASSERT_NE(logs, nullptr);
  EXPECT_EQ(logs->answer(), v1::CHECKLIST_ANSWER_NO) << "answered いいえ by hand";
  EXPECT_EQ(logs->checked_on(), "2026-11-20");
  ASSERT_NE(manager, nullptr);
  EXPECT_EQ(manager->answer(), v1::CHECKLIST_ANSWER_YES) << "the security manager is recorded";
  EXPECT_EQ(manager->checked_on(), "2026-04-01");
  ASSERT_NE(inventory, nullptr);
  EXPECT_EQ(inventory->evidence_ja(0),
            "サーバ 1台・端末PC 4台を台帳に記録。応答のない機器: 受付PC-2。状態を確認できない機器: "
            "新規PC");
  bool clinic_recorded = false;
  for (const v1::OrgRecord& record : report->org_records()) {
    clinic_recorded = clinic_recorded ||
                      (record.kind() == v1::ORG_RECORD_KIND_CLINIC && record.name() == kClinicName);
  }
  EXPECT_TRUE(clinic_recorded);
}

TEST_F(ReportBuilderTest, TrendsCompareWithTheNewestFindingsReportOfAnEarlierDay) {
  SeedClinic();
  const absl::Time day1 = Jst(2026, 11, 25, 10);
  const v1::Report first = Pull(v1::REPORT_KIND_VISIT, day1);
  ASSERT_GT(first.findings_size(), 0);

  // Since then: 受付PC-2's USB fixed, 受付PC-1's USB newly failing, the server retired.
  SetFinding("agent-r2", "MAM-USB-001", "pass");
  SetFinding("agent-r1", "MAM-USB-001", "fail");
  RemoveAgent("agent-srv");

  absl::StatusOr<v1::Report> report = Build(v1::REPORT_KIND_FINDINGS);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(codec::FromProtoTimestamp(report->cover().period_from()), day1);

  const v1::ReportFinding* added = FindingOf(*report, "受付PC-1", "MAM-USB-001");
  ASSERT_NE(added, nullptr);
  EXPECT_EQ(added->trend(), v1::FINDING_TREND_NEW);
  EXPECT_EQ(added->previous_status(), v1::FINDING_STATUS_UNSPECIFIED);

  const v1::ReportFinding* still = FindingOf(*report, "受付PC-2", "MAM-AGENT-001");
  ASSERT_NE(still, nullptr);
  EXPECT_EQ(still->trend(), v1::FINDING_TREND_STILL_OPEN);
  EXPECT_EQ(still->previous_status(), v1::FINDING_STATUS_WARN);

  const v1::ReportFinding* fixed = FindingOf(*report, "受付PC-2", "MAM-USB-001");
  ASSERT_NE(fixed, nullptr);
  EXPECT_EQ(fixed->trend(), v1::FINDING_TREND_FIXED);
  EXPECT_EQ(fixed->previous_status(), v1::FINDING_STATUS_FAIL);
  EXPECT_EQ(fixed->finding().status(), v1::FINDING_STATUS_PASS) << "the current verdict";

  const v1::ReportFinding* gone = FindingOf(*report, "電子カルテサーバ", "MAM-PATCH-001");
  ASSERT_NE(gone, nullptr);
  EXPECT_EQ(gone->trend(), v1::FINDING_TREND_FIXED);
  EXPECT_EQ(gone->finding().agent_id(), "agent-srv");
  EXPECT_EQ(gone->finding().status(), v1::FINDING_STATUS_UNSPECIFIED) << "the host is gone";
  EXPECT_EQ(gone->finding().title_en(), "Security updates pending");

  // Clinic findings unchanged since then are still open.
  int clinic = 0;
  for (const v1::ReportFinding& entry : report->findings()) {
    if (entry.finding().agent_id().empty()) {
      ++clinic;
      EXPECT_EQ(entry.trend(), v1::FINDING_TREND_STILL_OPEN) << entry.finding().rule_id();
    }
  }
  EXPECT_GT(clinic, 0);
  // The fixed ones come last, after every open one.
  bool fixed_seen = false;
  for (const v1::ReportFinding& entry : report->findings()) {
    if (entry.trend() == v1::FINDING_TREND_FIXED) {
      fixed_seen = true;
    } else {
      EXPECT_FALSE(fixed_seen) << entry.finding().rule_id() << " after a fixed one";
    }
  }
  EXPECT_EQ(report->summary().findings_new(), 1);
  EXPECT_EQ(report->summary().findings_fixed(), 2);
}

TEST_F(ReportBuilderTest, EveryPullOfOneDayComparesWithTheSameBaseline) {
  SeedClinic();
  Pull(v1::REPORT_KIND_VISIT, Jst(2026, 11, 25, 10));
  SetFinding("agent-r1", "MAM-USB-001", "fail");
  // Today's first pull (HTML) is recorded with 受付PC-1's USB open ...
  const v1::Report html = Pull(v1::REPORT_KIND_VISIT, Jst(2026, 11, 26, 9));
  ASSERT_NE(FindingOf(html, "受付PC-1", "MAM-USB-001"), nullptr);
  EXPECT_EQ(FindingOf(html, "受付PC-1", "MAM-USB-001")->trend(), v1::FINDING_TREND_NEW);
  // ... and the CSV pulled later the same day still calls it new: same baseline, yesterday's.
  const v1::Report csv = Pull(v1::REPORT_KIND_VISIT, Jst(2026, 11, 26, 15), v1::REPORT_FORMAT_CSV);
  ASSERT_NE(FindingOf(csv, "受付PC-1", "MAM-USB-001"), nullptr);
  EXPECT_EQ(FindingOf(csv, "受付PC-1", "MAM-USB-001")->trend(), v1::FINDING_TREND_NEW);
  EXPECT_EQ(codec::FromProtoTimestamp(csv.cover().period_from()), Jst(2026, 11, 25, 10));
  // The next day, today's pulls are the baseline.
  absl::StatusOr<v1::Report> next = Build(v1::REPORT_KIND_FINDINGS, Jst(2026, 11, 27, 9));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(FindingOf(*next, "受付PC-1", "MAM-USB-001")->trend(), v1::FINDING_TREND_STILL_OPEN);
  EXPECT_EQ(codec::FromProtoTimestamp(next->cover().period_from()), Jst(2026, 11, 26, 15));
}

TEST_F(ReportBuilderTest, TheDayStartsAtMidnightInTokyoNotInUtc) {
  SeedClinic();
  // 2026-11-25 15:30 UTC is 00:30 on the 26th in Tokyo: the same day as kNow, so no baseline.
  Pull(v1::REPORT_KIND_FINDINGS,
       absl::FromCivil(absl::CivilSecond(2026, 11, 25, 15, 30, 0), absl::UTCTimeZone()));
  absl::StatusOr<v1::Report> report = Build(v1::REPORT_KIND_FINDINGS);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(report->cover().has_period_from());
  for (const v1::ReportFinding& entry : report->findings()) {
    EXPECT_EQ(entry.trend(), v1::FINDING_TREND_UNSPECIFIED);
  }
}

TEST_F(ReportBuilderTest, OnlyFindingsAndVisitReportsAreABaseline) {
  SeedClinic();
  Pull(v1::REPORT_KIND_CHECKLIST, Jst(2026, 11, 20, 10));
  Pull(v1::REPORT_KIND_LEDGER, Jst(2026, 11, 21, 10));
  Pull(v1::REPORT_KIND_ACCOUNTS, Jst(2026, 11, 22, 10));
  absl::StatusOr<v1::Report> report = Build(v1::REPORT_KIND_VISIT);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(report->cover().has_period_from());
  EXPECT_EQ(report->summary().findings_new(), 0);
  // Without a previous report the period is the last 30 days: the 60-day-old episode is out.
  EXPECT_EQ(report->idle_episodes_size(), 1);
}

TEST_F(ReportBuilderTest, RecordsEachRunWithShortNamesAndTheOpenFindingsOfFindingsReports) {
  SeedClinic();
  const v1::Report visit = Pull(v1::REPORT_KIND_VISIT, Jst(2026, 11, 25, 10));
  Pull(v1::REPORT_KIND_LEDGER, Jst(2026, 11, 25, 11), v1::REPORT_FORMAT_CSV);
  const std::vector<RunRow> runs = Runs();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].kind, "visit");
  EXPECT_EQ(runs[0].format, "html");
  EXPECT_EQ(runs[0].language, "ja");
  EXPECT_EQ(runs[0].generated_by, "保守ベンダー");
  EXPECT_EQ(runs[0].role, "vendor");
  const nlohmann::json open = nlohmann::json::parse(runs[0].open_findings);
  ASSERT_TRUE(open.is_array());
  ASSERT_EQ(open.size(), static_cast<std::size_t>(visit.findings_size()));
  bool usb_seen = false;
  for (const nlohmann::json& entry : open) {
    if (entry.at("agent_id") == "agent-r2" && entry.at("rule_id") == "MAM-USB-001") {
      usb_seen = true;
      EXPECT_EQ(entry.at("hostname"), "受付PC-2");
      EXPECT_EQ(entry.at("status"), "fail");
    }
  }
  EXPECT_TRUE(usb_seen) << runs[0].open_findings;
  EXPECT_EQ(runs[1].kind, "ledger");
  EXPECT_EQ(runs[1].format, "csv");
  EXPECT_EQ(runs[1].open_findings, "[]");
}

TEST_F(ReportBuilderTest, ADamagedBaselineIsDataLossNotAGuess) {
  SeedClinic();
  Exec(
      "INSERT INTO report_runs (kind, format, language, generated_at, generated_by, role, "
      "size_bytes, sha256, open_findings) VALUES ('visit', 'html', 'ja', ?1, 'x', 'vendor', 1, "
      "'', '[{\"agent_id\": 1}]')",
      {FormatStoredTime(kNow - 2 * kDay)});
  EXPECT_EQ(Build(v1::REPORT_KIND_FINDINGS).status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(ReportBuilderTest, RefusesMoreHostsThanAReportCovers) {
  Exec(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5001) "
      "INSERT INTO agents (agent_id, hostname, agent_version, first_seen, last_seen) "
      "SELECT 'agent-' || i, 'pc-' || i, '0.7.0', ?1, ?1 FROM n",
      {FormatStoredTime(kNow)});
  absl::StatusOr<v1::Report> report = Build(v1::REPORT_KIND_LEDGER);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(report.status().message(), HasSubstr("5001 hosts, more than the 5000"));
}

}  // namespace
}  // namespace mamori::collector
