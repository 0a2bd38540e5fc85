// The HTML report: one self-contained A4 document for clinic managers, vendors and inspectors.
// Every text from the model goes through Text() (CleanText, then the five HTML escapes) and only
// into element content: attributes and the style sheet hold fixed strings only.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/substitute.h"
#include "collector/report/report_render.h"
#include "collector/report/report_text.h"

namespace mamori::collector {
namespace {

namespace rt = report_text;
using rt::Bilingual;
using rt::Lang;
using rt::Tone;
using rt::Word;

constexpr int kMostUrgentShown = 5;

// Fixed by us, never from the model. A4 portrait; each section on a new page; thead repeated on
// every printed page; rows never split. Colours print (print-color-adjust) but every badge also
// carries its word and a mark, for black-and-white printers.
constexpr absl::string_view kStyle = R"css(
@page { size: A4; margin: 15mm 12mm; }
html { font-family: "IPAexGothic", "IPAPGothic", "IPAGothic", "Noto Sans CJK JP", "Yu Gothic", "Meiryo", sans-serif;
  font-size: 10.5pt; color: #111; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; line-height: 1.5; }
h1 { font-size: 18pt; margin: 0 0 2mm; }
h2 { font-size: 14pt; margin: 0 0 3mm; padding-bottom: 1mm; border-bottom: 1.5pt solid #333; }
h3 { font-size: 12pt; margin: 6mm 0 2mm; }
p { margin: 0 0 3mm; }
.subtitle { font-size: 13pt; margin: 0 0 8mm; }
.clinic { font-size: 16pt; font-weight: bold; margin: 0 0 6mm; }
.page { break-before: page; }
.cover-page { min-height: 240mm; }
table { width: 100%; border-collapse: collapse; font-size: 9pt; margin: 0 0 4mm; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 0.5pt solid #777; padding: 1mm 1.5mm; vertical-align: top; text-align: left;
  overflow-wrap: break-word; }
td.nw { white-space: nowrap; }
table.checklist { table-layout: fixed; }
table.checklist th:nth-child(1) { width: 7%; }
table.checklist th:nth-child(2) { width: 27%; }
table.checklist th:nth-child(3) { width: 10%; }
table.checklist th:nth-child(4) { width: 10%; }
table.checklist th:nth-child(5) { width: 11%; }
table.checklist th:nth-child(6) { width: 13%; }
table.checklist th:nth-child(7) { width: 8%; }
table.checklist th:nth-child(8) { width: 14%; }
table.ledger { table-layout: fixed; }
table.ledger th:nth-child(1) { width: 14%; }
table.ledger th:nth-child(2) { width: 14%; }
table.ledger th:nth-child(3) { width: 15%; }
table.ledger th:nth-child(4) { width: 12%; }
table.ledger th:nth-child(5) { width: 14%; }
table.ledger th:nth-child(6) { width: 10%; }
table.ledger th:nth-child(7) { width: 8%; }
table.ledger th:nth-child(8) { width: 13%; }
@media screen { body { max-width: 190mm; margin: 10mm auto; } }
th { background: #e8e8e8; font-weight: bold; }
td { white-space: pre-line; }
table.fields { width: auto; min-width: 60%; font-size: 10.5pt; }
table.fields th { width: 40mm; }
.sub { display: block; color: #444; font-size: 8.5pt; }
.strong { font-weight: bold; }
.none { color: #555; }
.badge { display: inline-block; padding: 0 1.5mm; border: 0.75pt solid; border-radius: 1mm;
  font-weight: bold; white-space: nowrap; }
.bad { background: #fde0e0; color: #8f0000; border-color: #c00000; }
.warn { background: #fff0c8; color: #6b4500; border-color: #c08000; }
.ok { background: #dff3df; color: #0b5a0b; border-color: #2e8b2e; }
.muted { background: #eeeeee; color: #444; border-color: #999; }
ul.lights { list-style: none; padding: 0; margin: 0 0 5mm; font-size: 11pt; }
ul.lights li { margin: 0 0 2mm; }
ul.lights .badge { min-width: 16mm; text-align: center; margin-right: 2mm; }
ul.urgent { margin: 0 0 4mm; padding-left: 6mm; }
.note { color: #333; font-size: 9.5pt; }
)css";

// The five characters that matter in element content and attribute values.
std::string Escape(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Any text, ours or the model's: cleaned of hidden characters and escaped.
std::string Text(absl::string_view text) { return Escape(rt::CleanText(text)); }

absl::string_view ToneClass(Tone tone) {
  switch (tone) {
    case Tone::kBad:
      return "bad";
    case Tone::kWarn:
      return "warn";
    case Tone::kOk:
      return "ok";
    case Tone::kMuted:
      return "muted";
    default:
      return "";
  }
}

// A mark beside the word so the meaning survives black-and-white printing.
absl::string_view ToneMark(Tone tone) {
  switch (tone) {
    case Tone::kBad:
      return "\u00D7 ";  // ×
    case Tone::kWarn:
      return "\u25B2 ";  // ▲
    case Tone::kOk:
      return "\u25CB ";  // ○
    default:
      return "";
  }
}

std::string Badge(const Word& word) {
  if (word.text.empty()) {
    return "";
  }
  if (word.tone == Tone::kNone) {
    return Text(word.text);
  }
  return absl::StrCat("<span class=\"badge ", ToneClass(word.tone), "\">", ToneMark(word.tone),
                      Text(word.text), "</span>");
}

std::string Sub(absl::string_view text) {
  if (text.empty()) {
    return "";
  }
  return absl::StrCat("<span class=\"sub\">", Text(text), "</span>");
}

std::string Strong(absl::string_view text) {
  return absl::StrCat("<span class=\"strong\">", Text(text), "</span>");
}

std::string Join(const google::protobuf::RepeatedPtrField<std::string>& values,
                 absl::string_view separator) {
  return absl::StrJoin(values, separator);
}

class HtmlReport {
 public:
  HtmlReport(const mamori::v1::Report& report, Lang lang) : report_(report), lang_(lang) {}

  std::string Render() {
    const mamori::v1::ReportKind kind = report_.kind();
    const bool visit = kind == mamori::v1::REPORT_KIND_VISIT;
    const bool any = kind == mamori::v1::REPORT_KIND_UNSPECIFIED;
    Open();
    Cover(visit);
    Summary(visit);
    if (visit || kind == mamori::v1::REPORT_KIND_CHECKLIST ||
        (any && report_.checklist_size() + report_.org_records_size() > 0)) {
      ChecklistSection();
    }
    if (visit || kind == mamori::v1::REPORT_KIND_FINDINGS || (any && report_.findings_size() > 0)) {
      FindingsSection();
    }
    if (visit || (any && report_.idle_episodes_size() > 0)) {
      IdleSection();
    }
    if (visit || kind == mamori::v1::REPORT_KIND_ACCOUNTS || (any && report_.accounts_size() > 0)) {
      AccountsSection();
    }
    if (visit || kind == mamori::v1::REPORT_KIND_LEDGER ||
        (any && report_.ledger_size() + report_.software_size() > 0)) {
      LedgerSection();
    }
    out_ += "</body>\n</html>\n";
    return std::move(out_);
  }

 private:
  absl::string_view L(const Bilingual& text) const { return rt::T(text, lang_); }
  std::string LText(const Bilingual& text) const { return Text(L(text)); }

  std::string ClinicName() const {
    return report_.cover().clinic_name().empty() ? std::string(L(rt::kClinicNotRecorded))
                                                 : report_.cover().clinic_name();
  }

  void Open() {
    const Bilingual title = rt::KindTitle(report_.kind());
    absl::StrAppend(&out_, "<!DOCTYPE html>\n<html lang=\"", lang_ == Lang::kEn ? "en" : "ja",
                    "\">\n<head>\n<meta charset=\"utf-8\">\n<title>", LText(title), " - ",
                    Text(ClinicName()), "</title>\n<style>", kStyle, "</style>\n</head>\n<body>\n");
  }

  void Heading2(const Bilingual& text) { absl::StrAppend(&out_, "<h2>", LText(text), "</h2>\n"); }
  void Heading3(const Bilingual& text) { absl::StrAppend(&out_, "<h3>", LText(text), "</h3>\n"); }
  void Paragraph(const Bilingual& text, absl::string_view css_class = "") {
    absl::StrAppend(&out_,
                    css_class.empty() ? "<p>" : absl::StrCat("<p class=\"", css_class, "\">"),
                    LText(text), "</p>\n");
  }
  void Nothing() {
    absl::StrAppend(&out_, "<p class=\"none\">", LText(rt::kNothingToList), "</p>\n");
  }

  // `unbroken`: the columns whose cells never wrap (keys, answers, dates), so that a date is not
  // cut into "2026" / "-04-" / "01" when the table is tight.
  void TableHead(std::initializer_list<Bilingual> columns, std::initializer_list<int> unbroken = {},
                 absl::string_view table_class = "") {
    unbroken_.assign(columns.size(), false);
    for (const int column : unbroken) {
      unbroken_[static_cast<std::size_t>(column)] = true;
    }
    out_ += table_class.empty() ? std::string("<table>")
                                : absl::StrCat("<table class=\"", table_class, "\">");
    out_ += "\n<thead><tr>";
    for (const Bilingual& column : columns) {
      absl::StrAppend(&out_, "<th>", LText(column), "</th>");
    }
    out_ += "</tr></thead>\n<tbody>\n";
  }
  // Cells are already HTML.
  void Row(std::initializer_list<std::string> cells) {
    out_ += "<tr>";
    std::size_t column = 0;
    for (const std::string& cell : cells) {
      const bool unbroken = column < unbroken_.size() && unbroken_[column];
      absl::StrAppend(&out_, unbroken ? "<td class=\"nw\">" : "<td>", cell, "</td>");
      ++column;
    }
    out_ += "</tr>\n";
  }
  void TableEnd() { out_ += "</tbody>\n</table>\n"; }

  void Cover(bool visit) {
    const mamori::v1::ReportCover& cover = report_.cover();
    out_ += visit ? "<section class=\"cover-page\">\n" : "<section>\n";
    absl::StrAppend(&out_, "<h1>", LText(rt::KindTitle(report_.kind())), "</h1>\n");
    if (report_.kind() == mamori::v1::REPORT_KIND_CHECKLIST) {
      absl::StrAppend(&out_, "<p class=\"subtitle\">", LText(rt::kSubtitleChecklist), "</p>\n");
    }
    absl::StrAppend(&out_, "<p class=\"clinic\">", Text(ClinicName()), "</p>\n");
    out_ += "<table class=\"fields\">\n<tbody>\n";
    const auto field = [&](const Bilingual& label, const std::string& value) {
      if (!value.empty()) {
        absl::StrAppend(&out_, "<tr><th>", LText(label), "</th><td>", Text(value), "</td></tr>\n");
      }
    };
    field(rt::kClinic, ClinicName());
    field(rt::kPeriod, PeriodText());
    field(rt::kGeneratedAt, rt::ClinicTime(cover.generated_at()));
    if (!cover.generated_by().empty()) {
      field(rt::kGeneratedBy,
            cover.generated_by_role().empty()
                ? cover.generated_by()
                : absl::Substitute(L(rt::kGeneratedByWithRole), cover.generated_by(),
                                   rt::PersonRoleText(cover.generated_by_role(), lang_)));
    }
    field(rt::kCollector, cover.collector_name());
    field(rt::kChecklistVersion, cover.checklist_version());
    if (!cover.fiscal_year().empty()) {
      field(rt::kFiscalYear, absl::Substitute(L(rt::kFiscalYearValue), cover.fiscal_year()));
    }
    field(rt::kTimeZone, lang_ == Lang::kJa || cover.time_zone().empty()
                             ? std::string(L(rt::kTimeZoneDefault))
                             : cover.time_zone());
    field(rt::kMamoriVersion, cover.mamori_version());
    out_ += "</tbody>\n</table>\n";
    Paragraph(rt::kCoverNote, "note");
    out_ += "</section>\n";
  }

  std::string PeriodText() const {
    const std::string to = rt::ClinicTime(report_.cover().period_to());
    if (report_.cover().has_period_from()) {
      return absl::Substitute(L(rt::kPeriodRange), rt::ClinicTime(report_.cover().period_from()),
                              to);
    }
    return absl::Substitute(L(rt::kPeriodNoPrevious), to);
  }

  struct Light {
    Tone tone;
    std::string sentence;
  };

  void Summary(bool visit) {
    const mamori::v1::ReportSummary& s = report_.summary();
    const mamori::v1::ReportKind kind = report_.kind();
    const bool findings = visit || kind == mamori::v1::REPORT_KIND_FINDINGS;
    const bool checklist = visit || kind == mamori::v1::REPORT_KIND_CHECKLIST;
    const bool ledger = visit || kind == mamori::v1::REPORT_KIND_LEDGER;
    const bool accounts = visit || kind == mamori::v1::REPORT_KIND_ACCOUNTS;
    std::vector<Light> lights;
    if (findings) {
      lights.push_back(s.findings_fail() > 0
                           ? Light{Tone::kBad, absl::Substitute(L(rt::kSumFail), s.findings_fail())}
                           : Light{Tone::kOk, std::string(L(rt::kSumFailNone))});
      if (s.findings_warn() > 0) {
        lights.push_back({Tone::kWarn, absl::Substitute(L(rt::kSumWarn), s.findings_warn())});
      }
      if (s.findings_unknown() > 0) {
        lights.push_back({Tone::kWarn, absl::Substitute(L(rt::kSumUnknown), s.findings_unknown())});
      }
    }
    if (checklist) {
      const int gaps = s.checklist_no() + s.checklist_action_needed();
      lights.push_back(
          gaps > 0 ? Light{Tone::kBad, absl::Substitute(L(rt::kSumChecklistGaps), s.checklist_no(),
                                                        s.checklist_action_needed())}
                   : Light{Tone::kOk, absl::Substitute(L(rt::kSumChecklistOk), s.checklist_yes())});
    }
    if (ledger) {
      lights.push_back(s.hosts_stale() > 0
                           ? Light{Tone::kBad, absl::Substitute(L(rt::kSumStale), s.hosts_stale())}
                           : Light{Tone::kOk, std::string(L(rt::kSumStaleNone))});
    }
    if (accounts) {
      lights.push_back(
          s.accounts_due() > 0
              ? Light{Tone::kWarn, absl::Substitute(L(rt::kSumAccountsDue), s.accounts_due())}
              : Light{Tone::kOk, std::string(L(rt::kSumAccountsOk))});
    }
    if (visit && s.idle_episodes() > 0) {
      lights.push_back({Tone::kWarn, absl::Substitute(L(rt::kSumIdle), s.idle_episodes())});
    }
    if (findings && report_.cover().has_period_from()) {
      lights.push_back({Tone::kMuted, absl::Substitute(L(rt::kSumChanges), s.findings_new(),
                                                       s.findings_fixed())});
    }
    lights.push_back({Tone::kMuted, absl::Substitute(L(rt::kSumHosts), s.hosts(), s.servers(),
                                                     s.workstations())});
    const auto rank = [](Tone tone) {
      switch (tone) {
        case Tone::kBad:
          return 0;
        case Tone::kWarn:
          return 1;
        case Tone::kOk:
          return 2;
        default:
          return 3;
      }
    };
    std::stable_sort(lights.begin(), lights.end(),
                     [&](const Light& a, const Light& b) { return rank(a.tone) < rank(b.tone); });

    out_ += visit ? "<section class=\"page\">\n" : "<section>\n";
    Heading2(rt::kSectionSummary);
    out_ += "<ul class=\"lights\">\n";
    for (const Light& light : lights) {
      const Bilingual& word = light.tone == Tone::kBad    ? rt::kLightBad
                              : light.tone == Tone::kWarn ? rt::kLightWarn
                              : light.tone == Tone::kOk   ? rt::kLightOk
                                                          : rt::kLightInfo;
      absl::StrAppend(&out_, "<li>", Badge(Word{std::string(L(word)), light.tone}), " ",
                      Text(light.sentence), "</li>\n");
    }
    out_ += "</ul>\n";
    MostUrgent(findings, checklist);
    out_ += "</section>\n";
  }

  // The open failing findings, then the checklist's gaps: what to do first, in a few lines.
  void MostUrgent(bool findings, bool checklist) {
    std::vector<std::string> items;
    int more = 0;
    const auto add = [&](std::string item) {
      if (static_cast<int>(items.size()) < kMostUrgentShown) {
        items.push_back(std::move(item));
      } else {
        ++more;
      }
    };
    if (findings) {
      for (const mamori::v1::ReportFinding& row : report_.findings()) {
        if (row.trend() != mamori::v1::FINDING_TREND_FIXED &&
            row.finding().status() == mamori::v1::FINDING_STATUS_FAIL) {
          add(absl::StrCat(Text(rt::FindingHost(row.finding(), lang_)), ": ",
                           Text(rt::TitleText(row.finding(), lang_))));
        }
      }
    }
    if (checklist) {
      for (const mamori::v1::ChecklistItem& item : report_.checklist()) {
        if (item.answer() == mamori::v1::CHECKLIST_ANSWER_NO ||
            item.answer() == mamori::v1::CHECKLIST_ANSWER_ACTION_NEEDED) {
          add(absl::StrCat(L(rt::kSectionChecklist), " ", Text(item.key()), " ",
                           Text(ItemText(item)), ": ",
                           Text(rt::AnswerWord(item.answer(), lang_).text)));
        }
      }
    }
    if (items.empty()) {
      return;
    }
    Heading3(rt::kSumMostUrgent);
    out_ += "<ul class=\"urgent\">\n";
    for (const std::string& item : items) {
      absl::StrAppend(&out_, "<li>", item, "</li>\n");
    }
    if (more > 0) {
      absl::StrAppend(&out_, "<li>", Text(absl::Substitute(L(rt::kMoreItems), more)), "</li>\n");
    }
    out_ += "</ul>\n";
  }

  std::string ItemText(const mamori::v1::ChecklistItem& item) const {
    if (lang_ == Lang::kEn && !item.text_en().empty()) {
      return item.text_en();
    }
    return item.text_ja().empty() ? item.text_en() : item.text_ja();
  }

  void ChecklistSection() {
    out_ += "<section class=\"page\">\n";
    Heading2(rt::kSectionChecklist);
    Paragraph(rt::kIntroChecklist);
    if (!report_.cover().checklist_version().empty()) {
      absl::StrAppend(&out_, "<p class=\"note\">", Text(report_.cover().checklist_version()),
                      "</p>\n");
    }
    if (report_.checklist().empty()) {
      Nothing();
    } else {
      TableHead(
          {rt::kColKey, rt::kColItemAndEvidence, rt::kColAnswer, rt::kColCheckedOn, rt::kColServer,
           rt::kColWorkstation, rt::kColNetwork, rt::kColTargetAndRemediation},
          {0, 2, 3});
      for (const mamori::v1::ChecklistItem& item : report_.checklist()) {
        std::string described = Strong(ItemText(item));
        const auto& evidence = lang_ == Lang::kEn && !item.evidence_en().empty()
                                   ? item.evidence_en()
                                   : item.evidence_ja();
        for (const std::string& line : evidence) {
          absl::StrAppend(&described, Sub(line));
        }
        if (!item.rule_ids().empty()) {
          absl::StrAppend(&described,
                          Sub(absl::Substitute(L(rt::kRulesLine), Join(item.rule_ids(), ", "))));
        }
        Row({Text(item.key()), described, Badge(rt::AnswerWord(item.answer(), lang_)),
             Text(item.checked_on()), EquipmentCell(item, "server"),
             EquipmentCell(item, "workstation"), EquipmentCell(item, "network"), TargetCell(item)});
      }
      TableEnd();
    }
    Heading3(rt::kSectionRegister);
    Paragraph(rt::kIntroRegister);
    if (report_.org_records().empty()) {
      Nothing();
    } else {
      TableHead({rt::kColKind, rt::kColRecordItem, rt::kColDate, rt::kColRecordContent,
                 rt::kColNotes, rt::kColRecorded},
                {2});
      for (const mamori::v1::OrgRecord& record : report_.org_records()) {
        Row({Text(rt::OrgRecordKindText(record.kind(), lang_)), Text(record.item()),
             Text(record.date()), RecordContent(record), Text(record.notes()),
             absl::StrCat(Text(record.recorded_by()), Sub(rt::ClinicTime(record.recorded_at())))});
      }
      TableEnd();
    }
    out_ += "</section>\n";
  }

  std::string EquipmentCell(const mamori::v1::ChecklistItem& item, absl::string_view equipment) {
    for (const mamori::v1::ChecklistEquipment& column : item.equipment()) {
      if (column.equipment() != equipment) {
        continue;
      }
      std::string cell = Badge(rt::AnswerWord(column.answer(), lang_));
      if (column.hosts() > 0) {
        absl::StrAppend(&cell, Sub(absl::Substitute(L(rt::kEquipmentCount), column.hosts(),
                                                    column.hosts_ok())));
      }
      if (!column.gap_hosts().empty()) {
        absl::StrAppend(&cell,
                        Sub(absl::Substitute(L(rt::kEquipmentGaps),
                                             Join(column.gap_hosts(), L(rt::kListSeparator)))));
      }
      if (!column.unknown_hosts().empty()) {
        absl::StrAppend(&cell,
                        Sub(absl::Substitute(L(rt::kEquipmentUnknown),
                                             Join(column.unknown_hosts(), L(rt::kListSeparator)))));
      }
      return cell;
    }
    return "\u2014";
  }

  std::string TargetCell(const mamori::v1::ChecklistItem& item) {
    std::string cell = Text(item.target_date());
    if (!item.target_date().empty() && item.target_is_default()) {
      absl::StrAppend(&cell, Sub(L(rt::kDefaultTarget)));
    }
    if (item.answer() == mamori::v1::CHECKLIST_ANSWER_NO ||
        item.answer() == mamori::v1::CHECKLIST_ANSWER_ACTION_NEEDED) {
      const std::string& remediation = lang_ == Lang::kEn && !item.remediation_en().empty()
                                           ? item.remediation_en()
                                           : item.remediation_ja();
      absl::StrAppend(&cell, Sub(remediation));
    }
    return cell;
  }

  std::string RecordContent(const mamori::v1::OrgRecord& record) {
    std::vector<std::string> parts;
    if (!record.name().empty()) {
      parts.push_back(Text(record.name()));
    }
    if (!record.method().empty()) {
      parts.push_back(Text(record.method()));
    }
    if (record.has_offline_copy()) {
      parts.push_back(absl::StrCat(LText(rt::kColOfflineCopy), ": ",
                                   LText(record.offline_copy() ? rt::kYes : rt::kNo)));
    }
    if (record.has_answer()) {
      parts.push_back(
          absl::StrCat(LText(rt::kColAnswer), ": ",
                       Badge(rt::AnswerWord(record.answer() ? mamori::v1::CHECKLIST_ANSWER_YES
                                                            : mamori::v1::CHECKLIST_ANSWER_NO,
                                            lang_))));
    }
    return absl::StrJoin(parts, "<br>");
  }

  void FindingsSection() {
    out_ += "<section class=\"page\">\n";
    Heading2(rt::kSectionFindings);
    Paragraph(rt::kIntroFindings);
    const bool grouped = std::any_of(report_.findings().begin(), report_.findings().end(),
                                     [](const mamori::v1::ReportFinding& row) {
                                       return row.trend() != mamori::v1::FINDING_TREND_UNSPECIFIED;
                                     });
    if (!grouped) {
      FindingsTable(mamori::v1::FINDING_TREND_UNSPECIFIED);
    } else {
      for (const auto& [trend, heading] :
           {std::pair{mamori::v1::FINDING_TREND_NEW, rt::kGroupNew},
            std::pair{mamori::v1::FINDING_TREND_STILL_OPEN, rt::kGroupStillOpen},
            std::pair{mamori::v1::FINDING_TREND_FIXED, rt::kGroupFixed}}) {
        Heading3(heading);
        FindingsTable(trend);
      }
      // A row without a trend in a compared report: shown, never dropped.
      if (std::any_of(report_.findings().begin(), report_.findings().end(),
                      [](const mamori::v1::ReportFinding& row) {
                        return row.trend() == mamori::v1::FINDING_TREND_UNSPECIFIED;
                      })) {
        Heading3(rt::kOtherFindings);
        FindingsTable(mamori::v1::FINDING_TREND_UNSPECIFIED);
      }
    }
    out_ += "</section>\n";
  }

  void FindingsTable(mamori::v1::FindingTrend trend) {
    bool opened = false;
    for (const mamori::v1::ReportFinding& row : report_.findings()) {
      if (row.trend() != trend) {
        continue;
      }
      if (!opened) {
        TableHead({rt::kColStatus, rt::kColHost, rt::kColRule, rt::kColTitle, rt::kColRemediation,
                   rt::kColSince},
                  {0, 2});
        opened = true;
      }
      const mamori::v1::Finding& finding = row.finding();
      std::string status = Badge(rt::StatusWord(finding.status(), lang_));
      if (row.previous_status() != mamori::v1::FINDING_STATUS_UNSPECIFIED) {
        absl::StrAppend(&status,
                        Sub(absl::Substitute(L(rt::kPreviously),
                                             rt::StatusWord(row.previous_status(), lang_).text)));
      }
      std::string rule = Text(finding.rule_id());
      if (!finding.mhlw_keys().empty()) {
        absl::StrAppend(
            &rule, Sub(absl::Substitute(L(rt::kChecklistLine), Join(finding.mhlw_keys(), ", "))));
      }
      const std::string host = rt::FindingHost(finding, lang_);
      Row({status, finding.agent_id().empty() ? Text(host) : Strong(host), rule,
           absl::StrCat(Strong(rt::TitleText(finding, lang_)), Sub(finding.evidence())),
           Text(rt::RemediationText(finding, lang_)), Text(rt::ClinicTime(finding.since()))});
    }
    if (opened) {
      TableEnd();
    } else {
      Nothing();
    }
  }

  void IdleSection() {
    out_ += "<section class=\"page\">\n";
    Heading2(rt::kSectionIdle);
    Paragraph(rt::kIntroIdle);
    if (report_.idle_episodes().empty()) {
      Nothing();
    } else {
      TableHead({rt::kColHost, rt::kColFrom, rt::kColTo, rt::kColMaxIdle, rt::kColIdleSince,
                 rt::kColLocked, rt::kColOpen},
                {1, 2, 3, 4});
      for (const mamori::v1::IdleEpisode& episode : report_.idle_episodes()) {
        Row({Strong(episode.hostname()), Text(rt::ClinicTime(episode.from())),
             Text(rt::ClinicTime(episode.to())), Text(rt::DurationText(episode.max_idle(), lang_)),
             Text(rt::ClinicTime(episode.idle_since())),
             Badge(rt::TristateWord(episode.has_locked(), episode.locked(), lang_)),
             episode.open() ? Badge(Word{std::string(L(rt::kYes)), Tone::kWarn}) : ""});
      }
      TableEnd();
    }
    out_ += "</section>\n";
  }

  void AccountsSection() {
    out_ += "<section class=\"page\">\n";
    Heading2(rt::kSectionAccounts);
    Paragraph(rt::kIntroAccounts);
    if (report_.accounts().empty()) {
      Nothing();
    } else {
      TableHead({rt::kColHost, rt::kColAccount, rt::kColEnabled, rt::kColAdmin, rt::kColLastLogon,
                 rt::kColPasswordAge, rt::kColFlags, rt::kColReview, rt::kColDue});
      for (const mamori::v1::AccountEntry& account : report_.accounts()) {
        std::vector<std::string> flags;
        for (const std::string& flag : account.flags()) {
          flags.push_back(rt::FlagText(flag, lang_));
        }
        if (account.system_account()) {
          flags.emplace_back(L(rt::kSystemAccount));
        }
        std::string flag_cell = Text(absl::StrJoin(flags, L(rt::kListSeparator)));
        if (!account.rule_ids().empty()) {
          absl::StrAppend(&flag_cell,
                          Sub(absl::Substitute(L(rt::kRulesLine), Join(account.rule_ids(), ", "))));
        }
        if (account.has_removed_at()) {
          absl::StrAppend(&flag_cell, Sub(absl::Substitute(L(rt::kRemovedAt),
                                                           rt::ClinicTime(account.removed_at()))));
        }
        std::string due;
        if (account.due()) {
          due = absl::StrCat(Badge(Word{std::string(L(rt::kDueYes)), Tone::kWarn}),
                             Sub(account.due_reason()));
        }
        Row({Text(account.hostname()),
             absl::StrCat(Strong(account.name()), Sub(account.full_name())),
             Badge(rt::TristateWord(account.has_enabled(), account.enabled(), lang_)),
             Badge(rt::TristateWord(account.has_admin(), account.admin(), lang_)),
             Text(rt::ClinicTime(account.last_logon())),
             account.has_password_age_days()
                 ? Text(absl::Substitute(L(rt::kDays), account.password_age_days()))
                 : "",
             flag_cell, ReviewCell(account), due});
      }
      TableEnd();
    }
    out_ += "</section>\n";
  }

  std::string ReviewCell(const mamori::v1::AccountEntry& account) {
    if (!account.has_review()) {
      return "";
    }
    const mamori::v1::AccountReview& review = account.review();
    std::string cell = Strong(rt::DecisionText(review.decision(), lang_));
    absl::StrAppend(&cell,
                    Sub(absl::Substitute(L(rt::kReviewedLine), rt::ClinicTime(review.reviewed_at()),
                                         review.reviewer())));
    if (!review.note().empty()) {
      absl::StrAppend(&cell, Sub(review.note()));
    }
    if (review.has_closed_at()) {
      absl::StrAppend(
          &cell, Sub(absl::Substitute(L(rt::kReviewClosedAt), rt::ClinicTime(review.closed_at()),
                                      review.closed_reason())));
    }
    return cell;
  }

  void LedgerSection() {
    out_ += "<section class=\"page\">\n";
    Heading2(rt::kSectionLedger);
    Paragraph(rt::kIntroLedger);
    if (report_.ledger().empty()) {
      Nothing();
    } else {
      TableHead({rt::kColHostSummary, rt::kColPlace, rt::kColOs, rt::kColHardware,
                 rt::kColNetworkAddresses, rt::kColCpuMemory, rt::kColSoftwareAgent, rt::kColSeen},
                {}, "ledger");
      for (const mamori::v1::LedgerEntry& entry : report_.ledger()) {
        const mamori::v1::HostAnnotations& notes = entry.annotations();
        std::string host =
            absl::StrCat(Strong(entry.hostname()), Sub(rt::RoleText(entry.role(), lang_)),
                         Badge(rt::ContactWord(entry.contact_state(), lang_)));
        if (entry.failing() + entry.warning() > 0) {
          absl::StrAppend(&host, Sub(absl::Substitute(L(rt::kFailWarnCounts), entry.failing(),
                                                      entry.warning())));
        }
        std::string place;
        for (const auto& [label, value] : {std::pair{rt::kColLocation, notes.location()},
                                           std::pair{rt::kColPurpose, notes.purpose()},
                                           std::pair{rt::kColPerson, notes.person_in_charge()}}) {
          if (!value.empty()) {
            absl::StrAppend(&place, Sub(absl::StrCat(L(label), ": ", value)));
          }
        }
        std::string os = Text(rt::OsText(entry));
        if (!entry.end_of_support().empty()) {
          absl::StrAppend(
              &os, Sub(absl::Substitute(L(rt::kColEndOfSupportShort), entry.end_of_support())));
        }
        std::string hardware;
        for (const std::string* value :
             {&entry.manufacturer(), &entry.model(), &entry.serial_number()}) {
          if (!value->empty()) {
            absl::StrAppend(&hardware, Sub(*value));
          }
        }
        std::string addresses;
        for (const std::string& address : entry.addresses()) {
          absl::StrAppend(&addresses, Sub(address));
        }
        for (const std::string& mac : entry.mac_addresses()) {
          absl::StrAppend(&addresses, Sub(mac));
        }
        std::string software =
            Text(absl::Substitute(L(rt::kSoftwareCount), entry.software_count()));
        if (!entry.agent_version().empty()) {
          absl::StrAppend(&software,
                          Sub(absl::Substitute(L(rt::kAgentLine), entry.agent_version())));
        }
        std::string seen;
        if (entry.has_first_seen()) {
          absl::StrAppend(&seen, Sub(absl::Substitute(L(rt::kFirstSeenLine),
                                                      rt::ClinicTime(entry.first_seen()))));
        }
        if (entry.has_last_seen()) {
          absl::StrAppend(&seen, Sub(absl::Substitute(L(rt::kLastSeenLine),
                                                      rt::ClinicTime(entry.last_seen()))));
        }
        Row({host, place, os, hardware, addresses,
             absl::StrCat(Sub(entry.cpu_model()), Sub(rt::MemoryText(entry.memory_bytes()))),
             software, seen});
      }
      TableEnd();
    }
    Heading3(rt::kSectionSoftware);
    Paragraph(rt::kIntroSoftware);
    if (report_.software().empty()) {
      Nothing();
    } else {
      TableHead({rt::kColSoftwareName, rt::kColVersion, rt::kColPublisher, rt::kColHostCount}, {3});
      for (const mamori::v1::SoftwareVersion& version : report_.software()) {
        Row({Text(version.name()), Text(version.version()), Text(version.publisher()),
             Text(absl::StrCat(version.host_count()))});
      }
      TableEnd();
    }
    out_ += "</section>\n";
  }

  const mamori::v1::Report& report_;
  const Lang lang_;
  std::string out_;
  std::vector<bool> unbroken_;
};

}  // namespace

std::string RenderReportHtml(const mamori::v1::Report& report,
                             mamori::v1::ReportLanguage language) {
  return HtmlReport(report, rt::LangOf(language)).Render();
}

}  // namespace mamori::collector
