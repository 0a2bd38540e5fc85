// The CSV report for Japanese Excel: UTF-8 with a byte order mark, CRLF after every record, RFC
// 4180 quoting, and a leading apostrophe on every cell a spreadsheet could run as a formula
// (csv_cell.h, the same rules as mamorictl's CSV).
//
// Layout. A kind with one table (accounts, findings) is its header row and its rows. A kind with
// several tables (checklist: items and the register; ledger: machines and software; visit: the
// cover, the summary's numbers and every table) is one sheet of sections: each section is a title
// row (one cell), its header row, its rows, then an empty row. Headers are in the report's
// language. A cell holding several values (evidence lines, host lists) keeps them on separate
// lines inside the quoted cell (CRLF), which Excel shows as line breaks within the cell; every
// value is also in its own column where it has one.
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/substitute.h"
#include "collector/report/csv_cell.h"
#include "collector/report/report_render.h"
#include "collector/report/report_text.h"

namespace mamori::collector {
namespace {

namespace rt = report_text;
using rt::Bilingual;
using rt::Lang;

constexpr absl::string_view kByteOrderMark = "\xEF\xBB\xBF";

// One CSV field: the formula guard on the text as the model has it, then hidden characters
// replaced, line breaks written as CRLF, and RFC 4180 quoting.
std::string Field(absl::string_view cell) {
  std::string field = csv::StartsFormula(std::string_view(cell.data(), cell.size())) ? "'" : "";
  field += absl::StrReplaceAll(rt::CleanText(cell), {{"\n", "\r\n"}});
  return csv::QuoteField(field);
}

std::string Lines(const google::protobuf::RepeatedPtrField<std::string>& values) {
  return absl::StrJoin(values, "\n");
}

struct CsvTable {
  Bilingual title;
  std::vector<Bilingual> header;
  std::vector<std::vector<std::string>> rows;
};

class CsvReport {
 public:
  CsvReport(const mamori::v1::Report& report, Lang lang) : report_(report), lang_(lang) {}

  std::string Render() {
    std::vector<CsvTable> tables;
    switch (report_.kind()) {
      case mamori::v1::REPORT_KIND_CHECKLIST:
        tables = {Checklist(), Register()};
        break;
      case mamori::v1::REPORT_KIND_LEDGER:
        tables = {Ledger(), Software()};
        break;
      case mamori::v1::REPORT_KIND_ACCOUNTS:
        tables = {Accounts()};
        break;
      case mamori::v1::REPORT_KIND_FINDINGS:
        tables = {Findings()};
        break;
      default:
        // Visit, and a kind this build does not know: everything.
        tables = {Cover(),        Numbers(),  Checklist(), Register(), Findings(),
                  IdleEpisodes(), Accounts(), Ledger(),    Software()};
        break;
    }
    std::string out(kByteOrderMark);
    const bool sections = tables.size() > 1;
    for (const CsvTable& table : tables) {
      if (sections) {
        Record(out, {std::string(L(table.title))});
      }
      std::vector<std::string> header;
      header.reserve(table.header.size());
      for (const Bilingual& column : table.header) {
        header.emplace_back(L(column));
      }
      Record(out, header);
      for (const std::vector<std::string>& row : table.rows) {
        Record(out, row);
      }
      if (sections) {
        out += "\r\n";
      }
    }
    return out;
  }

 private:
  absl::string_view L(const Bilingual& text) const { return rt::T(text, lang_); }
  std::string S(const Bilingual& text) const { return std::string(L(text)); }

  static void Record(std::string& out, const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) {
        out += ',';
      }
      out += Field(cells[i]);
    }
    out += "\r\n";
  }

  std::string YesNo(bool value) const { return S(value ? rt::kYes : rt::kNo); }
  std::string Tristate(bool present, bool value) const {
    return rt::TristateWord(present, value, lang_).text;
  }

