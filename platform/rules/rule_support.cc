// Shared helpers for the rules' evidence texts.
#include "platform/rules/rule_support.h"

#include <chrono>
#include <cstdio>

namespace mamori::rules {

std::optional<RuleOutcome> UnknownUnlessCollected(const facts::SectionMeta& meta,
                                                  std::string_view section_ja) {
  if (meta.status.ok()) {
    return std::nullopt;
  }
  std::string evidence = std::string(section_ja) + "の情報を取得できませんでした";
  evidence += meta.status.state == facts::ProbeState::kError ? " (エラー): " : ": ";
  evidence += meta.status.reason.empty() ? "理由不明" : meta.status.reason;
  return RuleOutcome{Status::kUnknown, std::move(evidence)};
}

int64_t DaysBetween(facts::Timestamp earlier, facts::Timestamp later) {
  return static_cast<int64_t>(std::chrono::floor<std::chrono::days>(later - earlier).count());
}

std::string JoinForEvidence(const std::vector<std::string>& items, std::size_t limit) {
  std::string joined;
  for (std::size_t i = 0; i < items.size() && i < limit; ++i) {
    if (i > 0) {
      joined += ", ";
    }
    joined += items[i];
  }
  if (items.size() > limit) {
    joined += " 他" + std::to_string(items.size() - limit) + "件";
  }
  return joined;
}

std::string DateText(facts::Timestamp time) {
  const std::chrono::year_month_day date{std::chrono::floor<std::chrono::days>(time)};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buffer;
}

std::string DurationText(std::chrono::seconds duration) {
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(duration).count();
  return std::to_string(minutes / 60) + "時間" + std::to_string(minutes % 60) + "分";
}

bool IsServer(const RuleContext& context) { return context.role.role == facts::HostRole::kServer; }

RuleOutcome NotApplicableOnServer(const RuleContext& context) {
  return {Status::kNa, "サーバのため対象外 (役割: " + context.role.description + ")"};
}

}  // namespace mamori::rules
