#include "platform/parse/sshd_config.h"

#include <gtest/gtest.h>

namespace mamori::parse {
namespace {

TEST(ParseSshdConfig, ReadsKeywordsWithoutCaseAndEqualsSigns) {
  const auto directives = ParseSshdConfig(
      "# comment\nPasswordAuthentication no\npermitrootlogin=yes\nSubsystem sftp \"/usr/lib/a "
      "b\"\n");
  ASSERT_EQ(directives.size(), 3u);
  EXPECT_EQ(directives[0], (SshdDirective{"passwordauthentication", {"no"}, false}));
  EXPECT_EQ(directives[1], (SshdDirective{"permitrootlogin", {"yes"}, false}));
  EXPECT_EQ(directives[2].args, (std::vector<std::string>{"sftp", "/usr/lib/a b"}));
}

TEST(ParseSshdConfig, MarksSettingsInsideMatchBlocks) {
  const auto directives =
      ParseSshdConfig("Match User backup\n  PasswordAuthentication yes\nMatch all\nUsePAM yes\n");
  ASSERT_EQ(directives.size(), 2u);
  EXPECT_TRUE(directives[0].in_match);
  EXPECT_FALSE(directives[1].in_match);
}

TEST(EffectiveSshdSettings, DefaultsAcceptPasswordsButNotRootPasswords) {
  const SshdSettings settings = EffectiveSshdSettings({});
  EXPECT_TRUE(SshdAcceptsPasswords(settings));
  EXPECT_FALSE(SshdAcceptsRootPassword(settings));
  EXPECT_EQ(settings.permit_root_login, "prohibit-password");
}

TEST(EffectiveSshdSettings, TheFirstValueWins) {
  const SshdSettings settings = EffectiveSshdSettings(ParseSshdConfig(
      "PasswordAuthentication no\nPasswordAuthentication yes\n"
      "PermitRootLogin yes\nPermitRootLogin no\nKbdInteractiveAuthentication no\n"));
  EXPECT_FALSE(SshdAcceptsPasswords(settings));
  EXPECT_FALSE(SshdAcceptsRootPassword(settings));
  EXPECT_EQ(settings.permit_root_login, "yes");
}

TEST(EffectiveSshdSettings, KeyboardInteractiveThroughPamTakesPasswords) {
  const SshdSettings settings =
      EffectiveSshdSettings(ParseSshdConfig("PasswordAuthentication no\nUsePAM yes\n"));
  EXPECT_TRUE(SshdAcceptsPasswords(settings));
  const SshdSettings legacy = EffectiveSshdSettings(ParseSshdConfig(
      "PasswordAuthentication no\nUsePAM yes\nChallengeResponseAuthentication no\n"));
  EXPECT_FALSE(SshdAcceptsPasswords(legacy));
}

TEST(EffectiveSshdSettings, IgnoresMatchBlocksButNotesThem) {
  const SshdSettings settings = EffectiveSshdSettings(ParseSshdConfig(
      "PasswordAuthentication no\nMatch Address 10.0.0.0/8\nPasswordAuthentication yes\n"));
  EXPECT_FALSE(settings.password_authentication);
  EXPECT_TRUE(settings.match_overrides);
}

TEST(ParseSshdConfig, SkipsAnUnterminatedQuote) {
  EXPECT_TRUE(ParseSshdConfig("Banner \"/etc/issue\n").empty());
}

}  // namespace
}  // namespace mamori::parse
