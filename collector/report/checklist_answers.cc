#include "collector/report/checklist_answers.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "platform/rules/checklist.h"

namespace mamori::collector {
namespace {

namespace v1 = mamori::v1;
using rules::ChecklistItemDefinition;
using rules::ChecklistSource;

constexpr std::string_view kOrgRulePrefix = "MAM-ORG-";

std::string Str(std::string_view text) { return std::string(text); }

// Abseil's string_view is its own type here: the table's std::string_view texts pass through this.
absl::string_view Sv(std::string_view text) { return absl::string_view(text.data(), text.size()); }

// A text in both languages, as Abseil's string functions take it.
struct Wording {
  absl::string_view ja;
  absl::string_view en;
};

// ---- Per-item wording ---------------------------------------------------------------------------

// What meeting an item, and missing it, is called on one host: "USB ストレージ遮断" / "未設定".
struct HostWording {
  std::string_view key;
  Wording met;
  Wording gap;
};

constexpr std::array<HostWording, 7> kHostWordings = {{
    {"2-2",
     {"リモートログインの公開なし", "no exposed remote login"},
     {"リモートログインが公開", "remote login exposed"}},
    {"2-4",
     {"管理者アカウント数が基準内", "administrators within the limit"},
     {"管理者アカウントが多すぎる", "too many administrators"}},
    {"2-5",
     {"長期間未使用のアカウントなし", "no long-unused accounts"},
     {"長期間未使用のアカウントあり", "long-unused accounts"}},
    {"2-7",
     {"更新プログラム適用済み", "updates applied"},
     {"更新の未適用またはサポート終了", "updates pending or OS out of support"}},
    {"2-10",
     {"パスワード設定が基準を満たす", "password settings meet the guideline"},
     {"パスワード設定が基準未満", "password settings below the guideline"}},
    {"2-11",
     {"初期アカウント・自動ログオンなし", "no default account or automatic logon"},
     {"初期アカウントまたは自動ログオンあり", "default account or automatic logon"}},
    {"2-12", {"USB ストレージ遮断", "USB storage blocked"}, {"未設定", "not blocked"}},
}};

HostWording WordingOf(std::string_view key) {
  for (const HostWording& wording : kHostWordings) {
    if (wording.key == key) {
      return wording;
    }
  }
  return {key, {"基準を満たす", "meets the item"}, {"未対応", "gap"}};
}

// The register's record kinds behind each register item: its 確認日 is their newest date.
struct RegisterKinds {
  std::string_view key;
  std::array<v1::OrgRecordKind, 2> kinds;
};

constexpr std::array<RegisterKinds, 5> kRegisterKinds = {{
    {"1-1", {v1::ORG_RECORD_KIND_SECURITY_MANAGER, v1::ORG_RECORD_KIND_UNSPECIFIED}},
    {"2-3", {v1::ORG_RECORD_KIND_MDS_SDS, v1::ORG_RECORD_KIND_UNSPECIFIED}},
    {"3-1", {v1::ORG_RECORD_KIND_CONTACT_CHART, v1::ORG_RECORD_KIND_UNSPECIFIED}},
    {"3-2", {v1::ORG_RECORD_KIND_BACKUP, v1::ORG_RECORD_KIND_RESTORE_TEST}},
    {"3-3", {v1::ORG_RECORD_KIND_BCP, v1::ORG_RECORD_KIND_DRILL}},
}};

// ---- Small helpers ------------------------------------------------------------------------------

bool Meets(v1::FindingStatus status) {
  return status == v1::FINDING_STATUS_PASS || status == v1::FINDING_STATUS_NA;
}

bool IsGap(v1::FindingStatus status) {
  return status == v1::FINDING_STATUS_FAIL || status == v1::FINDING_STATUS_WARN;
}

bool IsOrgRule(std::string_view rule_id) { return rule_id.starts_with(kOrgRulePrefix); }

// The newest current record of a kind (and, for CONFIRMATION and TARGET, an item).
const v1::OrgRecord* CurrentRecord(const std::vector<v1::OrgRecord>& records,
                                   v1::OrgRecordKind kind, std::string_view item) {
  const v1::OrgRecord* found = nullptr;
  for (const v1::OrgRecord& record : records) {
    if (record.kind() == kind && record.item() == item &&
        (found == nullptr || record.record_id() > found->record_id())) {
      found = &record;
    }
  }
  return found;
}

const v1::Finding* ClinicFinding(const std::vector<v1::Finding>& findings,
                                 std::string_view rule_id) {
  for (const v1::Finding& finding : findings) {
    if (finding.rule_id() == rule_id) {
      return &finding;
    }
  }
  return nullptr;
}

absl::string_view AnswerWordJa(bool answer) { return answer ? "はい" : "いいえ"; }
absl::string_view AnswerWordEn(bool answer) { return answer ? "yes" : "no"; }

absl::string_view StatusWordEn(v1::FindingStatus status) {
  switch (status) {
    case v1::FINDING_STATUS_PASS:
      return "pass";
    case v1::FINDING_STATUS_WARN:
      return "warn";
    case v1::FINDING_STATUS_FAIL:
      return "fail";
    case v1::FINDING_STATUS_NA:
      return "not applicable";
    default:
      return "unknown";
  }
}

absl::string_view StatusWordJa(v1::FindingStatus status) {
  switch (status) {
    case v1::FINDING_STATUS_PASS:
      return "適合";
    case v1::FINDING_STATUS_WARN:
      return "警告";
    case v1::FINDING_STATUS_FAIL:
      return "不合格";
    case v1::FINDING_STATUS_NA:
      return "該当なし";
    default:
      return "不明";
  }
}

// "受付PC-2、診察室PC" with at most kEvidenceHostNames names, then "ほか N台" / "and N more".
std::string NameList(const std::vector<std::string>& names, bool ja) {
  const std::size_t shown = std::min<std::size_t>(names.size(), kEvidenceHostNames);
  std::string text = absl::StrJoin(
      names.begin(), names.begin() + static_cast<std::ptrdiff_t>(shown), ja ? "、" : ", ");
  if (names.size() > shown) {
    absl::StrAppend(&text, ja ? " ほか " : " and ", names.size() - shown, ja ? "台" : " more");
  }
  return text;
}

// ---- Host items ---------------------------------------------------------------------------------

struct Column {
  std::string_view equipment;  // "server", "workstation"
  Wording name;                // サーバ / servers
  Wording one;                 // サーバ / server
  int hosts = 0;
  int hosts_ok = 0;
  std::vector<std::string> gap_hosts;
  std::vector<std::string> unknown_hosts;

