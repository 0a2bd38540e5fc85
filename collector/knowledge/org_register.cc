// The evidence register: validation per kind, the append-only org_records table (schema v5), and
// the clinic's MAM-ORG findings evaluated from its current records.
#include "collector/knowledge/org_register.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "collector/storage/schema.h"
#include "collector/storage/stored_time.h"
#include "platform/parse/utf8.h"
#include "platform/rules/checklist.h"
#include "proto/codec/finding_status.h"
#include "proto/codec/proto_time.h"

namespace mamori::collector {
namespace {

namespace v1 = mamori::v1;
using rules::OrgRecordKind;

// More records than a clinic writes by hand in decades; a listing stops here, newest first.
constexpr int kMaxListedRecords = 10'000;
// A checklist key ("2-13") is short; anything longer is refused before it is looked up.
constexpr std::size_t kMaxChecklistKeyCharacters = 16;

// ---- Kinds ------------------------------------------------------------------------------------

constexpr std::array<std::pair<v1::OrgRecordKind, OrgRecordKind>, 10> kKinds = {{
    {v1::ORG_RECORD_KIND_CLINIC, OrgRecordKind::kClinic},
    {v1::ORG_RECORD_KIND_SECURITY_MANAGER, OrgRecordKind::kSecurityManager},
    {v1::ORG_RECORD_KIND_CONTACT_CHART, OrgRecordKind::kContactChart},
    {v1::ORG_RECORD_KIND_MDS_SDS, OrgRecordKind::kMdsSds},
    {v1::ORG_RECORD_KIND_BACKUP, OrgRecordKind::kBackup},
    {v1::ORG_RECORD_KIND_RESTORE_TEST, OrgRecordKind::kRestoreTest},
    {v1::ORG_RECORD_KIND_BCP, OrgRecordKind::kBcp},
    {v1::ORG_RECORD_KIND_DRILL, OrgRecordKind::kDrill},
    {v1::ORG_RECORD_KIND_CONFIRMATION, OrgRecordKind::kConfirmation},
    {v1::ORG_RECORD_KIND_TARGET, OrgRecordKind::kTarget},
}};

std::optional<OrgRecordKind> FromProtoKind(v1::OrgRecordKind kind) {
  for (const auto& [proto, rules_kind] : kKinds) {
    if (proto == kind) {
      return rules_kind;
    }
  }
  return std::nullopt;
}

v1::OrgRecordKind ToProtoKind(OrgRecordKind kind) {
  for (const auto& [proto, rules_kind] : kKinds) {
    if (rules_kind == kind) {
      return proto;
    }
  }
  return v1::ORG_RECORD_KIND_UNSPECIFIED;
}

// Which fields a kind takes. A field a kind does not use must be left empty (unset), so a record
// never carries a value that no report shows.
enum class Use { kNo, kRequired };

struct KindFields {
  Use item = Use::kNo;
  Use date = Use::kRequired;
  Use name = Use::kNo;
  Use method = Use::kNo;
  Use offline_copy = Use::kNo;
  Use answer = Use::kNo;
};

KindFields FieldsOf(OrgRecordKind kind) {
  KindFields fields;
  switch (kind) {
    case OrgRecordKind::kClinic:
      fields.name = Use::kRequired;
      fields.date = Use::kNo;  // the name on the cover, not an event
      break;
    case OrgRecordKind::kSecurityManager:
      fields.name = Use::kRequired;
      break;
    case OrgRecordKind::kMdsSds:
    case OrgRecordKind::kTarget:
      fields.item = Use::kRequired;
      break;
    case OrgRecordKind::kBackup:
      fields.method = Use::kRequired;
      fields.offline_copy = Use::kRequired;
      break;
    case OrgRecordKind::kConfirmation:
      fields.item = Use::kRequired;
      fields.answer = Use::kRequired;
      break;
    case OrgRecordKind::kContactChart:
    case OrgRecordKind::kRestoreTest:
    case OrgRecordKind::kBcp:
    case OrgRecordKind::kDrill:
      break;
  }
  return fields;
}

// ---- Validation -------------------------------------------------------------------------------

absl::Status Invalid(absl::string_view field, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat("record.", field, ": ", reason));
}

std::optional<std::size_t> Utf8Characters(std::string_view text) {
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size(); ++characters) {
    const std::size_t length = parse::Utf8SequenceLength(text, i);
    if (length == 0) {
      return std::nullopt;
    }
    i += length;
  }
  return characters;
}