  CsvTable Cover() const {
    const mamori::v1::ReportCover& cover = report_.cover();
    CsvTable table{rt::kSectionCover, {rt::kColItem, rt::kColValue}, {}};
    const auto field = [&](const Bilingual& label, std::string value) {
      table.rows.push_back({S(label), std::move(value)});
    };
    field(rt::kClinic,
          cover.clinic_name().empty() ? S(rt::kClinicNotRecorded) : cover.clinic_name());
    field(rt::kCollector, cover.collector_name());
    field(rt::kPeriod,
          cover.has_period_from()
              ? absl::Substitute(L(rt::kPeriodRange), rt::ClinicTime(cover.period_from()),
                                 rt::ClinicTime(cover.period_to()))
              : absl::Substitute(L(rt::kPeriodNoPrevious), rt::ClinicTime(cover.period_to())));
    field(rt::kGeneratedAt, rt::ClinicTime(cover.generated_at()));
    field(rt::kGeneratedBy, cover.generated_by());
    field(rt::kColRole, rt::PersonRoleText(cover.generated_by_role(), lang_));
    field(rt::kChecklistVersion, cover.checklist_version());
    field(rt::kFiscalYear, cover.fiscal_year());
    field(rt::kTimeZone, cover.time_zone());
    field(rt::kMamoriVersion, cover.mamori_version());
    return table;
  }

  CsvTable Numbers() const {
    const mamori::v1::ReportSummary& s = report_.summary();
    CsvTable table{rt::kSectionSummary, {rt::kColItem, rt::kColValue}, {}};
    for (const auto& [label, value] : std::initializer_list<std::pair<Bilingual, int>>{
             {rt::kNumHosts, s.hosts()},
             {rt::kNumServers, s.servers()},
             {rt::kNumWorkstations, s.workstations()},
             {rt::kNumStale, s.hosts_stale()},
             {rt::kNumFail, s.findings_fail()},
             {rt::kNumWarn, s.findings_warn()},
             {rt::kNumUnknown, s.findings_unknown()},
             {rt::kNumNew, s.findings_new()},
             {rt::kNumFixed, s.findings_fixed()},
             {rt::kNumAccountsDue, s.accounts_due()},
             {rt::kNumChecklistYes, s.checklist_yes()},
             {rt::kNumChecklistNo, s.checklist_no()},
             {rt::kNumChecklistAction, s.checklist_action_needed()},
             {rt::kNumIdle, s.idle_episodes()}}) {
      table.rows.push_back({S(label), absl::StrCat(value)});
    }
    return table;
  }

  std::string EquipmentCell(const mamori::v1::ChecklistItem& item,
                            absl::string_view equipment) const {
    for (const mamori::v1::ChecklistEquipment& column : item.equipment()) {
      if (column.equipment() != equipment) {
        continue;
      }
      std::vector<std::string> lines = {rt::AnswerWord(column.answer(), lang_).text};
      if (column.hosts() > 0) {
        lines.push_back(
            absl::Substitute(L(rt::kEquipmentCount), column.hosts(), column.hosts_ok()));
      }
      if (!column.gap_hosts().empty()) {
        lines.push_back(absl::Substitute(L(rt::kEquipmentGaps),
                                         absl::StrJoin(column.gap_hosts(), L(rt::kListSeparator))));
      }
      if (!column.unknown_hosts().empty()) {
        lines.push_back(
            absl::Substitute(L(rt::kEquipmentUnknown),
                             absl::StrJoin(column.unknown_hosts(), L(rt::kListSeparator))));
      }
      return absl::StrJoin(lines, "\n");
    }
    return "";
  }

