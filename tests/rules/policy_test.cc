// The policy file: defaults, overrides, and line-numbered errors for anything wrong.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <string>
#include <vector>

#include "platform/rules/policy.h"

namespace mamori::rules {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(PolicyParsing, AnEmptyFileKeepsTheDefaultsOfIssue4) {
  const PolicyParseResult result = ParsePolicy("", "policy.toml");
  ASSERT_TRUE(result.policy.has_value());
  EXPECT_EQ(*result.policy, Policy{});
  EXPECT_EQ(result.policy->signature_warn_days, 3);
  EXPECT_EQ(result.policy->signature_fail_days, 7);
  EXPECT_EQ(result.policy->idle_session_warn_minutes, 120);
  EXPECT_EQ(result.policy->max_enabled_administrators, 3);
}

TEST(PolicyParsing, ReadsEveryKnownSetting) {
  const PolicyParseResult result = ParsePolicy(R"(
# ORCA receipt server
[host]
role = "server"

[patch]
end_of_support_warn_days = 180
update_activity_warn_days = 14

[antivirus]
signature_warn_days = 2
signature_fail_days = 5

[idle]
session_warn_minutes = 60

[accounts]
unused_warn_days = 60
password_age_warn_days = 90
long_password_min_length = 15
password_min_length = 10
password_max_age_days = 30
max_enabled_administrators = 2

[lock]
max_timeout_minutes = 10
)",
                                               "policy.toml");
  ASSERT_TRUE(result.policy.has_value()) << ::testing::PrintToString(result.errors);
  const Policy& policy = *result.policy;
  EXPECT_EQ(policy.role, RolePolicy::kServer);
  EXPECT_EQ(policy.end_of_support_warn_days, 180);
  EXPECT_EQ(policy.update_activity_warn_days, 14);
  EXPECT_EQ(policy.signature_warn_days, 2);
  EXPECT_EQ(policy.signature_fail_days, 5);
  EXPECT_EQ(policy.idle_session_warn_minutes, 60);
  EXPECT_EQ(policy.unused_account_warn_days, 60);
  EXPECT_EQ(policy.password_age_warn_days, 90);
  EXPECT_EQ(policy.long_password_min_length, 15);
  EXPECT_EQ(policy.password_min_length, 10);
  EXPECT_EQ(policy.password_max_age_days, 30);
  EXPECT_EQ(policy.max_enabled_administrators, 2);
  EXPECT_EQ(policy.screen_lock_max_minutes, 10);
}

TEST(PolicyParsing, RejectsAnUnknownKeyWithItsLine) {
  const PolicyParseResult result = ParsePolicy("[patch]\n\nsecurity_update_days = 3\n", "p.toml");
  EXPECT_FALSE(result.policy.has_value());
  EXPECT_THAT(result.errors, ElementsAre("p.toml:3: unknown key patch.security_update_days"));
}

TEST(PolicyParsing, RejectsAnUnknownSectionAndATopLevelKey) {
  const PolicyParseResult result =
      ParsePolicy("verbose = true\n[backup]\nmax_age_days = 1\n", "p.toml");
  EXPECT_THAT(result.errors,
              ElementsAre("p.toml:1: unknown key verbose", "p.toml:2: unknown section [backup]"));
}

TEST(PolicyParsing, RejectsAWrongTypeWithItsLine) {
  const PolicyParseResult result =
      ParsePolicy("[antivirus]\nsignature_warn_days = \"3\"\n", "policy.toml");
  EXPECT_THAT(result.errors,
              ElementsAre("policy.toml:2: antivirus.signature_warn_days must be an integer from 1 "
                          "to 90"));
}

TEST(PolicyParsing, RejectsAValueOutOfRange) {
  const PolicyParseResult result =
      ParsePolicy("[patch]\nupdate_activity_warn_days = 0\n[lock]\nmax_timeout_minutes = 15.5\n",
                  "policy.toml");
  EXPECT_THAT(
      result.errors,
      ElementsAre("policy.toml:2: patch.update_activity_warn_days must be an integer from 1 "
                  "to 365",
                  "policy.toml:4: lock.max_timeout_minutes must be an integer from 1 to "
                  "120"));
}

TEST(PolicyParsing, RejectsAWarningThresholdAboveTheFailureThreshold) {
  const PolicyParseResult result =
      ParsePolicy("[antivirus]\nsignature_warn_days = 10\n", "policy.toml");
  EXPECT_THAT(result.errors,
              ElementsAre("policy.toml:2: antivirus.signature_warn_days must not exceed "
                          "antivirus.signature_fail_days"));
}

