// The evidence register: what each kind must and must not carry, the append-only table, current
// records versus history, and the MAM-ORG findings that follow the records.
#include "collector/knowledge/org_register.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collector/storage/schema.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/codec/proto_time.h"
#include "tests/collector/temp_dir.h"

namespace mamori::collector {
namespace {

namespace v1 = mamori::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// 2026-11-25 09:00 in Tokyo.
const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 11, 25, 0, 0, 0), absl::UTCTimeZone());

v1::OrgRecord Make(v1::OrgRecordKind kind, std::string date) {
  v1::OrgRecord record;
  record.set_kind(kind);
  record.set_date(std::move(date));
  return record;
}

v1::OrgRecord SecurityManager(std::string name, std::string date) {
  v1::OrgRecord record = Make(v1::ORG_RECORD_KIND_SECURITY_MANAGER, std::move(date));
  record.set_name(std::move(name));
  return record;
}

v1::OrgRecord Backup(std::string date, bool offline_copy) {
  v1::OrgRecord record = Make(v1::ORG_RECORD_KIND_BACKUP, std::move(date));
  record.set_method("外付けHDD 2台を週替わり");
  record.set_offline_copy(offline_copy);
  return record;
}

v1::OrgRecord Confirmation(std::string item, bool answer, std::string date) {
  v1::OrgRecord record = Make(v1::ORG_RECORD_KIND_CONFIRMATION, std::move(date));
  record.set_item(std::move(item));
  record.set_answer(answer);
  return record;
}

v1::OrgRecord WithItem(v1::OrgRecord record, std::string item) {
  record.set_item(std::move(item));
  return record;
}

const v1::Finding* FindingOf(const google::protobuf::RepeatedPtrField<v1::Finding>& findings,
                             absl::string_view rule_id) {
  for (const v1::Finding& finding : findings) {
    if (finding.rule_id() == rule_id) {
      return &finding;
    }
  }
  return nullptr;
}

class OrgRegisterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<Database> db =
        Database::Open(path(), Database::OpenMode::kCreateIfMissing, CollectorSchema());
    ASSERT_TRUE(db.ok()) << db.status();
    db_.emplace(*std::move(db));
    absl::StatusOr<OrgRegisterStore> store = OrgRegisterStore::Open(path());
    ASSERT_TRUE(store.ok()) << store.status();
    store_.emplace(*std::move(store));
  }

  std::filesystem::path path() const { return dir_.path() / "collector.db"; }

  absl::StatusOr<v1::RecordOrgEvidenceResponse> Record(const v1::OrgRecord& record,
                                                       absl::Time now = kNow) {
    v1::RecordOrgEvidenceRequest request;
    *request.mutable_record() = record;
    return store_->Record(request, "院長", policy_, now);
  }

  // The INVALID_ARGUMENT message for `record`, or "" when it was accepted.
  std::string Refusal(const v1::OrgRecord& record, absl::Time now = kNow) {
    absl::StatusOr<v1::RecordOrgEvidenceResponse> response = Record(record, now);
    if (response.ok()) {
      return "";
    }
    EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument) << response.status();
    return std::string(response.status().message());
  }

  v1::ListOrgEvidenceResponse List(bool include_history) {
    v1::ListOrgEvidenceRequest request;
    request.set_include_history(include_history);
    absl::StatusOr<v1::ListOrgEvidenceResponse> response = store_->List(request, policy_, kNow);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : v1::ListOrgEvidenceResponse();
  }

  std::int64_t RowCount() {
    absl::StatusOr<Statement> count = db_->Query("SELECT COUNT(*) FROM org_records", {});
    EXPECT_TRUE(count.ok());
    EXPECT_TRUE(count->Step().value_or(false));
    return count->ColumnInt64(0);
  }

  testing::TempDir dir_;
  std::optional<Database> db_;
  std::optional<OrgRegisterStore> store_;
  rules::Policy policy_;
};

