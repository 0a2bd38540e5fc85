// Classifies the collector's last contact with a host: a server must answer around the clock, a
// workstation only during business hours.
#include "platform/rules/contact.h"

#include <algorithm>

#include "platform/rules/rule_support.h"

namespace mamori::rules {

ContactVerdict ClassifyContact(const ContactObservation& observation, bool is_server,
                               const Policy& policy, facts::Timestamp now) {
  ContactVerdict verdict;
  if (!observation.last_contact) {
    verdict.state = ContactState::kNeverReported;
    verdict.evidence = "エージェントからの受信記録がありません (登録後に一度も報告なし)";
    return verdict;
  }
  const BusinessHours& hours = policy.business_hours;
  const facts::Timestamp last = *observation.last_contact;
  // A clock ahead of ours on the agent's side must not look like a negative silence.
  verdict.silent_for = std::max(now - last, std::chrono::seconds{0});
  verdict.silent_business_time = BusinessTimeBetween(hours, last, now);
  const std::string last_text = "最終受信 " + LocalTimeText(hours, last);

  if (verdict.silent_for < 2 * observation.heartbeat_interval) {
    verdict.state = ContactState::kOnline;
    verdict.evidence = last_text + " (応答あり)";
    return verdict;
  }
  if (is_server) {
    const std::chrono::minutes limit{policy.server_silent_minutes};
    const std::string silence = DurationText(verdict.silent_for) + " 応答なし";
    if (verdict.silent_for > limit) {
      verdict.state = ContactState::kStale;
      verdict.evidence =
          last_text + " (" + silence + "、サーバの許容 " + DurationText(limit) + " を超過)";
    } else {
      // A late heartbeat, not yet a silence worth reporting.
      verdict.state = ContactState::kOnline;
      verdict.evidence =
          last_text + " (" + silence + "、サーバの許容 " + DurationText(limit) + " 以内)";
    }
    return verdict;
  }
  const std::chrono::hours limit{policy.workstation_silent_business_hours};
  if (verdict.silent_business_time > limit) {
    verdict.state = ContactState::kStale;
    verdict.evidence = last_text + " (営業時間内に " + DurationText(verdict.silent_business_time) +
                       " 応答なし、許容 " + DurationText(limit) + " を超過)";
  } else if (verdict.silent_business_time.count() == 0) {
    verdict.state = ContactState::kOffExpected;
    verdict.evidence = last_text + " (以後は営業時間外のみ: 電源オフとみなします)";
  } else {
    verdict.state = ContactState::kOffExpected;
    verdict.evidence = last_text + " (営業時間内の無応答 " +
                       DurationText(verdict.silent_business_time) + "、許容 " +
                       DurationText(limit) + " 以内)";
  }
  return verdict;
}

}  // namespace mamori::rules
