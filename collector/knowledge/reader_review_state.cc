#include "collector/knowledge/reader_review_state.h"

#include <array>
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace mamori::collector {
namespace {

// In the order people should read them: privileges first.
constexpr std::array<std::pair<absl::string_view, absl::string_view>, 5> kMaterialChanges = {{
    {"admin", "管理者権限が変わりました"},
    {"enabled", "有効/無効が変わりました"},
    {"password_changed_at", "パスワードが変更されました"},
    {"password_empty", "空パスワードの状態が変わりました"},
    {"id", "アカウントが作り直されました (ID変更)"},
}};

// A material text that differs only in a way none of the known keys explains (a key the writer
// added later, or damaged text) still makes the review due.
constexpr absl::string_view kOtherMaterialChange = "確認対象の属性が変わりました";

std::map<std::string, std::string, std::less<>> ParseMaterial(absl::string_view material) {
  std::map<std::string, std::string, std::less<>> values;
  for (absl::string_view part : absl::StrSplit(material, ';', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> key_value = absl::StrSplit(part, '=');
    values.emplace(std::string(key_value.first), std::string(key_value.second));
  }
  return values;
}

}  // namespace

absl::string_view ReviewDecisionName(mamori::v1::ReviewDecision decision) {
  switch (decision) {
    case mamori::v1::REVIEW_DECISION_KEEP:
      return "keep";
    case mamori::v1::REVIEW_DECISION_REMOVE:
      return "remove";
    case mamori::v1::REVIEW_DECISION_INVESTIGATE:
      return "investigate";
    default:
      return "";
  }
}

mamori::v1::ReviewDecision ParseReviewDecision(absl::string_view name) {
  if (name == "keep") {
    return mamori::v1::REVIEW_DECISION_KEEP;
  }
  if (name == "remove") {
    return mamori::v1::REVIEW_DECISION_REMOVE;
  }
  if (name == "investigate") {
    return mamori::v1::REVIEW_DECISION_INVESTIGATE;
  }
  return mamori::v1::REVIEW_DECISION_UNSPECIFIED;
}

absl::Time ReviewValidUntil(mamori::v1::ReviewDecision decision, absl::Time reviewed_at) {
  return reviewed_at + (decision == mamori::v1::REVIEW_DECISION_KEEP ? kKeepReviewValidity
                                                                     : kFollowUpReviewValidity);
}

std::string DescribeMaterialChange(absl::string_view reviewed, absl::string_view current) {
  if (reviewed == current) {
    return "";
  }
  const auto before = ParseMaterial(reviewed);
  const auto after = ParseMaterial(current);
  std::vector<absl::string_view> changes;
  for (const auto& [key, description] : kMaterialChanges) {
    const auto old_value = before.find(key);
    const auto new_value = after.find(key);
    const bool old_known = old_value != before.end();
    const bool new_known = new_value != after.end();
    if (old_known != new_known || (old_known && old_value->second != new_value->second)) {
      changes.push_back(description);
    }
  }
  if (changes.empty()) {
    changes.push_back(kOtherMaterialChange);
  }
  return absl::StrJoin(changes, "、");
}

ReviewDue DecideReviewDue(bool account_removed, absl::string_view current_material,
                          const std::optional<NewestReview>& newest, absl::Time now) {
  if (account_removed) {
    return {};
  }
  // A superseded review is closed too, so only the newest one says whether a decision stands.
  if (!newest.has_value() || newest->closed) {
    return {.due = true, .reason = "未レビュー"};
  }
  if (std::string change = DescribeMaterialChange(newest->material, current_material);
      !change.empty()) {
    return {.due = true, .reason = std::move(change)};
  }
  if (newest->valid_until.has_value() && now >= *newest->valid_until) {
    switch (newest->decision) {
      case mamori::v1::REVIEW_DECISION_KEEP:
        return {.due = true, .reason = "前回のレビューから6か月経過"};
      case mamori::v1::REVIEW_DECISION_INVESTIGATE:
        return {.due = true, .reason = "調査中のまま30日経過"};
      case mamori::v1::REVIEW_DECISION_REMOVE:
        return {.due = true, .reason = "削除予定のまま30日経過"};
      default:
        return {.due = true, .reason = "レビューの有効期限切れ"};
    }
  }
  return {};
}

}  // namespace mamori::collector
