// THE table of the clinic's MAM-ORG rules, judged from the evidence register, and the register's
// kind names. Ids are a public contract (checklist.cc and reports refer to them): never renumber or
// reuse one.
#include "platform/rules/org_rules.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <utility>

#include "platform/rules/mhlw.h"
#include "platform/rules/rule_support.h"

namespace mamori::rules {
namespace {

constexpr std::array<std::pair<OrgRecordKind, std::string_view>, 10> kKindNames = {{
    {OrgRecordKind::kClinic, "clinic"},
    {OrgRecordKind::kSecurityManager, "security_manager"},
    {OrgRecordKind::kContactChart, "contact_chart"},
    {OrgRecordKind::kMdsSds, "mds_sds"},
    {OrgRecordKind::kBackup, "backup"},
    {OrgRecordKind::kRestoreTest, "restore_test"},
    {OrgRecordKind::kBcp, "bcp"},
    {OrgRecordKind::kDrill, "drill"},
    {OrgRecordKind::kConfirmation, "confirmation"},
    {OrgRecordKind::kTarget, "target"},
}};

struct OrgContext {
  const OrgRegister& evidence;
  const Policy& policy;
  std::chrono::sys_days today;  // in the policy's time zone
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::optional<std::chrono::sys_days> RecordDay(std::string_view text) {
  const std::optional<LocalDate> date = ParseOrgDate(text);
  if (!date) {
    return std::nullopt;
  }
  return std::chrono::sys_days{*date};
}

std::string DayText(std::chrono::sys_days day) { return DateText(facts::Timestamp{day}); }

// The record of a kind that is current. The register holds one per kind for these kinds; should
// it hold more, the latest date wins (the later one on a tie).
const OrgRecord* Latest(const OrgRegister& evidence, OrgRecordKind kind) {
  const OrgRecord* latest = nullptr;
  for (const OrgRecord& record : evidence.current) {
    if (record.kind == kind && (latest == nullptr || record.date >= latest->date)) {
      latest = &record;
    }
  }
  return latest;
}

// unknown, saying why, when a record's date cannot be judged; nullopt when it can.
std::optional<RuleOutcome> UnusableDate(const OrgContext& context, const OrgRecord& record,
                                        std::string_view what) {
  const std::optional<std::chrono::sys_days> day = RecordDay(record.date);
  if (!day) {
    return RuleOutcome{Status::kUnknown, std::string(what) + "の記録の日付「" + record.date +
                                             "」を日付として読めません。記録し直してください"};
  }
  if (*day > context.today) {
    return RuleOutcome{Status::kUnknown, std::string(what) + "の記録の日付 " + record.date +
                                             " が今日 (" + DayText(context.today) +
                                             ") より後です。記録し直してください"};
  }
  return std::nullopt;
}

int64_t AgeDays(const OrgContext& context, const OrgRecord& record) {
  return (context.today - *RecordDay(record.date)).count();
}

// "最後の訓練は 2025-10-01 (425日前)。基準は365日以内"
std::string AgeSentence(std::string_view what, const OrgRecord& record, int64_t age, int max_days) {
  return "最後の" + std::string(what) + "は " + record.date + " (" + std::to_string(age) +
         "日前)。基準は" + std::to_string(max_days) + "日以内";
}

// A record that must exist and be at most `max_days` old: fail when missing, `stale` when older.
RuleOutcome JudgeDated(const OrgContext& context, OrgRecordKind kind, std::string_view what,
                       std::string_view missing, int max_days, Status stale) {
  const OrgRecord* record = Latest(context.evidence, kind);
  if (record == nullptr) {
    return {Status::kFail, std::string(missing)};
  }
  if (std::optional<RuleOutcome> unusable = UnusableDate(context, *record, what)) {
    return *unusable;
  }
  const int64_t age = AgeDays(context, *record);
  return {age > max_days ? stale : Status::kPass, AgeSentence(what, *record, age, max_days)};
}

// ---- The rules ----------------------------------------------------------------------------------

RuleOutcome EvaluateSecurityManager(const OrgContext& context) {
  const OrgRecord* record = Latest(context.evidence, OrgRecordKind::kSecurityManager);
  if (record == nullptr || record->name.empty()) {
    return {Status::kFail, "安全管理責任者が記録簿に登録されていません"};
  }
  return {Status::kPass, "安全管理責任者: " + record->name +
                             (record->date.empty() ? "" : " (" + record->date + " 任命)")};
}

RuleOutcome EvaluateContactChart(const OrgContext& context) {
  return JudgeDated(context, OrgRecordKind::kContactChart, "連絡体制図の作成・見直し",
                    "連絡体制図 (院内・事業者・厚生労働省・警察) の作成が記録されていません",
                    context.policy.contact_chart_review_days, Status::kWarn);
}

RuleOutcome EvaluateMdsSds(const OrgContext& context) {
  std::vector<std::string> received;
  for (const OrgRecord& record : context.evidence.current) {
    if (record.kind == OrgRecordKind::kMdsSds) {
      received.push_back((record.item.empty() ? std::string("(名称なし)") : record.item) + " (" +
                         record.date + ")");
    }
  }
  if (received.empty()) {
    return {Status::kFail, "MDS/SDS の受領が記録されていません"};
  }
  return {Status::kPass, "MDS/SDS 受領済み " + std::to_string(received.size()) +
                             "件: " + JoinForEvidence(received)};
}

RuleOutcome EvaluateBackup(const OrgContext& context) {
  const OrgRecord* record = Latest(context.evidence, OrgRecordKind::kBackup);
  if (record == nullptr) {
    return {Status::kFail, "バックアップの点検が記録されていません"};
  }
  if (std::optional<RuleOutcome> unusable = UnusableDate(context, *record, "バックアップ点検")) {
    return *unusable;
  }
  const int max_days = context.policy.backup_check_max_age_days;
  const int64_t age = AgeDays(context, *record);
  std::string evidence = AgeSentence("バックアップ点検", *record, age, max_days);
  if (!record->method.empty()) {
    evidence += "。方法: " + record->method;
  }
  Status status = age > max_days ? Status::kWarn : Status::kPass;
  if (!record->offline_copy.has_value()) {
    evidence += "。オフライン保管が未記録";
    status = Status::kWarn;
  } else if (!*record->offline_copy) {
    evidence += "。ネットワークから切り離したバックアップ (オフライン保管) がありません";
    status = Status::kFail;
  } else {
    evidence += "。オフライン保管あり";
  }
  return {status, std::move(evidence)};
}

RuleOutcome EvaluateRestoreTest(const OrgContext& context) {
  return JudgeDated(context, OrgRecordKind::kRestoreTest, "復元テスト",
                    "バックアップからの復元テストが記録されていません",
                    context.policy.restore_test_max_age_days, Status::kFail);
}

RuleOutcome EvaluateBcp(const OrgContext& context) {
  const OrgRecord* record = Latest(context.evidence, OrgRecordKind::kBcp);
  if (record == nullptr) {
    return {Status::kFail, "サイバー攻撃を想定した BCP の策定が記録されていません"};
  }
  if (std::optional<RuleOutcome> unusable = UnusableDate(context, *record, "BCP")) {
    return *unusable;
  }
  return {Status::kPass, "BCP の策定・改訂: " + record->date + " (" +
                             std::to_string(AgeDays(context, *record)) + "日前)"};
}

RuleOutcome EvaluateDrill(const OrgContext& context) {
  return JudgeDated(context, OrgRecordKind::kDrill, "訓練",
                    "BCP に基づく訓練 (演習) の実施が記録されていません",
                    context.policy.drill_max_age_days, Status::kFail);
}

using OrgRuleEvaluator = RuleOutcome (*)(const OrgContext&);

struct OrgRule {
  OrgRuleDefinition definition;
  OrgRuleEvaluator evaluate;
};

const std::vector<OrgRule>& OrgRules() {
  static const std::vector<OrgRule> kRules = {
      {{"MAM-ORG-001",
        {"安全管理責任者が未登録", "No security manager recorded"},
        {"1-1"},
        {"医療情報システム安全管理責任者を決め、記録簿に登録してください (mamorictl evidence "
         "record security_manager --name 氏名 --date 任命日)。",
         "Appoint a security manager for the medical information systems and record them "
         "(mamorictl evidence record security_manager --name NAME --date DATE)."}},
       EvaluateSecurityManager},
      {{"MAM-ORG-002",
        {"連絡体制図がない、または古い", "Incident contact chart missing or out of date"},
        {"3-1", "心得2"},
        {"院内・事業者・厚生労働省・警察への連絡体制図を作成または見直し、その日付を登録してくださ"
         "い (mamorictl evidence record contact_chart --date 日付)。",
         "Make or review the contact chart (staff, vendors, MHLW, police) and record its date "
         "(mamorictl evidence record contact_chart --date DATE)."}},
       EvaluateContactChart},
      {{"MAM-ORG-003",
        {"MDS/SDS を受領していない", "Vendors' MDS/SDS not received"},
        {"2-3"},
        {"各システムの事業者に MDS/SDS (医療情報セキュリティ開示書) を依頼し、受領日をシステムごと"
         "に登録してください (mamorictl evidence record mds_sds --item システム名 --date 日付)。",
         "Ask each system's vendor for its MDS/SDS and record each one received (mamorictl "
         "evidence record mds_sds --item SYSTEM --date DATE)."}},
       EvaluateMdsSds},
      {{"MAM-ORG-004",
        {"バックアップの点検がない、またはオフライン保管がない",
         "Backups not checked, or no offline copy"},
        {"3-2", "心得3"},
        {"毎月バックアップが予定どおり取れているか点検し、1つはネットワークから切り離して保管して"
         "ください。点検したら登録してください (mamorictl evidence record backup --date 日付 "
         "--method 方法 --offline-copy yes)。",
         "Check every month that backups run as planned and keep one copy disconnected from the "
         "network; record each check (mamorictl evidence record backup --date DATE --method HOW "
         "--offline-copy yes)."}},
       EvaluateBackup},
      {{"MAM-ORG-005",
        {"復元テストをしていない、または古い", "Restore not tested recently"},
        {"3-2"},
        {"バックアップから実際に復元できるか確かめ、その日付を登録してください (mamorictl "
         "evidence record restore_test --date 日付)。",
         "Test restoring from the backup and record the date (mamorictl evidence record "
         "restore_test --date DATE)."}},
       EvaluateRestoreTest},
      {{"MAM-ORG-006",
        {"BCP が策定されていない", "No business continuity plan"},
        {"3-3"},
        {"システムが使えないときの診療の続け方 (サイバー攻撃を想定した BCP) を作成し、その日付を"
         "登録してください (mamorictl evidence record bcp --date 日付)。",
         "Write a business continuity plan for when the systems are down after a cyber attack "
         "and record its date (mamorictl evidence record bcp --date DATE)."}},
       EvaluateBcp},
      {{"MAM-ORG-007",
        {"訓練をしていない、または1年以上前", "No BCP drill within a year"},
        {"3-3"},
        {"BCP に沿った訓練・演習を年1回以上行い、その日付を登録してください (mamorictl evidence "
         "record drill --date 日付)。",
         "Hold a drill of the BCP at least once a year and record its date (mamorictl evidence "
         "record drill --date DATE)."}},
       EvaluateDrill},
  };
  return kRules;
}

}  // namespace

std::optional<LocalDate> ParseOrgDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  std::array<int, 3> value = {0, 0, 0};
  std::size_t field = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == 4 || i == 7) {
      ++field;
      continue;
    }
    if (!IsDigit(text[i])) {
      return std::nullopt;
    }
    value[field] = value[field] * 10 + (text[i] - '0');
  }
  const LocalDate date{std::chrono::year{value[0]},
                       std::chrono::month{static_cast<unsigned>(value[1])},
                       std::chrono::day{static_cast<unsigned>(value[2])}};
  if (!date.ok()) {
    return std::nullopt;
  }
  return date;
}