// Valid UTF-8 of at most `max_characters`, without control characters; `multiline` allows tab and
// line breaks (notes).
absl::Status CheckText(absl::string_view field, const std::string& value,
                       std::size_t max_characters, bool multiline) {
  const std::optional<std::size_t> characters = Utf8Characters(value);
  if (!characters.has_value()) {
    return Invalid(field, "not valid UTF-8");
  }
  if (*characters > max_characters) {
    return Invalid(field, absl::StrCat("longer than ", max_characters, " characters"));
  }
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    const bool line_break = c == '\n' || c == '\r' || c == '\t';
    if ((byte < 0x20 || byte == 0x7f) && !(multiline && line_break)) {
      return Invalid(field, "contains a control character");
    }
  }
  return absl::OkStatus();
}

bool IsBlank(const std::string& value) {
  return std::all_of(value.begin(), value.end(),
                     [](char c) { return absl::ascii_isspace(static_cast<unsigned char>(c)); });
}

// A present text field must be used by the kind, a required one present.
absl::Status CheckUse(absl::string_view field, Use use, bool present, absl::string_view kind) {
  if (use == Use::kNo && present) {
    return Invalid(field, absl::StrCat("not used for ", kind, " (leave it empty)"));
  }
  if (use == Use::kRequired && !present) {
    return Invalid(field, absl::StrCat("required for ", kind));
  }
  return absl::OkStatus();
}

std::string LocalDateText(rules::LocalDate date) {
  return absl::StrCat(static_cast<int>(date.year()), "-",
                      absl::Dec(static_cast<unsigned>(date.month()), absl::kZeroPad2), "-",
                      absl::Dec(static_cast<unsigned>(date.day()), absl::kZeroPad2));
}

facts::Timestamp ToTimestamp(absl::Time time) {
  return facts::Timestamp(std::chrono::seconds(absl::ToUnixSeconds(time)));
}

absl::Status CheckDate(OrgRecordKind kind, const std::string& date, const rules::Policy& policy,
                       absl::Time now) {
  const std::optional<rules::LocalDate> day = rules::ParseOrgDate(date);
  if (!day.has_value()) {
    return Invalid("date", "not a calendar date written YYYY-MM-DD (e.g. 2026-04-01)");
  }
  const rules::LocalDate today = rules::OrgToday(policy, ToTimestamp(now));
  const std::string zone = policy.business_hours.time_zone;
  if (kind == OrgRecordKind::kTarget) {
    if (std::chrono::sys_days{*day} < std::chrono::sys_days{today}) {
      return Invalid("date", absl::StrCat("a target date must be today (", LocalDateText(today),
                                          ", ", zone, ") or later"));
    }
  } else if (std::chrono::sys_days{*day} > std::chrono::sys_days{today}) {
    return Invalid("date", absl::StrCat("lies after today (", LocalDateText(today), ", ", zone,
                                        "): record what has happened"));
  }
  return absl::OkStatus();
}

// CONFIRMATION and TARGET name a checklist item; MDS_SDS names a system or vendor.
absl::Status CheckItem(OrgRecordKind kind, const std::string& item) {
  if (kind == OrgRecordKind::kMdsSds) {
    if (absl::Status status = CheckText("item", item, kMaxOrgNameCharacters, false); !status.ok()) {
      return status;
    }
    if (IsBlank(item)) {
      return Invalid("item", "required for mds_sds: the system or vendor");
    }
    return absl::OkStatus();
  }
  if (absl::Status status = CheckText("item", item, kMaxChecklistKeyCharacters, false);
      !status.ok()) {
    return status;
  }
  const rules::ChecklistItemDefinition* definition = rules::FindChecklistItem(item);
  if (definition == nullptr) {
    return Invalid("item", "not a checklist item key (e.g. 2-6; see the checklist report)");
  }
  if (kind == OrgRecordKind::kConfirmation && !definition->accepts_confirmation) {
    return Invalid("item", absl::StrCat("checklist item ", item,
                                        " is answered from the evidence mamori collects and "
                                        "takes no confirmation"));
  }
  return absl::OkStatus();
}