  v1::ChecklistAnswer Answer() const {
    if (hosts == 0) {
      return v1::CHECKLIST_ANSWER_NOT_APPLICABLE;
    }
    if (!gap_hosts.empty()) {
      return v1::CHECKLIST_ANSWER_NO;
    }
    if (!unknown_hosts.empty()) {
      return v1::CHECKLIST_ANSWER_ACTION_NEEDED;
    }
    return v1::CHECKLIST_ANSWER_YES;
  }
};

// "端末PC 12台中 11台で USB ストレージ遮断、1台 (受付PC-2) 未設定" and its English.
std::pair<std::string, std::string> ColumnSentences(const Column& column,
                                                    const HostWording& wording) {
  const absl::string_view name_en = column.hosts == 1 ? column.one.en : column.name.en;
  if (column.hosts_ok == column.hosts) {
    return {absl::StrCat(column.name.ja, " ", column.hosts, "台すべてで ", wording.met.ja),
            absl::StrCat(wording.met.en, " on ", column.hosts == 1 ? "the " : "all ",
                         column.hosts == 1 ? "" : absl::StrCat(column.hosts, " "), name_en)};
  }
  std::vector<std::string> ja;
  std::vector<std::string> en;
  if (column.hosts_ok > 0) {
    ja.push_back(absl::StrCat(column.hosts_ok, "台で ", wording.met.ja));
    en.push_back(absl::StrCat(wording.met.en, " on ", column.hosts_ok));
  }
  if (!column.gap_hosts.empty()) {
    ja.push_back(absl::StrCat(column.gap_hosts.size(), "台 (", NameList(column.gap_hosts, true),
                              ") ", wording.gap.ja));
    en.push_back(absl::StrCat(wording.gap.en, " on ", column.gap_hosts.size(), " (",
                              NameList(column.gap_hosts, false), ")"));
  }
  if (!column.unknown_hosts.empty()) {
    ja.push_back(absl::StrCat(column.unknown_hosts.size(), "台 (",
                              NameList(column.unknown_hosts, true), ") は確認できず"));
    en.push_back(absl::StrCat("could not be checked on ", column.unknown_hosts.size(), " (",
                              NameList(column.unknown_hosts, false), ")"));
  }
  return {absl::StrCat(column.name.ja, " ", column.hosts, "台中 ", absl::StrJoin(ja, "、")),
          absl::StrCat("Of ", column.hosts, " ", name_en, ": ", absl::StrJoin(en, "; "))};
}

void AddEvidence(v1::ChecklistItem& item, std::string ja, std::string en) {
  item.add_evidence_ja(std::move(ja));
  item.add_evidence_en(std::move(en));
}

// The worse of two item answers: NO over ACTION_NEEDED over YES.
v1::ChecklistAnswer Worse(v1::ChecklistAnswer a, v1::ChecklistAnswer b) {
  auto rank = [](v1::ChecklistAnswer answer) {
    switch (answer) {
      case v1::CHECKLIST_ANSWER_NO:
        return 3;
      case v1::CHECKLIST_ANSWER_ACTION_NEEDED:
        return 2;
      case v1::CHECKLIST_ANSWER_YES:
        return 1;
      default:
        return 0;
    }
  };
  return rank(a) >= rank(b) ? a : b;
}

// Judges a kHosts item on every host, per column; returns the answer from the hosts alone.
v1::ChecklistAnswer AnswerFromHosts(const ChecklistItemDefinition& definition,
                                    const ChecklistEvidence& evidence, v1::ChecklistItem& item) {
  Column server{"server", {"サーバ", "servers"}, {"サーバ", "server"}, 0, 0, {}, {}};
  Column workstation{"workstation", {"端末PC", "PCs"}, {"端末PC", "PC"}, 0, 0, {}, {}};
  std::vector<std::string_view> host_rules;
  for (std::string_view rule : definition.rules) {
    if (!IsOrgRule(rule)) {
      host_rules.push_back(rule);
    }
  }
  for (const ChecklistHost& host : evidence.hosts) {
    Column& column = host.role == "server" ? server : workstation;
    ++column.hosts;
    bool gap = false;
    bool unknown = false;
    for (std::string_view rule : host_rules) {
      auto it = host.statuses.find(rule);
      const v1::FindingStatus status =
          it == host.statuses.end() ? v1::FINDING_STATUS_UNKNOWN : it->second;
      gap = gap || IsGap(status);
      unknown = unknown || !Meets(status);
    }
    if (gap) {
      column.gap_hosts.push_back(host.hostname);
    } else if (unknown) {
      column.unknown_hosts.push_back(host.hostname);
    } else {
      ++column.hosts_ok;
    }
  }

  v1::ChecklistAnswer answer = v1::CHECKLIST_ANSWER_YES;
  if (evidence.hosts.empty()) {
    answer = v1::CHECKLIST_ANSWER_ACTION_NEEDED;
    AddEvidence(item, "台帳に機器がありません (エージェント未導入)",
                "No machine in the inventory yet (no agent installed)");
  }
  for (const Column* column : {&server, &workstation}) {
    answer = Worse(answer, column->Answer() == v1::CHECKLIST_ANSWER_NOT_APPLICABLE
                               ? v1::CHECKLIST_ANSWER_YES
                               : column->Answer());
  }

  if (definition.key == "2-1") {
    // The inventory itself: what is recorded, and which machines went silent.
    if (!evidence.hosts.empty()) {
      std::vector<std::string> silent = server.gap_hosts;
      silent.insert(silent.end(), workstation.gap_hosts.begin(), workstation.gap_hosts.end());
      std::vector<std::string> unknown = server.unknown_hosts;
      unknown.insert(unknown.end(), workstation.unknown_hosts.begin(),
                     workstation.unknown_hosts.end());
      std::string ja =
          absl::StrCat("サーバ ", server.hosts, "台・端末PC ", workstation.hosts, "台を台帳に記録");
      std::string en = absl::StrCat(server.hosts, server.hosts == 1 ? " server" : " servers",
                                    " and ", workstation.hosts,
                                    workstation.hosts == 1 ? " PC" : " PCs", " in the inventory");
      if (!silent.empty()) {
        absl::StrAppend(&ja, "。応答のない機器: ", NameList(silent, true));
        absl::StrAppend(&en, ". Silent: ", NameList(silent, false));
      }
      if (!unknown.empty()) {
        absl::StrAppend(&ja, "。状態を確認できない機器: ", NameList(unknown, true));
        absl::StrAppend(&en, ". Contact unknown: ", NameList(unknown, false));
      }
      AddEvidence(item, std::move(ja), std::move(en));
    }
  } else {
    const HostWording wording = WordingOf(definition.key);
    for (const Column* column : {&server, &workstation}) {
      if (column->hosts > 0) {
        auto [ja, en] = ColumnSentences(*column, wording);
        AddEvidence(item, std::move(ja), std::move(en));
      }
    }
  }

  if (definition.per_equipment) {
    for (const Column* column : {&server, &workstation}) {
      v1::ChecklistEquipment& equipment = *item.add_equipment();
      equipment.set_equipment(Str(column->equipment));
      equipment.set_answer(column->Answer());
      equipment.set_hosts(column->hosts);
      equipment.set_hosts_ok(column->hosts_ok);
      for (const std::string& name : column->gap_hosts) {
        equipment.add_gap_hosts(name);
      }
      for (const std::string& name : column->unknown_hosts) {
        equipment.add_unknown_hosts(name);
      }
    }
    // Network devices have no agent: their column is never answered from mamori's evidence.
    v1::ChecklistEquipment& network = *item.add_equipment();
    network.set_equipment("network");
    network.set_answer(v1::CHECKLIST_ANSWER_NOT_APPLICABLE);
    AddEvidence(item, "ネットワーク機器は mamori の対象外",
                "Network devices are outside what mamori sees");
  }
  return answer;
}

// The clinic's findings of the item's MAM-ORG rules: all pass (or na) -> YES, any fail or warn ->
// NO, otherwise (unknown, or no verdict) -> ACTION_NEEDED. Each finding's evidence is quoted.
v1::ChecklistAnswer AnswerFromClinicFindings(const ChecklistItemDefinition& definition,
                                             const ChecklistEvidence& evidence,
                                             v1::ChecklistItem& item) {
  v1::ChecklistAnswer answer = v1::CHECKLIST_ANSWER_YES;
  for (std::string_view rule : definition.rules) {
    if (!IsOrgRule(rule)) {
      continue;
    }
    const v1::Finding* finding = ClinicFinding(evidence.clinic_findings, rule);
    const v1::FindingStatus status =
        finding == nullptr ? v1::FINDING_STATUS_UNSPECIFIED : finding->status();
    if (IsGap(status)) {
      answer = Worse(answer, v1::CHECKLIST_ANSWER_NO);
    } else if (!Meets(status)) {
      answer = Worse(answer, v1::CHECKLIST_ANSWER_ACTION_NEEDED);
    }
    if (finding == nullptr) {
      AddEvidence(item, absl::StrCat(Sv(rule), ": 判定結果がありません"),
                  absl::StrCat(Sv(rule), ": no verdict"));
      continue;
    }
    const std::string& title_en =
        finding->title_en().empty() ? finding->rule_id() : finding->title_en();
    const std::string& title_ja =
        finding->title_ja().empty() ? finding->rule_id() : finding->title_ja();
    AddEvidence(item,
                finding->evidence().empty() ? absl::StrCat(title_ja, ": ", StatusWordJa(status))
                                            : finding->evidence(),
                absl::StrCat(title_en, ": ", StatusWordEn(status)));
  }
  return answer;
}

// The register item's 確認日: the newest date of the records behind it, else today.
std::string RegisterCheckedOn(std::string_view key, const ChecklistEvidence& evidence) {
  std::string newest;
  for (const RegisterKinds& entry : kRegisterKinds) {
    if (entry.key != key) {
      continue;
    }
    for (const v1::OrgRecord& record : evidence.records) {
      if (std::find(entry.kinds.begin(), entry.kinds.end(), record.kind()) != entry.kinds.end() &&
          record.kind() != v1::ORG_RECORD_KIND_UNSPECIFIED && record.date() > newest) {
        newest = record.date();
      }
    }
  }
  return newest.empty() ? absl::FormatCivilTime(evidence.today) : newest;
}

v1::ChecklistItem AnswerItem(const ChecklistItemDefinition& definition,
                             const ChecklistEvidence& evidence) {
  v1::ChecklistItem item;
  item.set_key(Str(definition.key));
  item.set_section(Str(definition.section));
  item.set_text_ja(Str(definition.text.ja));
  item.set_text_en(Str(definition.text.en));
  for (std::string_view rule : definition.rules) {
    item.add_rule_ids(Str(rule));
  }
  const std::string today = absl::FormatCivilTime(evidence.today);
  item.set_checked_on(today);

  const v1::OrgRecord* confirmation =
      definition.accepts_confirmation
          ? CurrentRecord(evidence.records, v1::ORG_RECORD_KIND_CONFIRMATION, definition.key)
          : nullptr;
  // A confirmation record without its answer says nothing.
  if (confirmation != nullptr && !confirmation->has_answer()) {
    confirmation = nullptr;
  }

  v1::ChecklistAnswer answer = v1::CHECKLIST_ANSWER_ACTION_NEEDED;
  switch (definition.source) {
    case ChecklistSource::kHosts: {
      answer = AnswerFromHosts(definition, evidence, item);
      if (std::any_of(definition.rules.begin(), definition.rules.end(), IsOrgRule)) {
        answer = Worse(answer, AnswerFromClinicFindings(definition, evidence, item));
      }
      if (definition.key == "2-5" && evidence.accounts_due > 0) {
        answer = v1::CHECKLIST_ANSWER_NO;
        AddEvidence(
            item,
            absl::StrCat("棚卸し (レビュー) が必要なアカウント: ", evidence.accounts_due, "件"),
            absl::StrCat(evidence.accounts_due,
                         evidence.accounts_due == 1 ? " account is" : " accounts are",
                         " due for review"));
      }
      // A person's answer fills in what the hosts cannot tell; a gap the hosts show stands, and a
      // person's いいえ is never hidden behind the hosts' はい.
      if (confirmation != nullptr) {
        if (answer == v1::CHECKLIST_ANSWER_ACTION_NEEDED ||
            (answer == v1::CHECKLIST_ANSWER_YES && !confirmation->answer())) {
          answer = confirmation->answer() ? v1::CHECKLIST_ANSWER_YES : v1::CHECKLIST_ANSWER_NO;
          item.set_checked_on(confirmation->date());
        }
        AddEvidence(item,
                    absl::StrCat("確認記録 (", confirmation->date(),
                                 "): ", AnswerWordJa(confirmation->answer())),
                    absl::StrCat("Confirmed on ", confirmation->date(), ": ",
                                 AnswerWordEn(confirmation->answer())));
      }
      break;
    }
    case ChecklistSource::kRegister:
      answer = AnswerFromClinicFindings(definition, evidence, item);
      item.set_checked_on(RegisterCheckedOn(definition.key, evidence));
      if (confirmation != nullptr && answer == v1::CHECKLIST_ANSWER_ACTION_NEEDED) {
        answer = confirmation->answer() ? v1::CHECKLIST_ANSWER_YES : v1::CHECKLIST_ANSWER_NO;
        item.set_checked_on(confirmation->date());
        AddEvidence(item,
                    absl::StrCat("確認記録 (", confirmation->date(),
                                 "): ", AnswerWordJa(confirmation->answer())),
                    absl::StrCat("Confirmed on ", confirmation->date(), ": ",
                                 AnswerWordEn(confirmation->answer())));
      }
      break;
    case ChecklistSource::kManual:
      if (confirmation != nullptr) {
        answer = confirmation->answer() ? v1::CHECKLIST_ANSWER_YES : v1::CHECKLIST_ANSWER_NO;
        item.set_checked_on(confirmation->date());
        AddEvidence(item,
                    absl::StrCat("確認記録 (", confirmation->date(),
                                 "): ", AnswerWordJa(confirmation->answer())),
                    absl::StrCat("Confirmed on ", confirmation->date(), ": ",
                                 AnswerWordEn(confirmation->answer())));
      } else {
        answer = v1::CHECKLIST_ANSWER_ACTION_NEEDED;
        const std::string command =
            absl::StrCat("mamorictl evidence record confirmation --item ", Sv(definition.key),
                         " --answer yes|no --date YYYY-MM-DD");
        AddEvidence(item, absl::StrCat("記録がありません: ", command),
                    absl::StrCat("Nothing recorded: ", command));
      }
      break;
  }
  item.set_answer(answer);

  if (answer == v1::CHECKLIST_ANSWER_NO || answer == v1::CHECKLIST_ANSWER_ACTION_NEEDED) {
    const v1::OrgRecord* target =
        CurrentRecord(evidence.records, v1::ORG_RECORD_KIND_TARGET, definition.key);
    if (target != nullptr && !target->date().empty()) {
      item.set_target_date(target->date());
    } else {
      item.set_target_date(FiscalYearEnd(evidence.today));
      item.set_target_is_default(true);
    }
    item.set_remediation_ja(Str(definition.remediation.ja));
    item.set_remediation_en(Str(definition.remediation.en));
  }
  return item;
}

}  // namespace

int FiscalYearOf(absl::CivilDay day) {
  return static_cast<int>(day.month() >= 4 ? day.year() : day.year() - 1);
}

std::string FiscalYearEnd(absl::CivilDay day) {
  return absl::FormatCivilTime(absl::CivilDay(FiscalYearOf(day) + 1, 3, 31));
}

std::vector<v1::ChecklistItem> AnswerChecklist(const ChecklistEvidence& evidence) {
  std::vector<v1::ChecklistItem> items;
  for (const ChecklistItemDefinition& definition : rules::Checklist()) {
    items.push_back(AnswerItem(definition, evidence));
  }
  return items;
}

}  // namespace mamori::collector