LocalDate OrgToday(const Policy& policy, facts::Timestamp now) {
  return LocalDate{std::chrono::floor<std::chrono::days>(now + policy.business_hours.utc_offset)};
}

std::string_view OrgRecordKindName(OrgRecordKind kind) {
  for (const auto& [known, name] : kKindNames) {
    if (known == kind) {
      return name;
    }
  }
  return "";
}

std::optional<OrgRecordKind> ParseOrgRecordKind(std::string_view name) {
  for (const auto& [kind, known] : kKindNames) {
    if (known == name) {
      return kind;
    }
  }
  return std::nullopt;
}

const std::vector<OrgRuleDefinition>& OrgRuleCatalogue() {
  static const std::vector<OrgRuleDefinition> kCatalogue = [] {
    std::vector<OrgRuleDefinition> definitions;
    for (const OrgRule& rule : OrgRules()) {
      definitions.push_back(rule.definition);
    }
    return definitions;
  }();
  return kCatalogue;
}

std::vector<Finding> EvaluateOrgRules(const OrgRegister& evidence, const Policy& policy,
                                      facts::Timestamp now) {
  const OrgContext context{evidence, policy, std::chrono::sys_days{OrgToday(policy, now)}};
  std::vector<Finding> findings;
  for (const OrgRule& rule : OrgRules()) {
    RuleOutcome outcome = rule.evaluate(context);
    Finding finding;
    finding.rule_id = rule.definition.id;
    finding.area = "ORG";
    finding.title = rule.definition.title;
    finding.status = outcome.status;
    finding.evidence = std::move(outcome.evidence);
    finding.remediation = rule.definition.remediation;
    for (std::string_view key : rule.definition.mhlw) {
      if (std::optional<MhlwReference> reference = FindMhlwReference(key)) {
        finding.mhlw.push_back(*reference);
      }
    }
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace mamori::rules
