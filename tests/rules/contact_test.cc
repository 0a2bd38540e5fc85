// Whether the collector hears from a host as it should (the facts behind MAM-AGENT-001).
#include "platform/rules/contact.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

namespace mamori::rules {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using ::testing::HasSubstr;

facts::Timestamp Jst(int year, unsigned month, unsigned day, int hour, int minute) {
  const std::chrono::sys_days date{std::chrono::year{year} / std::chrono::month{month} /
                                   std::chrono::day{day}};
  return facts::Timestamp{date} + hours{hour} + minutes{minute} - hours{9};
}

ContactObservation LastHeardAt(facts::Timestamp when) {
  ContactObservation observation;
  observation.last_contact = when;
  return observation;
}

constexpr bool kServer = true;
constexpr bool kWorkstation = false;

TEST(ContactClassification, AHostHeardWithinTwoHeartbeatsIsOnline) {
  const facts::Timestamp now = Jst(2026, 11, 25, 22, 0);
  for (bool server : {kServer, kWorkstation}) {
    const ContactVerdict verdict =
        ClassifyContact(LastHeardAt(now - minutes{9}), server, Policy{}, now);
    EXPECT_EQ(verdict.state, ContactState::kOnline);
    EXPECT_EQ(verdict.silent_for, minutes{9});
    EXPECT_THAT(verdict.evidence, HasSubstr("最終受信 2026-11-25 21:51"));
  }
}

TEST(ContactClassification, AServerSilentLongerThanItsLimitIsStale) {
  const facts::Timestamp now = Jst(2026, 11, 28, 3, 0);  // a Saturday night: servers still run
  const ContactVerdict stale =
      ClassifyContact(LastHeardAt(now - minutes{45}), kServer, Policy{}, now);
  EXPECT_EQ(stale.state, ContactState::kStale);
  EXPECT_EQ(stale.silent_for, minutes{45});
  EXPECT_THAT(stale.evidence, HasSubstr("最終受信 2026-11-28 02:15"));
  EXPECT_THAT(stale.evidence, HasSubstr("0時間45分 応答なし"));

  const ContactVerdict late =
      ClassifyContact(LastHeardAt(now - minutes{25}), kServer, Policy{}, now);
  EXPECT_EQ(late.state, ContactState::kOnline);
}

TEST(ContactClassification, FollowsTheServerLimitOfThePolicy) {
  Policy policy;
  policy.server_silent_minutes = 120;
  const facts::Timestamp now = Jst(2026, 11, 28, 3, 0);
  EXPECT_EQ(ClassifyContact(LastHeardAt(now - minutes{45}), kServer, policy, now).state,
            ContactState::kOnline);
  EXPECT_EQ(ClassifyContact(LastHeardAt(now - minutes{121}), kServer, policy, now).state,
            ContactState::kStale);
}

TEST(ContactClassification, AWorkstationOffOverTheWeekendIsOffAsExpected) {
  // Switched off on Friday evening, checked on Monday morning before and just after opening.
  const ContactObservation friday = LastHeardAt(Jst(2026, 11, 27, 19, 10));
  const ContactVerdict early =
      ClassifyContact(friday, kWorkstation, Policy{}, Jst(2026, 11, 30, 8, 0));
  EXPECT_EQ(early.state, ContactState::kOffExpected);
  EXPECT_EQ(early.silent_business_time, seconds{0});
  EXPECT_THAT(early.evidence, HasSubstr("最終受信 2026-11-27 19:10"));

  const ContactVerdict after_opening =
      ClassifyContact(friday, kWorkstation, Policy{}, Jst(2026, 11, 30, 9, 30));
  EXPECT_EQ(after_opening.state, ContactState::kOffExpected);
  EXPECT_EQ(after_opening.silent_business_time, hours{1});
}

TEST(ContactClassification, AWorkstationSilentThroughAWholeBusinessDayIsStale) {
  // Last heard Friday 19:10; silent all Monday (10 h) and Tuesday until 10:30 (2 h).
  const ContactVerdict verdict = ClassifyContact(LastHeardAt(Jst(2026, 11, 27, 19, 10)),
                                                 kWorkstation, Policy{}, Jst(2026, 12, 1, 10, 30));
  EXPECT_EQ(verdict.state, ContactState::kStale);
  EXPECT_EQ(verdict.silent_business_time, hours{12});
  EXPECT_THAT(verdict.evidence,
              HasSubstr("最終受信 2026-11-27 19:10 (営業時間内に 12時間0分 応答なし"));
}

TEST(ContactClassification, AWorkstationsLimitCountsOnlyBusinessTime) {
  Policy policy;
  policy.workstation_silent_business_hours = 3;
  policy.business_hours.holidays = {std::chrono::year{2026} / 11 / 30};  // the Monday
  const ContactObservation friday = LastHeardAt(Jst(2026, 11, 27, 19, 10));
  EXPECT_EQ(ClassifyContact(friday, kWorkstation, policy, Jst(2026, 12, 1, 11, 30)).state,
            ContactState::kOffExpected);
  EXPECT_EQ(ClassifyContact(friday, kWorkstation, policy, Jst(2026, 12, 1, 11, 31)).state,
            ContactState::kStale);
}

TEST(ContactClassification, AHostNeverHeardFromHasNeverReported) {
  const ContactVerdict verdict =
      ClassifyContact(ContactObservation{}, kWorkstation, Policy{}, Jst(2026, 11, 25, 10, 0));
  EXPECT_EQ(verdict.state, ContactState::kNeverReported);
  EXPECT_FALSE(verdict.evidence.empty());
}

TEST(ContactClassification, AContactStampedInTheFutureIsOnlineNotANegativeSilence) {
  const facts::Timestamp now = Jst(2026, 11, 25, 10, 0);
  const ContactVerdict verdict =
      ClassifyContact(LastHeardAt(now + minutes{3}), kServer, Policy{}, now);
  EXPECT_EQ(verdict.state, ContactState::kOnline);
  EXPECT_EQ(verdict.silent_for, seconds{0});
}

TEST(ContactClassification, FollowsTheHeartbeatInterval) {
  const facts::Timestamp now = Jst(2026, 11, 25, 10, 0);
  ContactObservation observation = LastHeardAt(now - minutes{25});
  observation.heartbeat_interval = minutes{15};
  EXPECT_EQ(ClassifyContact(observation, kWorkstation, Policy{}, now).state, ContactState::kOnline);
  observation.heartbeat_interval = minutes{5};
  EXPECT_EQ(ClassifyContact(observation, kWorkstation, Policy{}, now).state,
            ContactState::kOffExpected);
}

}  // namespace
}  // namespace mamori::rules