TEST_F(OrgRegisterTest, RecordsASecurityManagerAndReturnsTheStoredRecordWithTheFindings) {
  absl::StatusOr<v1::RecordOrgEvidenceResponse> response =
      Record(SecurityManager("山田 太郎", "2026-04-01"));
  ASSERT_TRUE(response.ok()) << response.status();
  const v1::OrgRecord& record = response->record();
  EXPECT_GT(record.record_id(), 0);
  EXPECT_EQ(record.kind(), v1::ORG_RECORD_KIND_SECURITY_MANAGER);
  EXPECT_EQ(record.name(), "山田 太郎");
  EXPECT_EQ(record.date(), "2026-04-01");
  EXPECT_EQ(record.recorded_by(), "院長");
  EXPECT_EQ(codec::FromProtoTimestamp(record.recorded_at()), kNow);
  EXPECT_TRUE(record.current());
  EXPECT_FALSE(record.has_offline_copy());
  EXPECT_FALSE(record.has_answer());

  ASSERT_EQ(response->findings_size(), 7);
  const v1::Finding* manager = FindingOf(response->findings(), "MAM-ORG-001");
  ASSERT_NE(manager, nullptr);
  EXPECT_EQ(manager->status(), v1::FINDING_STATUS_PASS);
  EXPECT_EQ(manager->area(), "ORG");
  EXPECT_TRUE(manager->agent_id().empty());
  EXPECT_TRUE(manager->hostname().empty());
  EXPECT_EQ(manager->title_ja(), "安全管理責任者が未登録");
  EXPECT_FALSE(manager->title_en().empty());
  EXPECT_FALSE(manager->remediation_ja().empty());
  EXPECT_FALSE(manager->remediation_en().empty());
  EXPECT_THAT(manager->mhlw_keys(), ElementsAre("1-1"));
  EXPECT_THAT(manager->evidence(), HasSubstr("山田 太郎"));
  EXPECT_EQ(codec::FromProtoTimestamp(manager->evaluated_at()), kNow);
  EXPECT_EQ(FindingOf(response->findings(), "MAM-ORG-007")->status(), v1::FINDING_STATUS_FAIL);
}

TEST_F(OrgRegisterTest, FindingsTurnFromFailToPassAsTheRecordsArrive) {
  const v1::ListOrgEvidenceResponse empty = List(false);
  for (const v1::Finding& finding : empty.findings()) {
    EXPECT_EQ(finding.status(), v1::FINDING_STATUS_FAIL) << finding.rule_id();
  }
  v1::OrgRecord mds = Make(v1::ORG_RECORD_KIND_MDS_SDS, "2026-01-10");
  mds.set_item("電子カルテ");
  for (const v1::OrgRecord& record :
       {SecurityManager("山田 太郎", "2026-04-01"),
        Make(v1::ORG_RECORD_KIND_CONTACT_CHART, "2026-06-01"), mds, Backup("2026-11-20", true),
        Make(v1::ORG_RECORD_KIND_RESTORE_TEST, "2026-05-01"),
        Make(v1::ORG_RECORD_KIND_BCP, "2025-04-01"),
        Make(v1::ORG_RECORD_KIND_DRILL, "2026-10-01")}) {
    absl::StatusOr<v1::RecordOrgEvidenceResponse> response = Record(record);
    ASSERT_TRUE(response.ok()) << response.status();
  }
  const v1::ListOrgEvidenceResponse listed = List(false);
  ASSERT_EQ(listed.findings_size(), 7);
  for (const v1::Finding& finding : listed.findings()) {
    EXPECT_EQ(finding.status(), v1::FINDING_STATUS_PASS)
        << finding.rule_id() << ": " << finding.evidence();
  }
}