absl::StatusOr<OrgRecordKind> Validate(const v1::OrgRecord& record, const rules::Policy& policy,
                                       absl::Time now) {
  const std::optional<OrgRecordKind> kind = FromProtoKind(record.kind());
  if (!kind.has_value()) {
    return Invalid("kind",
                   "required: clinic, security_manager, contact_chart, mds_sds, backup, "
                   "restore_test, bcp, drill, confirmation or target");
  }
  const std::string kind_name(rules::OrgRecordKindName(*kind));
  const KindFields fields = FieldsOf(*kind);
  for (const absl::Status& status : {
           CheckUse("item", fields.item, !record.item().empty(), kind_name),
           CheckUse("date", fields.date, !record.date().empty(), kind_name),
           CheckUse("name", fields.name, !record.name().empty(), kind_name),
           CheckUse("method", fields.method, !record.method().empty(), kind_name),
           CheckUse("offline_copy", fields.offline_copy, record.has_offline_copy(), kind_name),
           CheckUse("answer", fields.answer, record.has_answer(), kind_name),
       }) {
    if (!status.ok()) {
      return status;
    }
  }
  if (!record.item().empty()) {
    if (absl::Status status = CheckItem(*kind, record.item()); !status.ok()) {
      return status;
    }
  }
  if (!record.date().empty()) {
    if (absl::Status status = CheckDate(*kind, record.date(), policy, now); !status.ok()) {
      return status;
    }
  }
  // Single-line texts: a name or method of only spaces says nothing.
  const auto check_line = [](absl::string_view field, const std::string& value,
                             int max_characters) -> absl::Status {
    if (absl::Status status =
            CheckText(field, value, static_cast<std::size_t>(max_characters), false);
        !status.ok()) {
      return status;
    }
    if (!value.empty() && IsBlank(value)) {
      return Invalid(field, "only spaces");
    }
    return absl::OkStatus();
  };
  if (absl::Status status = check_line("name", record.name(), kMaxOrgNameCharacters);
      !status.ok()) {
    return status;
  }
  if (absl::Status status = check_line("method", record.method(), kMaxOrgMethodCharacters);
      !status.ok()) {
    return status;
  }
  if (absl::Status status = CheckText("notes", record.notes(),
                                      static_cast<std::size_t>(kMaxOrgNotesCharacters), true);
      !status.ok()) {
    return status;
  }
  return *kind;
}

// ---- Rows -------------------------------------------------------------------------------------

// Every read of the table selects these columns, in this order; `current` is whether the row is
// the newest of its kind and item.
constexpr absl::string_view kColumns =
    "r.record_id, r.kind, r.item, r.date, r.name, r.method, r.offline_copy, r.answer, r.notes, "
    "r.recorded_by, r.recorded_at, r.record_id = (SELECT MAX(n.record_id) FROM org_records AS n "
    "WHERE n.kind = r.kind AND n.item = r.item)";

SqlParam OptionalBool(bool has, bool value) {
  if (!has) {
    return SqlParam(nullptr);
  }
  return SqlParam(static_cast<std::int64_t>(value ? 1 : 0));
}