  CsvTable Checklist() const {
    CsvTable table{
        rt::kSectionChecklist,
        {rt::kColKey, rt::kColSection, rt::kColChecklistItem, rt::kColAnswer, rt::kColCheckedOn,
         rt::kColEvidence, rt::kColServer, rt::kColWorkstation, rt::kColNetwork, rt::kColTargetDate,
         rt::kColTargetIsDefault, rt::kColRemediation, rt::kColRules},
        {}};
    for (const mamori::v1::ChecklistItem& item : report_.checklist()) {
      const bool en = lang_ == Lang::kEn;
      const bool gap = item.answer() == mamori::v1::CHECKLIST_ANSWER_NO ||
                       item.answer() == mamori::v1::CHECKLIST_ANSWER_ACTION_NEEDED;
      table.rows.push_back(
          {item.key(), item.section(),
           en && !item.text_en().empty() ? item.text_en() : item.text_ja(),
           rt::AnswerWord(item.answer(), lang_).text, item.checked_on(),
           Lines(en && !item.evidence_en().empty() ? item.evidence_en() : item.evidence_ja()),
           EquipmentCell(item, "server"), EquipmentCell(item, "workstation"),
           EquipmentCell(item, "network"), item.target_date(),
           item.target_is_default() && !item.target_date().empty() ? S(rt::kYes) : "",
           gap ? (en && !item.remediation_en().empty() ? item.remediation_en()
                                                       : item.remediation_ja())
               : "",
           absl::StrJoin(item.rule_ids(), " ")});
    }
    return table;
  }

  CsvTable Register() const {
    CsvTable table{rt::kSectionRegister,
                   {rt::kColKind, rt::kColRecordItem, rt::kColDate, rt::kColName, rt::kColMethod,
                    rt::kColOfflineCopy, rt::kColAnswer, rt::kColNotes, rt::kColRecordedBy,
                    rt::kColRecordedAt},
                   {}};
    for (const mamori::v1::OrgRecord& record : report_.org_records()) {
      table.rows.push_back({rt::OrgRecordKindText(record.kind(), lang_), record.item(),
                            record.date(), record.name(), record.method(),
                            record.has_offline_copy() ? YesNo(record.offline_copy()) : "",
                            record.has_answer() ? YesNo(record.answer()) : "", record.notes(),
                            record.recorded_by(), rt::ClinicTime(record.recorded_at())});
    }
    return table;
  }

  CsvTable Findings() const {
    CsvTable table{rt::kSectionFindings,
                   {rt::kColTrend, rt::kColStatus, rt::kColPreviousStatus, rt::kColHost,
                    rt::kColRule, rt::kColArea, rt::kColChecklistKeys, rt::kColTitle,
                    rt::kColEvidence, rt::kColRemediation, rt::kColSince},
                   {}};
    for (const mamori::v1::ReportFinding& row : report_.findings()) {
      const mamori::v1::Finding& finding = row.finding();
      table.rows.push_back(
          {rt::TrendWord(row.trend(), lang_).text, rt::StatusWord(finding.status(), lang_).text,
           rt::StatusWord(row.previous_status(), lang_).text, rt::FindingHost(finding, lang_),
           finding.rule_id(), finding.area(), absl::StrJoin(finding.mhlw_keys(), " "),
           std::string(rt::TitleText(finding, lang_)), finding.evidence(),
           std::string(rt::RemediationText(finding, lang_)), rt::ClinicTime(finding.since())});
    }
    return table;
  }

  CsvTable IdleEpisodes() const {
    CsvTable table{rt::kSectionIdle,
                   {rt::kColHost, rt::kColFrom, rt::kColTo, rt::kColMaxIdle, rt::kColIdleSince,
                    rt::kColLocked, rt::kColOpen},
                   {}};
    for (const mamori::v1::IdleEpisode& episode : report_.idle_episodes()) {
      table.rows.push_back(
          {episode.hostname(), rt::ClinicTime(episode.from()), rt::ClinicTime(episode.to()),
           rt::DurationText(episode.max_idle(), lang_), rt::ClinicTime(episode.idle_since()),
           Tristate(episode.has_locked(), episode.locked()), episode.open() ? S(rt::kYes) : ""});
    }
    return table;
  }