TEST_F(OrgRegisterTest, ANewerRecordIsCurrentAndTheOlderOneStaysInTheHistory) {
  ASSERT_TRUE(Record(Backup("2026-11-20", false)).ok());
  ASSERT_TRUE(Record(Backup("2026-11-24", true)).ok());
  ASSERT_TRUE(Record(WithItem(Make(v1::ORG_RECORD_KIND_MDS_SDS, "2026-01-10"), "電子カルテ")).ok());
  ASSERT_TRUE(Record(WithItem(Make(v1::ORG_RECORD_KIND_MDS_SDS, "2026-02-01"), "レセコン")).ok());
  // A correction with an earlier date is still the newest record: it becomes current.
  ASSERT_TRUE(Record(WithItem(Make(v1::ORG_RECORD_KIND_MDS_SDS, "2026-01-09"), "電子カルテ")).ok());
  ASSERT_TRUE(Record(SecurityManager("山田 太郎", "2026-04-01")).ok());

  const v1::ListOrgEvidenceResponse current = List(false);
  std::vector<std::string> rows;
  for (const v1::OrgRecord& record : current.records()) {
    EXPECT_TRUE(record.current());
    rows.push_back(absl::StrCat(v1::OrgRecordKind_Name(record.kind()), " ", record.item(), " ",
                                record.date()));
  }
  EXPECT_THAT(rows, ElementsAre("ORG_RECORD_KIND_SECURITY_MANAGER  2026-04-01",
                                "ORG_RECORD_KIND_MDS_SDS レセコン 2026-02-01",
                                "ORG_RECORD_KIND_MDS_SDS 電子カルテ 2026-01-09",
                                "ORG_RECORD_KIND_BACKUP  2026-11-24"));
  EXPECT_EQ(FindingOf(current.findings(), "MAM-ORG-004")->status(), v1::FINDING_STATUS_PASS);

  const v1::ListOrgEvidenceResponse history = List(true);
  rows.clear();
  for (const v1::OrgRecord& record : history.records()) {
    rows.push_back(absl::StrCat(v1::OrgRecordKind_Name(record.kind()), " ", record.item(), " ",
                                record.date(), record.current() ? " current" : ""));
  }
  EXPECT_THAT(rows, ElementsAre("ORG_RECORD_KIND_SECURITY_MANAGER  2026-04-01 current",
                                "ORG_RECORD_KIND_MDS_SDS レセコン 2026-02-01 current",
                                "ORG_RECORD_KIND_MDS_SDS 電子カルテ 2026-01-09 current",
                                "ORG_RECORD_KIND_MDS_SDS 電子カルテ 2026-01-10",
                                "ORG_RECORD_KIND_BACKUP  2026-11-24 current",
                                "ORG_RECORD_KIND_BACKUP  2026-11-20"));
  // Findings come from the current records only, with or without history.
  EXPECT_EQ(FindingOf(history.findings(), "MAM-ORG-004")->status(), v1::FINDING_STATUS_PASS);

  absl::StatusOr<rules::OrgRegister> register_now = store_->Current();
  ASSERT_TRUE(register_now.ok()) << register_now.status();
  ASSERT_EQ(register_now->current.size(), 4u);
  EXPECT_EQ(register_now->current[3].kind, rules::OrgRecordKind::kBackup);
  EXPECT_EQ(register_now->current[3].offline_copy, true);
  EXPECT_EQ(register_now->current[3].method, "外付けHDD 2台を週替わり");
}

TEST_F(OrgRegisterTest, TheTableIsAppendOnly) {
  ASSERT_TRUE(Record(Make(v1::ORG_RECORD_KIND_DRILL, "2026-10-01")).ok());
  const absl::Status update = db_->Run("UPDATE org_records SET date = '2026-11-01'", {});
  EXPECT_FALSE(update.ok());
  EXPECT_THAT(update.message(), HasSubstr("append-only"));
  const absl::Status remove = db_->Run("DELETE FROM org_records", {});
  EXPECT_FALSE(remove.ok());
  EXPECT_THAT(remove.message(), HasSubstr("append-only"));
  EXPECT_EQ(RowCount(), 1);
  EXPECT_EQ(List(false).records(0).date(), "2026-10-01");
}

TEST_F(OrgRegisterTest, AHostileNotesStringIsStoredAsIs) {
  const std::string notes =
      "=cmd|' /C calc'!A0\n<script>alert(1)</script>'); DROP TABLE org_records; --\t\"引用\"";
  v1::OrgRecord record = Confirmation("2-6", false, "2026-11-24");
  record.set_notes(notes);
  absl::StatusOr<v1::RecordOrgEvidenceResponse> response = Record(record);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->record().notes(), notes);
  const v1::ListOrgEvidenceResponse listed = List(false);
  ASSERT_EQ(listed.records_size(), 1);
  EXPECT_EQ(listed.records(0).notes(), notes);
  EXPECT_EQ(listed.records(0).item(), "2-6");
  EXPECT_FALSE(listed.records(0).answer());
  EXPECT_TRUE(listed.records(0).has_answer());
}

TEST_F(OrgRegisterTest, RefusesAMissingOrUnknownKind) {
  EXPECT_THAT(Refusal(Make(v1::ORG_RECORD_KIND_UNSPECIFIED, "2026-01-01")),
              HasSubstr("record.kind: required"));
  EXPECT_THAT(Refusal(Make(static_cast<v1::OrgRecordKind>(42), "2026-01-01")),
              HasSubstr("record.kind"));
  EXPECT_EQ(RowCount(), 0);
}

