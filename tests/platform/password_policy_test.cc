#include "platform/parse/password_policy.h"

#include <gtest/gtest.h>

namespace mamori::parse {
namespace {

TEST(ParseLoginDefs, ReadsPassMaxDaysAndUidMin) {
  const LoginDefs defs =
      ParseLoginDefs("# c\nPASS_MAX_DAYS\t99999\nUID_MIN 1000\nPASS_MAX_DAYS 60\n");
  EXPECT_EQ(defs.pass_max_days, 60u);
  EXPECT_EQ(defs.uid_min, 1000u);
}

TEST(ParsePwqualityConf, ReadsSignedSettingsAndIgnoresComments) {
  const QualitySettings settings = ParsePwqualityConf("# minlen = 8\nminlen = 12\ndcredit=-1\n");
  EXPECT_EQ(settings.minlen, 12);
  EXPECT_EQ(settings.dcredit, -1);
  EXPECT_EQ(settings.minclass, std::nullopt);
}

TEST(FindPamModuleArgs, FindsTheModuleAfterABracketedControl) {
  const auto args =
      FindPamModuleArgs("password\t[success=1 default=ignore]\tpam_unix.so obscure yescrypt\n",
                        "password", "pam_unix.so");
  ASSERT_TRUE(args.has_value());
  EXPECT_EQ(*args, (std::vector<std::string>{"obscure", "yescrypt"}));
}

TEST(FindPamModuleArgs, MatchesAFullModulePathAndIgnoresOtherTypes) {
  const std::string stack =
      "auth required pam_pwquality.so minlen=3\n"
      "-password requisite /lib/security/pam_pwquality.so retry=3 minlen=14\n";
  const auto args = FindPamModuleArgs(stack, "password", "pam_pwquality.so");
  ASSERT_TRUE(args.has_value());
  EXPECT_EQ(PamArgValue(*args, "minlen"), "14");
  EXPECT_FALSE(FindPamModuleArgs(stack, "password", "pam_cracklib.so").has_value());
}

TEST(ComputePasswordRequirements, ArgumentsOverrideTheConfFile) {
  const QualitySettings merged = OverlayQuality(ParsePwqualityConf("minlen = 12\nminclass = 3\n"),
                                                ParseQualityArgs({"retry=3", "minlen=14"}));
  const PasswordRequirements requirements =
      ComputePasswordRequirements(QualityModule::kPwquality, merged);
  EXPECT_EQ(requirements.min_length, 14u);
  EXPECT_EQ(requirements.min_classes, 3u);
}

TEST(ComputePasswordRequirements, PwqualityDefaultsToEightCharacters) {
  EXPECT_EQ(ComputePasswordRequirements(QualityModule::kPwquality, {}),
            (PasswordRequirements{8, 0}));
}

TEST(ComputePasswordRequirements, PositiveCreditsShortenTheShortestPassword) {
  // pam_cracklib's defaults: minlen 9 with one credit per class -> 5 characters can pass.
  EXPECT_EQ(ComputePasswordRequirements(QualityModule::kCracklib, {}).min_length, 5u);
}

TEST(ComputePasswordRequirements, NegativeCreditsRequireClasses) {
  const QualitySettings settings = ParseQualityArgs({"dcredit=-1", "ucredit=-1", "ocredit=-1"});
  EXPECT_EQ(ComputePasswordRequirements(QualityModule::kPwquality, settings).min_classes, 3u);
}

TEST(ComputePasswordRequirements, PamUnixAloneAcceptsSixCharactersOfOneClass) {
  EXPECT_EQ(ComputePasswordRequirements(QualityModule::kUnixOnly, {}),
            (PasswordRequirements{6, 0}));
  EXPECT_EQ(ComputePasswordRequirements(QualityModule::kNone, {}), (PasswordRequirements{}));
}

}  // namespace
}  // namespace mamori::parse
