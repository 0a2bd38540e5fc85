// Rules on updates and end of support (MHLW checklist 2-7, 心得6).
#include <algorithm>
#include <optional>

#include "platform/rules/end_of_support.h"
#include "platform/rules/rule_evaluators.h"
#include "platform/rules/rule_support.h"

namespace mamori::rules {
namespace {

std::string UpdateName(const facts::PendingUpdate& update) {
  std::string name = update.name;
  if (!update.candidate_version.empty()) {
    name += " (" + update.candidate_version + ")";
  }
  return name;
}

std::optional<std::chrono::year_month_day> ParseDate(std::string_view text) {
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  if (text.size() != 10 || std::sscanf(std::string(text).c_str(), "%4d-%2u-%2u", &y, &m, &d) != 3) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year{y}, std::chrono::month{m},
                                         std::chrono::day{d}};
  if (!date.ok()) {
    return std::nullopt;
  }
  return date;
}

}  // namespace

RuleOutcome EvaluatePendingSecurityUpdates(const RuleContext& context) {
  const facts::PatchState& patch = context.facts.patch;
  if (auto unknown = UnknownUnlessCollected(patch.meta, "更新プログラム")) {
    return *unknown;
  }
  std::vector<std::string> security;
  for (const facts::PendingUpdate& update : patch.pending) {
    if (update.security) {
      security.push_back(UpdateName(update));
    }
  }
  if (!security.empty()) {
    return {Status::kFail, "未適用のセキュリティ更新 " + std::to_string(security.size()) +
                               "件: " + JoinForEvidence(security)};
  }
  return {Status::kPass, "未適用のセキュリティ更新なし (その他の更新 " +
                             std::to_string(patch.pending.size()) + "件)"};
}

RuleOutcome EvaluateOsEndOfSupport(const RuleContext& context) {
  const facts::Inventory& inventory = context.facts.inventory;
  if (auto unknown = UnknownUnlessCollected(inventory.meta, "OSの種類")) {
    return *unknown;
  }
  const std::string os =
      !inventory.os_pretty_name.empty() ? inventory.os_pretty_name : inventory.os_name;
  std::optional<EndOfSupport> support = FindEndOfSupport(inventory);
  if (!support) {
    // A probe may know a date the table does not (e.g. from the vendor); the table wins otherwise.
    if (std::optional<std::chrono::year_month_day> date =
            ParseDate(context.facts.patch.os_support_ends)) {
      support = EndOfSupport{os, *date};
    }
  }
  if (!support) {
    return {Status::kUnknown, "サポート終了日の表にないOSです: " + os + " (ID " + inventory.os_id +
                                  ", バージョン " + inventory.os_version + ", ビルド " +
                                  inventory.os_build + ")"};
  }
  // Calendar days in UTC: the end date is the last day of support, "残り0日" on that day.
  const std::chrono::sys_days ends{support->ends};
  const std::chrono::sys_days today = std::chrono::floor<std::chrono::days>(context.now);
  const std::string ends_text = DateText(facts::Timestamp{ends});
  const int64_t days_left = static_cast<int64_t>((ends - today).count());
  if (days_left < 0) {
    return {Status::kFail, support->product + " のサポートは " + ends_text + " に終了しました (" +
                               std::to_string(-days_left) + "日経過)"};
  }
  if (days_left < context.policy.end_of_support_warn_days) {
    return {Status::kWarn, support->product + " のサポートは " + ends_text + " に終了します (残り" +
                               std::to_string(days_left) + "日)"};
  }
  return {Status::kPass, support->product + " のサポート終了日は " + ends_text + " (残り" +
                             std::to_string(days_left) + "日)"};
}

RuleOutcome EvaluateRebootRequired(const RuleContext& context) {
  const facts::PatchState& patch = context.facts.patch;
  if (auto unknown = UnknownUnlessCollected(patch.meta, "更新プログラム")) {
    return *unknown;
  }
  if (!patch.reboot_required) {
    return {Status::kUnknown, "再起動が必要かどうかを確認できませんでした"};
  }
  if (*patch.reboot_required) {
    return {Status::kWarn, "更新を完了するための再起動が保留中です"};
  }
  return {Status::kPass, "保留中の再起動なし"};
}

RuleOutcome EvaluateUpdateActivity(const RuleContext& context) {
  const facts::PatchState& patch = context.facts.patch;
  if (auto unknown = UnknownUnlessCollected(patch.meta, "更新プログラム")) {
    return *unknown;
  }
  // A host with nothing to install still checks for updates: either activity counts.
  std::optional<facts::Timestamp> last = patch.last_update_installed;
  if (patch.last_update_check && (!last || *patch.last_update_check > *last)) {
    last = patch.last_update_check;
  }
  std::string service_note;
  if (patch.update_service_disabled.value_or(false)) {
    service_note = " (更新サービスが無効化されています)";
  }
  if (!last) {
    return {Status::kUnknown, "更新の確認・適用の記録が見つかりません" + service_note};
  }
  const int64_t days = DaysBetween(*last, context.now);
  const std::string seen = "最後の更新の確認・適用: " + DateText(*last) + " (" +
                           std::to_string(std::max<int64_t>(days, 0)) + "日前)" + service_note;
  // A disabled update service means the next updates will not come, however recent the last one
  // was.
  if (days >= context.policy.update_activity_warn_days || !service_note.empty()) {
    return {Status::kWarn, seen};
  }
  return {Status::kPass, seen};
}

}  // namespace mamori::rules