TEST_F(OrgRegisterTest, RefusesDatesThatAreNotRealOrLieAfterTodayInTokyo) {
  EXPECT_EQ(Refusal(Make(v1::ORG_RECORD_KIND_DRILL, "")), "record.date: required for drill");
  for (const std::string date :
       {"2026-02-30", "2026-2-01", "2026/02/01", "20260201", "tomorrow", "2026-02-01T00:00:00Z"}) {
    EXPECT_THAT(Refusal(Make(v1::ORG_RECORD_KIND_DRILL, date)),
                HasSubstr("record.date: not a calendar date written YYYY-MM-DD"))
        << date;
  }
  // 2026-11-25 00:00 UTC is 09:00 in Tokyo: the 25th is today, the 26th is not yet.
  EXPECT_EQ(Refusal(Make(v1::ORG_RECORD_KIND_DRILL, "2026-11-25")), "");
  EXPECT_THAT(Refusal(Make(v1::ORG_RECORD_KIND_DRILL, "2026-11-26")),
              HasSubstr("record.date: lies after today (2026-11-25, Asia/Tokyo)"));
  // At 23:30 UTC on the 25th it is already the 26th in Tokyo.
  const absl::Time late = kNow + absl::Hours(23) + absl::Minutes(30);
  EXPECT_EQ(Refusal(Make(v1::ORG_RECORD_KIND_DRILL, "2026-11-26"), late), "");
  EXPECT_THAT(Refusal(Make(v1::ORG_RECORD_KIND_DRILL, "2026-11-27"), late),
              HasSubstr("lies after today (2026-11-26"));
}

TEST_F(OrgRegisterTest, ATargetDateMustBeTodayOrLaterAndNameAChecklistItem) {
  v1::OrgRecord target = Make(v1::ORG_RECORD_KIND_TARGET, "2027-03-31");
  EXPECT_EQ(Refusal(target), "record.item: required for target");
  target.set_item("2-7");
  EXPECT_EQ(Refusal(target), "");
  target.set_date("2026-11-25");
  EXPECT_EQ(Refusal(target), "");
  target.set_date("2026-11-24");
  EXPECT_THAT(Refusal(target), HasSubstr("record.date: a target date must be today (2026-11-25"));
  target.set_date("2027-03-31");
  target.set_item("9-9");
  EXPECT_THAT(Refusal(target), HasSubstr("record.item: not a checklist item key"));
}

TEST_F(OrgRegisterTest, AConfirmationNeedsAnItemThatAcceptsOneAndAnAnswer) {
  EXPECT_EQ(Refusal(Confirmation("2-6", true, "2026-11-24")), "");
  EXPECT_EQ(Refusal(Confirmation("2-2", false, "2026-11-24")), "");
  // 2-7 is answered from the hosts' patches, 1-1 from the register: no hand-made answer.
  EXPECT_THAT(Refusal(Confirmation("2-7", true, "2026-11-24")),
              HasSubstr("record.item: checklist item 2-7 is answered from the evidence"));
  EXPECT_THAT(Refusal(Confirmation("1-1", true, "2026-11-24")), HasSubstr("record.item"));
  EXPECT_THAT(Refusal(Confirmation("2-66", true, "2026-11-24")),
              HasSubstr("record.item: not a checklist item key"));
  v1::OrgRecord no_answer = Confirmation("2-6", true, "2026-11-24");
  no_answer.clear_answer();
  EXPECT_EQ(Refusal(no_answer), "record.answer: required for confirmation");
  v1::OrgRecord no_item = Confirmation("", true, "2026-11-24");
  EXPECT_EQ(Refusal(no_item), "record.item: required for confirmation");
}

TEST_F(OrgRegisterTest, EachKindRequiresItsFields) {
  v1::OrgRecord clinic = Make(v1::ORG_RECORD_KIND_CLINIC, "");
  EXPECT_EQ(Refusal(clinic), "record.name: required for clinic");
  clinic.set_name("さくら内科クリニック");
  EXPECT_EQ(Refusal(clinic), "") << "a clinic's name needs no date";
  clinic.set_date("2026-04-01");
  EXPECT_EQ(Refusal(clinic), "record.date: not used for clinic (leave it empty)");
  EXPECT_EQ(Refusal(SecurityManager("", "2026-04-01")),
            "record.name: required for security_manager");
  EXPECT_EQ(Refusal(SecurityManager("山田 太郎", "")),
            "record.date: required for security_manager");
  EXPECT_EQ(Refusal(SecurityManager("   ", "2026-04-01")), "record.name: only spaces");
  EXPECT_EQ(Refusal(Make(v1::ORG_RECORD_KIND_MDS_SDS, "2026-01-10")),
            "record.item: required for mds_sds");
  EXPECT_EQ(Refusal(WithItem(Make(v1::ORG_RECORD_KIND_MDS_SDS, "2026-01-10"), "  ")),
            "record.item: required for mds_sds: the system or vendor");
  v1::OrgRecord backup = Backup("2026-11-20", true);
  backup.clear_method();
  EXPECT_EQ(Refusal(backup), "record.method: required for backup");
  backup = Backup("2026-11-20", true);
  backup.clear_offline_copy();
  EXPECT_EQ(Refusal(backup), "record.offline_copy: required for backup");
  for (v1::OrgRecordKind kind :
       {v1::ORG_RECORD_KIND_CONTACT_CHART, v1::ORG_RECORD_KIND_RESTORE_TEST,
        v1::ORG_RECORD_KIND_BCP, v1::ORG_RECORD_KIND_DRILL}) {
    EXPECT_EQ(Refusal(Make(kind, "2026-11-01")), "") << v1::OrgRecordKind_Name(kind);
  }
}

