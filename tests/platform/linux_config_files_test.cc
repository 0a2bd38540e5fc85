// The small parsers behind the Linux configuration probes: INI-style files, dconf values, logind
// session files, file name patterns, mountinfo and device-mapper UUIDs.
#include <gtest/gtest.h>

#include "platform/parse/block_device.h"
#include "platform/parse/dconf_value.h"
#include "platform/parse/filename_pattern.h"
#include "platform/parse/ini_file.h"
#include "platform/parse/logind_session.h"
#include "tests/platform/fixture.h"

namespace mamori::parse {
namespace {

TEST(ParseIniFile, TagsEntriesWithTheirSectionAndSkipsComments) {
  const auto entries = ParseIniFile(
      "ENABLED=yes\n# c\n; c\n[daemon]\nAutomaticLoginEnable = true\n[broken\nno equals\n");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0], (IniEntry{"", "ENABLED", "yes"}));
  EXPECT_EQ(entries[1], (IniEntry{"daemon", "AutomaticLoginEnable", "true"}));
}

TEST(LastIniValue, ALaterValueWins) {
  const auto entries = ParseIniFile("[Sleep]\nAllowSuspend=yes\nAllowSuspend=no\n");
  EXPECT_EQ(LastIniValue(entries, "Sleep", "AllowSuspend"), "no");
  EXPECT_EQ(LastIniValue(entries, "Login", "AllowSuspend"), std::nullopt);
}

TEST(ParseConfigBool, AcceptsTheUsualSpellings) {
  EXPECT_EQ(ParseConfigBool("True"), true);
  EXPECT_EQ(ParseConfigBool("no"), false);
  EXPECT_EQ(ParseConfigBool("maybe"), std::nullopt);
}

TEST(DconfValues, ReadTypedGVariantText) {
  EXPECT_EQ(ParseDconfUnsigned("uint32 600"), 600u);
  EXPECT_EQ(ParseDconfUnsigned("300"), 300u);
  EXPECT_EQ(ParseDconfUnsigned("uint32 -1"), std::nullopt);
  EXPECT_EQ(ParseDconfString("'nothing'"), "nothing");
  EXPECT_EQ(ParseDconfString("'unterminated"), std::nullopt);
  EXPECT_EQ(ParseDconfBool("false"), false);
}

TEST(ParseLogindSession, ReadsAGraphicalSession) {
  const auto session =
      ParseLogindSession(testing::ReadFixture("linux-weak/run/systemd/sessions/2"));
  ASSERT_TRUE(session.has_value());
  EXPECT_EQ(session->uid, 1000u);
  EXPECT_EQ(session->user, "reception");
  EXPECT_EQ(session->type, "wayland");
  EXPECT_EQ(session->klass, "user");
  EXPECT_EQ(session->tty, "tty2");
  EXPECT_TRUE(session->active);
  EXPECT_FALSE(session->remote);
}

TEST(ParseLogindSession, TextWithoutAUserIsNotASession) {
  EXPECT_EQ(ParseLogindSession("UID=5\n"), std::nullopt);
}

TEST(MatchesFilenamePattern, MatchesShellWildcards) {
  EXPECT_TRUE(MatchesFilenamePattern("*.conf", "50-cloud-init.conf"));
  EXPECT_FALSE(MatchesFilenamePattern("*.conf", "50.conf.bak"));
  EXPECT_FALSE(MatchesFilenamePattern("*.conf", ".hidden.conf"));
  EXPECT_TRUE(MatchesFilenamePattern("a?c", "abc"));
  EXPECT_TRUE(MatchesFilenamePattern("*", "x"));
  EXPECT_FALSE(MatchesFilenamePattern("*a*a*a*a*a*b", std::string(200, 'a')));
}

TEST(FindRootMount, TakesTheVisibleMountOfRoot) {
  const auto root = FindRootMount(
      "29 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw\n"
      "40 29 0:50 / / rw - overlay overlay rw,lowerdir=/a\n"
      "41 40 0:51 / /my\\040dir rw - tmpfs tmpfs rw\n");
  ASSERT_TRUE(root.has_value());
  EXPECT_EQ(root->fs_type, "overlay");
  EXPECT_EQ(root->major, 0u);
}

TEST(FindRootMount, ReadsDeviceNumbersAndDecodesEscapes) {
  const auto root = FindRootMount("29 1 253:1 / / rw - ext4 /dev/mapper/vg\\040root rw\n");
  ASSERT_TRUE(root.has_value());
  EXPECT_EQ(root->major, 253u);
  EXPECT_EQ(root->minor, 1u);
  EXPECT_EQ(root->source, "/dev/mapper/vg root");
  EXPECT_EQ(FindRootMount("garbage\n1 2 3\n"), std::nullopt);
}

TEST(DmCryptMethod, NamesLuksVersionsAndIgnoresVerity) {
  EXPECT_EQ(DmCryptMethod("CRYPT-LUKS2-0d1e-root_crypt\n"), "LUKS2");
  EXPECT_EQ(DmCryptMethod("CRYPT-LUKS1-abc-sda5_crypt"), "LUKS1");
  EXPECT_EQ(DmCryptMethod("CRYPT-VERITY-abc-root"), std::nullopt);
  EXPECT_EQ(DmCryptMethod("LVM-abc"), std::nullopt);
}

}  // namespace
}  // namespace mamori::parse