absl::StatusOr<v1::OrgRecord> ReadRecord(const Statement& row) {
  v1::OrgRecord record;
  record.set_record_id(row.ColumnInt64(0));
  const std::string kind_text = row.ColumnText(1);
  const std::optional<OrgRecordKind> kind = rules::ParseOrgRecordKind(kind_text);
  if (!kind.has_value()) {
    return absl::DataLossError(
        absl::StrCat("org record ", record.record_id(), " has an unknown kind '", kind_text, "'"));
  }
  record.set_kind(ToProtoKind(*kind));
  record.set_item(row.ColumnText(2));
  record.set_date(row.ColumnText(3));
  record.set_name(row.ColumnText(4));
  record.set_method(row.ColumnText(5));
  if (!row.ColumnIsNull(6)) {
    record.set_offline_copy(row.ColumnInt64(6) != 0);
  }
  if (!row.ColumnIsNull(7)) {
    record.set_answer(row.ColumnInt64(7) != 0);
  }
  record.set_notes(row.ColumnText(8));
  record.set_recorded_by(row.ColumnText(9));
  absl::StatusOr<absl::Time> recorded_at = ParseStoredTime(row.ColumnText(10));
  if (!recorded_at.ok()) {
    return recorded_at.status();
  }
  *record.mutable_recorded_at() = codec::ToProtoTimestamp(*recorded_at);
  record.set_current(row.ColumnInt64(11) != 0);
  return record;
}

// Rows in report order: by kind (the enum's order), item, then newest first.
absl::StatusOr<std::vector<v1::OrgRecord>> ReadRecords(Database& db, bool include_history) {
  const std::string sql = absl::StrCat(
      "SELECT ", kColumns, " FROM org_records AS r",
      include_history ? ""
                      : " WHERE r.record_id = (SELECT MAX(n.record_id) FROM org_records AS n "
                        "WHERE n.kind = r.kind AND n.item = r.item)",
      " ORDER BY r.record_id DESC LIMIT ?1");
  absl::StatusOr<Statement> query = db.Query(sql, {std::int64_t{kMaxListedRecords}});
  if (!query.ok()) {
    return query.status();
  }
  std::vector<v1::OrgRecord> records;
  absl::Status status = query->ForEachRow([&](const Statement& row) -> absl::Status {
    absl::StatusOr<v1::OrgRecord> record = ReadRecord(row);
    if (!record.ok()) {
      return record.status();
    }
    records.push_back(*std::move(record));
    return absl::OkStatus();
  });
  if (!status.ok()) {
    return status;
  }
  std::stable_sort(records.begin(), records.end(),
                   [](const v1::OrgRecord& a, const v1::OrgRecord& b) {
                     if (a.kind() != b.kind()) {
                       return a.kind() < b.kind();
                     }
                     return a.item() < b.item();
                   });
  return records;
}

rules::OrgRecord ToRules(const v1::OrgRecord& record) {
  rules::OrgRecord out;
  out.kind = FromProtoKind(record.kind()).value_or(OrgRecordKind::kClinic);
  out.item = record.item();
  out.date = record.date();
  out.name = record.name();
  out.method = record.method();
  if (record.has_offline_copy()) {
    out.offline_copy = record.offline_copy();
  }
  if (record.has_answer()) {
    out.answer = record.answer();
  }
  out.notes = record.notes();
  return out;
}

rules::OrgRegister ToRegister(const std::vector<v1::OrgRecord>& records) {
  rules::OrgRegister evidence;
  for (const v1::OrgRecord& record : records) {
    if (record.current()) {
      evidence.current.push_back(ToRules(record));
    }
  }
  return evidence;
}

std::string Str(std::string_view text) { return std::string(text); }

// The clinic's MAM-ORG findings as the admin API shows them: about the clinic, so no host.
std::vector<v1::Finding> OrgFindings(const rules::OrgRegister& evidence,
                                     const rules::Policy& policy, absl::Time now) {
  std::vector<v1::Finding> findings;
  for (const rules::Finding& finding :
       rules::EvaluateOrgRules(evidence, policy, ToTimestamp(now))) {
    v1::Finding& out = findings.emplace_back();
    out.set_rule_id(Str(finding.rule_id));
    out.set_area(Str(finding.area));
    out.set_title_ja(Str(finding.title.ja));
    out.set_title_en(Str(finding.title.en));
    out.set_status(codec::FindingStatusFromName(rules::StatusName(finding.status))
                       .value_or(v1::FINDING_STATUS_UNKNOWN));
    out.set_evidence(finding.evidence);
    out.set_remediation_ja(Str(finding.remediation.ja));
    out.set_remediation_en(Str(finding.remediation.en));
    for (const rules::MhlwReference& reference : finding.mhlw) {
      out.add_mhlw_keys(Str(reference.key));
    }
    *out.mutable_evaluated_at() = codec::ToProtoTimestamp(now);
  }
  return findings;
}

}  // namespace

