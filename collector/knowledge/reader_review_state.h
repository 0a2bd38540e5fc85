// When an account review (棚卸し) is due again, decided at read time from the newest review, the
// account's current material facts and the clock: nothing stored has to be swept for it to become
// due.
#pragma once

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "mamori/v1/query.pb.h"

namespace mamori::collector {

// How long a decision stands before the account is due again.
inline constexpr absl::Duration kKeepReviewValidity = absl::Hours(24 * 183);  // about 6 months
inline constexpr absl::Duration kFollowUpReviewValidity = absl::Hours(24 * 30);

// The stored spelling of a decision ("keep", "remove", "investigate"); empty for UNSPECIFIED.
absl::string_view ReviewDecisionName(mamori::v1::ReviewDecision decision);
// UNSPECIFIED for text that is none of them.
mamori::v1::ReviewDecision ParseReviewDecision(absl::string_view name);

// When a decision made at `reviewed_at` stops standing on its own.
absl::Time ReviewValidUntil(mamori::v1::ReviewDecision decision, absl::Time reviewed_at);

// The newest review of an account, as far as the due decision needs it.
struct NewestReview {
  mamori::v1::ReviewDecision decision = mamori::v1::REVIEW_DECISION_UNSPECIFIED;
  std::string material;  // host_accounts.material when it was reviewed
  std::optional<absl::Time> valid_until;
  bool closed = false;
};

struct ReviewDue {
  bool due = false;
  std::string reason;  // Japanese, empty when not due
};

// A removed account is never due. No review, or a closed newest review: "未レビュー". An open
// review is due when the material facts changed since (the reason names each change), else once
// `now` reaches valid_until.
ReviewDue DecideReviewDue(bool account_removed, absl::string_view current_material,
                          const std::optional<NewestReview>& newest, absl::Time now);

// The Japanese description of what differs between two material texts
// ("id=..;enabled=..;admin=..;password_empty=..;password_changed_at=.."), changes joined with "、";
// empty when they are the same.
std::string DescribeMaterialChange(absl::string_view reviewed, absl::string_view current);

}  // namespace mamori::collector