TEST_F(OrgRegisterTest, RefusesFieldsTheKindDoesNotUseNamingThem) {
  v1::OrgRecord drill = Make(v1::ORG_RECORD_KIND_DRILL, "2026-10-01");
  drill.set_name("山田");
  EXPECT_EQ(Refusal(drill), "record.name: not used for drill (leave it empty)");
  drill = Make(v1::ORG_RECORD_KIND_DRILL, "2026-10-01");
  drill.set_offline_copy(false);
  EXPECT_EQ(Refusal(drill), "record.offline_copy: not used for drill (leave it empty)");
  v1::OrgRecord backup = Backup("2026-11-20", true);
  backup.set_answer(true);
  EXPECT_EQ(Refusal(backup), "record.answer: not used for backup (leave it empty)");
  backup = Backup("2026-11-20", true);
  backup.set_item("NAS");
  EXPECT_EQ(Refusal(backup), "record.item: not used for backup (leave it empty)");
  v1::OrgRecord manager = SecurityManager("山田 太郎", "2026-04-01");
  manager.set_method("appointed by the board");
  EXPECT_EQ(Refusal(manager), "record.method: not used for security_manager (leave it empty)");
  v1::OrgRecord clinic = Make(v1::ORG_RECORD_KIND_CLINIC, "");
  clinic.set_name("さくら内科クリニック");
  clinic.set_item("本院");
  EXPECT_EQ(Refusal(clinic), "record.item: not used for clinic (leave it empty)");
  EXPECT_EQ(RowCount(), 0);
}

TEST_F(OrgRegisterTest, BoundsTextInCharactersNotBytes) {
  // 200 kanji are 600 bytes and still fit the name's 200 characters.
  std::string name;
  for (int i = 0; i < kMaxOrgNameCharacters; ++i) {
    name += "山";
  }
  EXPECT_EQ(Refusal(SecurityManager(name, "2026-04-01")), "");
  EXPECT_EQ(Refusal(SecurityManager(name + "田", "2026-04-01")),
            "record.name: longer than 200 characters");
  v1::OrgRecord backup = Backup("2026-11-20", true);
  backup.set_method(std::string(kMaxOrgMethodCharacters + 1, 'x'));
  EXPECT_EQ(Refusal(backup), "record.method: longer than 500 characters");
  v1::OrgRecord drill = Make(v1::ORG_RECORD_KIND_DRILL, "2026-10-01");
  std::string notes;
  for (int i = 0; i < kMaxOrgNotesCharacters; ++i) {
    notes += "訓";
  }
  drill.set_notes(notes);
  EXPECT_EQ(Refusal(drill), "");
  drill.set_notes(notes + "練");
  EXPECT_EQ(Refusal(drill), "record.notes: longer than 2000 characters");
  drill.set_notes("\xff\xfe");
  EXPECT_EQ(Refusal(drill), "record.notes: not valid UTF-8");
  EXPECT_EQ(Refusal(SecurityManager("山田\x1b[2J", "2026-04-01")),
            "record.name: contains a control character");
  EXPECT_EQ(Refusal(WithItem(Make(v1::ORG_RECORD_KIND_MDS_SDS, "2026-01-10"),
                             std::string(kMaxOrgNameCharacters + 1, 'v'))),
            "record.item: longer than 200 characters");
}

TEST_F(OrgRegisterTest, TheFindingsFollowThePolicy) {
  ASSERT_TRUE(Record(Make(v1::ORG_RECORD_KIND_DRILL, "2026-05-01")).ok());
  EXPECT_EQ(FindingOf(List(false).findings(), "MAM-ORG-007")->status(), v1::FINDING_STATUS_PASS);
  policy_.drill_max_age_days = 180;
  const v1::ListOrgEvidenceResponse listed = List(false);
  const v1::Finding* drill = FindingOf(listed.findings(), "MAM-ORG-007");
  ASSERT_NE(drill, nullptr);
  EXPECT_EQ(drill->status(), v1::FINDING_STATUS_FAIL);
  EXPECT_EQ(drill->evidence(), "最後の訓練は 2026-05-01 (208日前)。基準は180日以内");
}

}  // namespace
}  // namespace mamori::collector