TEST(PolicyParsing, RejectsAnUnknownRole) {
  const PolicyParseResult result = ParsePolicy("[host]\nrole = \"desktop\"\n", "policy.toml");
  EXPECT_THAT(result.errors, ElementsAre(HasSubstr("policy.toml:2: host.role must be")));
}

TEST(PolicyParsing, ReportsTomlSyntaxErrorsWithTheirLine) {
  const PolicyParseResult result =
      ParsePolicy("[patch]\nupdate_activity_warn_days = \n", "policy.toml");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_THAT(result.errors[0], HasSubstr("policy.toml:2: "));
}

TEST(PolicyParsing, SurvivesBinaryGarbage) {
  const std::string garbage("\x00\xff\xfe[[[\x01=\"", 9);
  const PolicyParseResult result = ParsePolicy(garbage, "policy.toml");
  EXPECT_FALSE(result.policy.has_value());
  EXPECT_FALSE(result.errors.empty());
}

// --- idle.after_hours_minutes, [agent], [business_hours] ---

using std::chrono::minutes;

LocalDate Date(int year, unsigned month, unsigned day) {
  return std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day};
}

// The errors of one policy text named "p.toml".
std::vector<std::string> ErrorsOf(std::string_view text) {
  const PolicyParseResult result = ParsePolicy(text, "p.toml");
  EXPECT_EQ(result.policy.has_value(), result.errors.empty());
  return result.errors;
}

TEST(PolicyParsing, TheNewKeysDefaultToAnHourAfterHoursAndAWeekdayClinicInTokyo) {
  const Policy policy = *ParsePolicy("", "policy.toml").policy;
  EXPECT_EQ(policy.idle_after_hours_minutes, 60);
  EXPECT_EQ(policy.server_silent_minutes, 30);
  EXPECT_EQ(policy.workstation_silent_business_hours, 10);
  EXPECT_EQ(policy.business_hours.time_zone, "Asia/Tokyo");
  EXPECT_EQ(policy.business_hours.utc_offset, minutes{540});
  EXPECT_EQ(policy.business_hours.days,
            (std::array<bool, 7>{false, true, true, true, true, true, false}));
  EXPECT_EQ(policy.business_hours.open, minutes{8 * 60 + 30});
  EXPECT_EQ(policy.business_hours.close, minutes{18 * 60 + 30});
  EXPECT_FALSE(policy.business_hours.lunch_start.has_value());
  EXPECT_TRUE(policy.business_hours.holidays.empty());
}

TEST(PolicyParsing, ReadsTheAfterHoursAndAgentSettings) {
  const PolicyParseResult result = ParsePolicy(R"(
[idle]
after_hours_minutes = 30

[agent]
server_silent_minutes = 120
workstation_silent_business_hours = 24
)",
                                               "policy.toml");
  ASSERT_TRUE(result.policy.has_value()) << ::testing::PrintToString(result.errors);
  EXPECT_EQ(result.policy->idle_after_hours_minutes, 30);
  EXPECT_EQ(result.policy->server_silent_minutes, 120);
  EXPECT_EQ(result.policy->workstation_silent_business_hours, 24);
}

TEST(PolicyParsing, ReadsTheBusinessHoursTable) {
  const PolicyParseResult result = ParsePolicy(R"(
[business_hours]
time_zone = "+09:00"
days = ["mon", "tue", "wed", "fri", "Sat"]
open = "09:00"
close = "18:00"
lunch_start = "12:30"
lunch_end = "14:00"
holidays = [
  "2027-01-01",
  "2026-12-29",
  "2026-12-29",
  2026-11-23,
]
)",
                                               "policy.toml");
  ASSERT_TRUE(result.policy.has_value()) << ::testing::PrintToString(result.errors);
  const BusinessHours& hours = result.policy->business_hours;
  EXPECT_EQ(hours.time_zone, "+09:00");
  EXPECT_EQ(hours.utc_offset, minutes{540});
  EXPECT_EQ(hours.days, (std::array<bool, 7>{false, true, true, true, false, true, true}));
  EXPECT_EQ(hours.open, minutes{9 * 60});
  EXPECT_EQ(hours.close, minutes{18 * 60});
  EXPECT_EQ(hours.lunch_start, minutes{12 * 60 + 30});
  EXPECT_EQ(hours.lunch_end, minutes{14 * 60});
  // Sorted and unique, whether written as strings or as TOML dates.
  EXPECT_THAT(hours.holidays,
              ElementsAre(Date(2026, 11, 23), Date(2026, 12, 29), Date(2027, 1, 1)));
}