  CsvTable Accounts() const {
    CsvTable table{rt::kSectionAccounts,
                   {rt::kColHost, rt::kColAccount, rt::kColFullName, rt::kColEnabled, rt::kColAdmin,
                    rt::kColLastLogon, rt::kColPasswordAge, rt::kColFlags, rt::kColRules,
                    rt::kColRemoved, rt::kColDecision, rt::kColReviewer, rt::kColReviewedAt,
                    rt::kColReviewNote, rt::kColReviewClosed, rt::kColDue, rt::kColDueReason},
                   {}};
    for (const mamori::v1::AccountEntry& account : report_.accounts()) {
      std::vector<std::string> flags;
      for (const std::string& flag : account.flags()) {
        flags.push_back(rt::FlagText(flag, lang_));
      }
      if (account.system_account()) {
        flags.push_back(S(rt::kSystemAccount));
      }
      const mamori::v1::AccountReview& review = account.review();
      std::string closed;
      if (review.has_closed_at()) {
        closed = absl::StrCat(rt::ClinicTime(review.closed_at()), " ", review.closed_reason());
      }
      table.rows.push_back(
          {account.hostname(), account.name(), account.full_name(),
           Tristate(account.has_enabled(), account.enabled()),
           Tristate(account.has_admin(), account.admin()), rt::ClinicTime(account.last_logon()),
           account.has_password_age_days() ? absl::StrCat(account.password_age_days()) : "",
           absl::StrJoin(flags, L(rt::kListSeparator)), absl::StrJoin(account.rule_ids(), " "),
           rt::ClinicTime(account.removed_at()), rt::DecisionText(review.decision(), lang_),
           review.reviewer(), rt::ClinicTime(review.reviewed_at()), review.note(), closed,
           account.due() ? S(rt::kYes) : "", account.due_reason()});
    }
    return table;
  }

  CsvTable Ledger() const {
    CsvTable table{
        rt::kSectionLedger,
        {rt::kColHost,         rt::kColRole,      rt::kColLocation, rt::kColPurpose,
         rt::kColPerson,       rt::kColOs,        rt::kColOsBuild,  rt::kColEndOfSupport,
         rt::kColMaker,        rt::kColModel,     rt::kColSerial,   rt::kColAddresses,
         rt::kColMacs,         rt::kColCpu,       rt::kColMemory,   rt::kColSoftwareCount,
         rt::kColAgentVersion, rt::kColFirstSeen, rt::kColLastSeen, rt::kColContact,
         rt::kNumFail,         rt::kNumWarn},
        {}};
    for (const mamori::v1::LedgerEntry& entry : report_.ledger()) {
      const std::string os = entry.os_pretty_name().empty()
                                 ? absl::StrCat(entry.os_name(), " ", entry.os_version())
                                 : entry.os_pretty_name();
      table.rows.push_back({entry.hostname(),
                            rt::RoleText(entry.role(), lang_),
                            entry.annotations().location(),
                            entry.annotations().purpose(),
                            entry.annotations().person_in_charge(),
                            os,
                            entry.os_build(),
                            entry.end_of_support(),
                            entry.manufacturer(),
                            entry.model(),
                            entry.serial_number(),
                            Lines(entry.addresses()),
                            Lines(entry.mac_addresses()),
                            entry.cpu_model(),
                            rt::MemoryText(entry.memory_bytes()),
                            absl::StrCat(entry.software_count()),
                            entry.agent_version(),
                            rt::ClinicTime(entry.first_seen()),
                            rt::ClinicTime(entry.last_seen()),
                            rt::ContactWord(entry.contact_state(), lang_).text,
                            absl::StrCat(entry.failing()),
                            absl::StrCat(entry.warning())});
    }
    return table;
  }

  CsvTable Software() const {
    CsvTable table{rt::kSectionSoftware,
                   {rt::kColSoftwareName, rt::kColVersion, rt::kColPublisher, rt::kColHostCount},
                   {}};
    for (const mamori::v1::SoftwareVersion& version : report_.software()) {
      table.rows.push_back({version.name(), version.version(), version.publisher(),
                            absl::StrCat(version.host_count())});
    }
    return table;
  }

  const mamori::v1::Report& report_;
  const Lang lang_;
};

}  // namespace

std::string RenderReportCsv(const mamori::v1::Report& report, mamori::v1::ReportLanguage language) {
  return CsvReport(report, rt::LangOf(language)).Render();
}

}  // namespace mamori::collector
