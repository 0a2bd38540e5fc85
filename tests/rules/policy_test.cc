// The policy file: defaults, overrides, and line-numbered errors for anything wrong.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace mamori::rules