TEST(PolicyParsing, ReadsAZoneNameAndTomlTimes) {
  const PolicyParseResult result = ParsePolicy(
      "[business_hours]\ntime_zone = \"UTC\"\nopen = 07:45:00\nclose = 16:15:00\n", "p");
  ASSERT_TRUE(result.policy.has_value()) << ::testing::PrintToString(result.errors);
  EXPECT_EQ(result.policy->business_hours.utc_offset, minutes{0});
  EXPECT_EQ(result.policy->business_hours.open, minutes{7 * 60 + 45});
  EXPECT_EQ(result.policy->business_hours.close, minutes{16 * 60 + 15});
}

TEST(PolicyParsing, RejectsNewThresholdsOutOfRangeWithTheirLines) {
  EXPECT_THAT(ErrorsOf("[idle]\nafter_hours_minutes = 4\n"),
              ElementsAre("p.toml:2: idle.after_hours_minutes must be an integer from 5 to 1440"));
  EXPECT_THAT(
      ErrorsOf("[agent]\nserver_silent_minutes = 10081\nworkstation_silent_business_hours = 0\n"),
      ElementsAre("p.toml:2: agent.server_silent_minutes must be an integer from 10 to 10080",
                  "p.toml:3: agent.workstation_silent_business_hours must be an integer from 1 "
                  "to 400"));
  EXPECT_THAT(ErrorsOf("[agent]\n\nheartbeat_seconds = 60\n"),
              ElementsAre("p.toml:3: unknown key agent.heartbeat_seconds"));
}

// --- [org]: the MAM-ORG rules' ages ---

TEST(PolicyParsing, TheOrgKeysDefaultToAMonthlyBackupCheckAndYearlyEverythingElse) {
  const Policy policy = *ParsePolicy("", "policy.toml").policy;
  EXPECT_EQ(policy.contact_chart_review_days, 365);
  EXPECT_EQ(policy.backup_check_max_age_days, 31);
  EXPECT_EQ(policy.restore_test_max_age_days, 365);
  EXPECT_EQ(policy.drill_max_age_days, 365);
}

TEST(PolicyParsing, ReadsTheOrgSettings) {
  const PolicyParseResult result = ParsePolicy(R"(
[org]
contact_chart_review_days = 180
backup_check_max_age_days = 7
restore_test_max_age_days = 3650
drill_max_age_days = 1
)",
                                               "policy.toml");
  ASSERT_TRUE(result.policy.has_value()) << ::testing::PrintToString(result.errors);
  EXPECT_EQ(result.policy->contact_chart_review_days, 180);
  EXPECT_EQ(result.policy->backup_check_max_age_days, 7);
  EXPECT_EQ(result.policy->restore_test_max_age_days, 3650);
  EXPECT_EQ(result.policy->drill_max_age_days, 1);
}

TEST(PolicyParsing, RejectsOrgSettingsOutOfRangeWithTheirLines) {
  EXPECT_THAT(
      ErrorsOf("[org]\ndrill_max_age_days = 0\nbackup_check_max_age_days = 3651\n"),
      ElementsAre("p.toml:2: org.drill_max_age_days must be an integer from 1 to 3650",
                  "p.toml:3: org.backup_check_max_age_days must be an integer from 1 to 3650"));
  EXPECT_THAT(ErrorsOf("[org]\nrestore_test_max_age_days = \"365\"\n"),
              ElementsAre("p.toml:2: org.restore_test_max_age_days must be an integer from 1 to "
                          "3650"));
  EXPECT_THAT(ErrorsOf("[org]\nbcp_max_age_days = 365\n"),
              ElementsAre("p.toml:2: unknown key org.bcp_max_age_days"));
}

TEST(PolicyParsing, RejectsAnUnknownTimeZoneNamingIt) {
  EXPECT_THAT(ErrorsOf("[business_hours]\ntime_zone = \"Europe/Paris\"\n"),
              ElementsAre("p.toml:2: business_hours.time_zone \"Europe/Paris\" is not a time zone "
                          "mamori knows: use \"Asia/Tokyo\", \"UTC\" or an offset such as "
                          "\"+09:00\""));
  EXPECT_THAT(ErrorsOf("[business_hours]\ntime_zone = 9\n"),
              ElementsAre(HasSubstr("p.toml:2: business_hours.time_zone must be a string")));
}

