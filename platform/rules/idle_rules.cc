// Rules on machines left on and unattended (心得8: power off machines not in use). Workstations
// only: a server is meant to run unattended. MAM-IDLE-001 fails a workstation left on and idle
// outside the clinic's business hours, and warns for a long idle session within them.
#include <algorithm>
#include <chrono>
#include <optional>

#include "platform/rules/business_hours.h"
#include "platform/rules/rule_evaluators.h"
#include "platform/rules/rule_support.h"

namespace mamori::rules {
namespace {

// Time since the last input on any session: the probe's own figure, else the shortest of the
// sessions' when every session reports one (as the probes compute it).
std::optional<std::chrono::seconds> MachineIdle(const facts::PowerState& power,
                                                facts::Timestamp now) {
  if (power.idle) {
    return power.idle;
  }
  std::optional<std::chrono::seconds> shortest;
  for (const facts::UserSession& session : power.sessions) {
    if (!session.idle_since) {
      return std::nullopt;
    }
    const std::chrono::seconds since = now - std::min(*session.idle_since, now);
    shortest = shortest ? std::min(*shortest, since) : since;
  }
  return shortest;
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
  // Outside business hours a machine left on and idle is what 心得8 asks to switch off: a
  // failure, not a reminder.
  const std::optional<std::chrono::seconds> machine_idle = MachineIdle(power, context.now);
  const BusinessHours& hours = context.policy.business_hours;
  if (machine_idle &&
      *machine_idle >= std::chrono::minutes{context.policy.idle_after_hours_minutes} &&
      !IsBusinessTime(hours, context.now)) {
    return {Status::kFail, "営業時間外 (" + LocalTimeText(hours, context.now) +
                               " 時点) に電源が入ったまま " + DurationText(*machine_idle) +
                               " 操作なし (最後の操作 " +
                               LocalTimeText(hours, context.now - *machine_idle) + ")"};
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
