// Rules on anti-malware (心得6, 心得8, 心得9).
#include <algorithm>
#include <optional>

#include "platform/rules/rule_evaluators.h"
#include "platform/rules/rule_support.h"

namespace mamori::rules {
namespace {

std::string_view StateText(facts::AntivirusState state) {
  switch (state) {
    case facts::AntivirusState::kOn:
      return "稼働中";
    case facts::AntivirusState::kOff:
      return "停止";
    case facts::AntivirusState::kSnoozed:
      return "一時停止";
    case facts::AntivirusState::kExpired:
      return "期限切れ";
    case facts::AntivirusState::kPassive:
      return "パッシブ (他製品が主)";
    case facts::AntivirusState::kUnspecified:
      break;
  }
  return "状態不明";
}

std::string ProductsSeen(const facts::Antivirus& antivirus) {
  std::vector<std::string> seen;
  for (const facts::AntivirusProduct& product : antivirus.products) {
    seen.push_back(product.name + " (" + std::string(StateText(product.state)) + ")");
  }
  return JoinForEvidence(seen);
}

std::vector<const facts::AntivirusProduct*> RunningProducts(const facts::Antivirus& antivirus) {
  std::vector<const facts::AntivirusProduct*> running;
  for (const facts::AntivirusProduct& product : antivirus.products) {
    if (product.state == facts::AntivirusState::kOn) {
      running.push_back(&product);
    }
  }
  return running;
}

}  // namespace

RuleOutcome EvaluateAntivirusRunning(const RuleContext& context) {
  const facts::Antivirus& antivirus = context.facts.antivirus;
  if (auto unknown = UnknownUnlessCollected(antivirus.meta, "ウイルス対策")) {
    return *unknown;
  }
  if (antivirus.products.empty()) {
    return {Status::kFail, "ウイルス対策ソフトが見つかりません"};
  }
  if (RunningProducts(antivirus).empty()) {
    return {Status::kFail, "稼働中のウイルス対策ソフトがありません: " + ProductsSeen(antivirus)};
  }
  return {Status::kPass, "検出: " + ProductsSeen(antivirus)};
}

RuleOutcome EvaluateRealtimeProtection(const RuleContext& context) {
  const facts::Antivirus& antivirus = context.facts.antivirus;
  if (auto unknown = UnknownUnlessCollected(antivirus.meta, "ウイルス対策")) {
    return *unknown;
  }
  bool unknown_realtime = false;
  for (const facts::AntivirusProduct* product : RunningProducts(antivirus)) {
    if (product->realtime_protection.value_or(false)) {
      return {Status::kPass, product->name + " のリアルタイム保護 (オンアクセス検査) が有効"};
    }
    unknown_realtime = unknown_realtime || !product->realtime_protection.has_value();
  }
  if (unknown_realtime) {
    return {Status::kUnknown,
            "稼働中の製品のリアルタイム保護の状態を確認できません: " + ProductsSeen(antivirus)};
  }
  const std::string evidence =
      "リアルタイム保護 (オンアクセス検査) が有効な製品がありません" +
      (antivirus.products.empty() ? std::string() : ": " + ProductsSeen(antivirus));
  // A Linux server scanned on schedule is a common, defensible setup; a PC staff use every day is
  // not, and neither is a Windows server: Defender gives it real-time protection out of the box, so
  // having it off is a deliberate change.
  if (IsServer(context) && context.facts.inventory.os_family != facts::OsFamily::kWindows) {
    return {Status::kWarn, evidence + " (役割: " + context.role.description + ")"};
  }
  return {Status::kFail, evidence + " (役割: " + context.role.description + ")"};
}

RuleOutcome EvaluateSignatureAge(const RuleContext& context) {
  const facts::Antivirus& antivirus = context.facts.antivirus;
  if (auto unknown = UnknownUnlessCollected(antivirus.meta, "ウイルス対策")) {
    return *unknown;
  }
  std::vector<const facts::AntivirusProduct*> candidates = RunningProducts(antivirus);
  if (candidates.empty()) {
    return {Status::kNa, "稼働中のウイルス対策ソフトがないため対象外 (MAM-AV-001 を参照)"};
  }
  // The freshest definitions among the running products protect the host.
  const facts::AntivirusProduct* freshest = nullptr;
  for (const facts::AntivirusProduct* product : candidates) {
    if (product->signatures_updated_at &&
        (freshest == nullptr ||
         *product->signatures_updated_at > *freshest->signatures_updated_at)) {
      freshest = product;
    }
  }
  if (freshest != nullptr) {
    const int64_t days = DaysBetween(*freshest->signatures_updated_at, context.now);
    const std::string seen = freshest->name +
                             " の定義ファイル: " + DateText(*freshest->signatures_updated_at) +
                             " (" + std::to_string(std::max<int64_t>(days, 0)) + "日前)";
    if (days >= context.policy.signature_fail_days) {
      return {Status::kFail, seen};
    }
    if (days >= context.policy.signature_warn_days) {
      return {Status::kWarn, seen};
    }
    return {Status::kPass, seen};
  }
  // Windows Security Center reports only "up to date or not", judged by the product itself.
  for (const facts::AntivirusProduct* product : candidates) {
    if (product->signatures_up_to_date == true) {
      return {Status::kPass, product->name + " が定義ファイルを最新と報告 (更新日時は不明)"};
    }
  }
  for (const facts::AntivirusProduct* product : candidates) {
    if (product->signatures_up_to_date == false) {
      return {Status::kFail, product->name + " が定義ファイルの期限切れを報告"};
    }
  }
  return {Status::kUnknown, "定義ファイルの更新日時を確認できません: " + ProductsSeen(antivirus)};
}

}  // namespace mamori::rules
