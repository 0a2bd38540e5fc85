// Rules on machines left on and unattended (心得8: power off machines not in use). Workstations
// only: a server is meant to run unattended.
#include <chrono>

#include "platform/rules/rule_evaluators.h"
#include "platform/rules/rule_support.h"

namespace mamori::rules {
namespace {

std::string DurationText(std::chrono::seconds duration) {
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(duration).count();
  return std::to_string(minutes / 60) + "時間" + std::to_string(minutes % 60) + "分";
}

}  // namespace

RuleOutcome EvaluateIdleSessions(const RuleContext& context) {
  if (IsServer(context)) {
    return NotApplicableOnServer(context);
  }
  const facts::PowerState& power = context.facts.power;
  if (auto unknown = UnknownUnlessCollected(power.meta, "電源・セッション")) {
    return *unknown;
  }
  const std::chrono::seconds threshold =
      std::chrono::minutes{context.policy.idle_session_warn_minutes};
  std::vector<std::string> idle;
  bool any_unknown = false;
  for (const facts::UserSession& session : power.sessions) {
    if (session.idle_since) {
      const std::chrono::seconds idle_for = context.now - *session.idle_since;
      if (idle_for >= threshold) {
        idle.push_back(session.user + " (" + (session.type.empty() ? "session" : session.type) +
                       ", " + DurationText(idle_for) + "操作なし" +
                       (session.locked == true ? ", ロック中" : "") + ")");
      }
    } else if (session.idle != false) {
      any_unknown = true;
    }
  }
  if (idle.empty() && power.idle && *power.idle >= threshold) {
    idle.push_back("最後の操作から " + DurationText(*power.idle));
  }
  if (!idle.empty()) {
    return {Status::kWarn, "長時間操作のないセッション: " + JoinForEvidence(idle)};
  }
  if (power.sessions.empty() && !power.idle) {
    return {Status::kPass, "ログイン中のセッションなし"};
  }
  if (any_unknown && !power.idle) {
    return {Status::kUnknown, "セッションの無操作時間を確認できません"};
  }
  return {Status::kPass, "無操作が " + DurationText(threshold) +
                             " 以上のセッションなし (セッション " +
                             std::to_string(power.sessions.size()) + "件)"};
}

RuleOutcome EvaluateSleepDisabled(const RuleContext& context) {
  if (IsServer(context)) {
    return NotApplicableOnServer(context);
  }
  const facts::PowerState& power = context.facts.power;
  if (auto unknown = UnknownUnlessCollected(power.meta, "電源・セッション")) {
    return *unknown;
  }
  // Windows reports "sleep after 0 s" for never; Linux reports sleep_disabled directly.
  const bool never_on_ac = power.sleep_after_ac && power.sleep_after_ac->count() == 0;
  if (power.sleep_disabled == true || never_on_ac) {
    return {Status::kWarn, "自動スリープが無効です (役割: " + context.role.description + ")"};
  }
  if (power.sleep_disabled == false || power.sleep_after_ac) {
    std::string evidence = "自動スリープは有効";
    if (power.sleep_after_ac) {
      evidence += " (AC電源時 " + DurationText(*power.sleep_after_ac) + "後)";
    }
    return {Status::kPass, evidence};
  }
  return {Status::kUnknown, "自動スリープの設定を確認できません"};
}

}  // namespace mamori::rules