TEST(PolicyParsing, RejectsBadDays) {
  EXPECT_THAT(ErrorsOf("[business_hours]\ndays = []\n"),
              ElementsAre("p.toml:2: business_hours.days must list at least one day"));
  EXPECT_THAT(ErrorsOf("[business_hours]\ndays = [\"mon\",\n  \"monday\"]\n"),
              ElementsAre(HasSubstr("p.toml:3: business_hours.days: \"monday\" is not a day")));
  EXPECT_THAT(ErrorsOf("[business_hours]\ndays = [\"mon\", \"tue\", \"mon\"]\n"),
              ElementsAre("p.toml:2: business_hours.days lists \"mon\" twice"));
  EXPECT_THAT(ErrorsOf("[business_hours]\ndays = \"mon-fri\"\n"),
              ElementsAre(HasSubstr("p.toml:2: business_hours.days must be an array")));
}

TEST(PolicyParsing, RejectsBadOpeningTimes) {
  EXPECT_THAT(
      ErrorsOf("[business_hours]\nopen = \"8:30\"\nclose = \"24:00\"\n"),
      ElementsAre("p.toml:2: business_hours.open must be a time \"HH:MM\" from 00:00 to 23:59",
                  "p.toml:3: business_hours.close must be a time \"HH:MM\" from 00:00 to 23:59"));
  EXPECT_THAT(ErrorsOf("[business_hours]\nopen = \"09:00\"\nclose = \"09:00\"\n"),
              ElementsAre("p.toml:3: business_hours.close must be after business_hours.open"));
  // Against the default close of 18:30, an opening at 19:00 is the line to blame.
  EXPECT_THAT(ErrorsOf("[business_hours]\nopen = \"19:00\"\n"),
              ElementsAre("p.toml:2: business_hours.close must be after business_hours.open"));
}

TEST(PolicyParsing, RejectsAnIncompleteOrMisplacedLunch) {
  EXPECT_THAT(ErrorsOf("[business_hours]\nlunch_end = \"14:00\"\n"),
              ElementsAre("p.toml:2: business_hours.lunch_start and business_hours.lunch_end "
                          "must be set together"));
  EXPECT_THAT(ErrorsOf("[business_hours]\nlunch_start = \"14:00\"\nlunch_end = \"12:30\"\n"),
              ElementsAre("p.toml:2: business_hours.lunch_start must be before "
                          "business_hours.lunch_end"));
  EXPECT_THAT(ErrorsOf("[business_hours]\nlunch_start = \"08:00\"\nlunch_end = \"09:00\"\n"),
              ElementsAre("p.toml:2: business_hours.lunch_start..lunch_end must lie within "
                          "business_hours.open..close"));
}

TEST(PolicyParsing, RejectsBadHolidays) {
  EXPECT_THAT(ErrorsOf("[business_hours]\nholidays = [\n  \"2026-12-29\",\n  \"2026-02-30\",\n]\n"),
              ElementsAre("p.toml:4: business_hours.holidays: \"2026-02-30\" is not a valid date "
                          "\"YYYY-MM-DD\""));
  EXPECT_THAT(ErrorsOf("[business_hours]\nholidays = [\"2026/12/29\"]\n"),
              ElementsAre(HasSubstr("p.toml:2: business_hours.holidays: \"2026/12/29\"")));
  EXPECT_THAT(ErrorsOf("[business_hours]\nholidays = \"2026-12-29\"\n"),
              ElementsAre(HasSubstr("p.toml:2: business_hours.holidays must be an array")));
  std::string many = "[business_hours]\nholidays = [";
  for (int i = 0; i < 1001; ++i) {
    many += "\"2026-12-29\", ";
  }
  many += "]\n";
  EXPECT_THAT(ErrorsOf(many),
              ElementsAre("p.toml:2: business_hours.holidays must list at most 1000 dates"));
}

TEST(PolicyParsing, RejectsAnUnknownBusinessHoursKey) {
  EXPECT_THAT(ErrorsOf("[business_hours]\nweekends = false\n"),
              ElementsAre("p.toml:2: unknown key business_hours.weekends"));
  EXPECT_THAT(ErrorsOf("business_hours = \"weekdays\"\n"),
              ElementsAre("p.toml:1: business_hours must be a table ([business_hours])"));
}

}  // namespace
}  // namespace mamori::rules