absl::StatusOr<OrgRegisterStore> OrgRegisterStore::Open(const std::filesystem::path& path) {
  absl::StatusOr<Database> db =
      Database::Open(path, Database::OpenMode::kExistingOnly, CollectorSchema());
  if (!db.ok()) {
    return db.status();
  }
  return OrgRegisterStore(*std::move(db));
}

absl::StatusOr<v1::RecordOrgEvidenceResponse> OrgRegisterStore::Record(
    const v1::RecordOrgEvidenceRequest& request, absl::string_view actor,
    const rules::Policy& policy, absl::Time now) {
  const v1::OrgRecord& record = request.record();
  absl::StatusOr<OrgRecordKind> kind = Validate(record, policy, now);
  if (!kind.ok()) {
    return kind.status();
  }
  std::int64_t record_id = 0;
  {
    absl::StatusOr<Statement> insert = db_.Query(
        "INSERT INTO org_records (kind, item, date, name, method, offline_copy, answer, notes, "
        "recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
        "RETURNING record_id",
        {std::string(rules::OrgRecordKindName(*kind)), record.item(), record.date(), record.name(),
         record.method(), OptionalBool(record.has_offline_copy(), record.offline_copy()),
         OptionalBool(record.has_answer(), record.answer()), record.notes(), actor,
         FormatStoredTime(now)});
    if (!insert.ok()) {
      return insert.status();
    }
    absl::StatusOr<bool> row = insert->Step();
    if (!row.ok()) {
      return row.status();
    }
    if (!*row) {
      return absl::InternalError("the org record insert returned no id");
    }
    record_id = insert->ColumnInt64(0);
    if (absl::StatusOr<bool> done = insert->Step(); !done.ok()) {
      return done.status();
    }
  }

  v1::RecordOrgEvidenceResponse response;
  {
    absl::StatusOr<Statement> stored = db_.Query(
        absl::StrCat("SELECT ", kColumns, " FROM org_records AS r WHERE r.record_id = ?1"),
        {record_id});
    if (!stored.ok()) {
      return stored.status();
    }
    absl::StatusOr<bool> row = stored->Step();
    if (!row.ok()) {
      return row.status();
    }
    if (!*row) {
      return absl::InternalError(absl::StrCat("org record ", record_id, " vanished"));
    }
    absl::StatusOr<v1::OrgRecord> read = ReadRecord(*stored);
    if (!read.ok()) {
      return read.status();
    }
    *response.mutable_record() = *std::move(read);
  }
  absl::StatusOr<rules::OrgRegister> evidence = Current();
  if (!evidence.ok()) {
    return evidence.status();
  }
  for (v1::Finding& finding : OrgFindings(*evidence, policy, now)) {
    *response.add_findings() = std::move(finding);
  }
  return response;
}

absl::StatusOr<v1::ListOrgEvidenceResponse> OrgRegisterStore::List(
    const v1::ListOrgEvidenceRequest& request, const rules::Policy& policy, absl::Time now) {
  absl::StatusOr<std::vector<v1::OrgRecord>> records = ReadRecords(db_, request.include_history());
  if (!records.ok()) {
    return records.status();
  }
  v1::ListOrgEvidenceResponse response;
  for (v1::Finding& finding : OrgFindings(ToRegister(*records), policy, now)) {
    *response.add_findings() = std::move(finding);
  }
  for (v1::OrgRecord& record : *records) {
    *response.add_records() = std::move(record);
  }
  return response;
}

absl::StatusOr<rules::OrgRegister> OrgRegisterStore::Current() {
  absl::StatusOr<std::vector<v1::OrgRecord>> records = ReadRecords(db_, false);
  if (!records.ok()) {
    return records.status();
  }
  return ToRegister(*records);
}

}  // namespace mamori::collector
