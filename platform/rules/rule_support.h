// Small helpers the rules share: turning a probe's status into an unknown outcome, day counts and
// Japanese list formatting for evidence.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/facts/host_facts.h"
#include "platform/rules/rule_catalogue.h"

namespace mamori::rules {

// unknown with the probe's reason when the section was not collected; nullopt when it was. Every
// rule starts with this, so an unreadable section can never look like a pass.
std::optional<RuleOutcome> UnknownUnlessCollected(const facts::SectionMeta& meta,
                                                  std::string_view section_ja);

// Whole days from `earlier` to `later` (negative when `earlier` is in the future).
int64_t DaysBetween(facts::Timestamp earlier, facts::Timestamp later);

// "a, b, c" and, past `limit` items, "... 他N件".
std::string JoinForEvidence(const std::vector<std::string>& items, std::size_t limit = 10);

// "2026-11-25" (UTC date).
std::string DateText(facts::Timestamp time);

// "3時間10分": a duration in whole hours and minutes (seconds dropped), for evidence.
std::string DurationText(std::chrono::seconds duration);

bool IsServer(const RuleContext& context);

// na on servers, with the role's description as evidence.
RuleOutcome NotApplicableOnServer(const RuleContext& context);

}  // namespace mamori::rules
