#include "platform/parse/os_release.h"

#include <gtest/gtest.h>

#include <string>

namespace mamori::parse {
namespace {

TEST(OsReleaseParser, ReadsTheFieldsOfADebianFile) {
  const auto release = ParseOsRelease(
      "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
      "NAME=\"Debian GNU/Linux\"\n"
      "VERSION_ID=\"12\"\n"
      "VERSION=\"12 (bookworm)\"\n"
      "VERSION_CODENAME=bookworm\n"
      "ID=debian\n");
  ASSERT_TRUE(release.has_value());
  EXPECT_EQ(release->id, "debian");
  EXPECT_EQ(release->version_id, "12");
  EXPECT_EQ(release->version_codename, "bookworm");
  EXPECT_EQ(release->name, "Debian GNU/Linux");
  EXPECT_EQ(release->pretty_name, "Debian GNU/Linux 12 (bookworm)");
}

TEST(OsReleaseParser, UnquotesDoubleQuotedValues) {
  EXPECT_EQ(ParseOsRelease("NAME=\"Ubuntu\"\n")->name, "Ubuntu");
}

TEST(OsReleaseParser, UnquotesSingleQuotedValuesLiterally) {
  EXPECT_EQ(ParseOsRelease(R"(NAME='Arch \Linux $x')")->name, R"(Arch \Linux $x)");
}

TEST(OsReleaseParser, HonoursBackslashEscapesInsideDoubleQuotes) {
  EXPECT_EQ(ParseOsRelease(R"(NAME="say \"hi\" \\ \$HOME \`x\` \n")")->name,
            R"(say "hi" \ $HOME `x` \n)");
}

TEST(OsReleaseParser, HonoursBackslashEscapesInUnquotedValues) {
  EXPECT_EQ(ParseOsRelease(R"(NAME=Fedora\ Linux)")->name, "Fedora Linux");
}

TEST(OsReleaseParser, JoinsAdjacentQuotedAndUnquotedParts) {
  EXPECT_EQ(ParseOsRelease(R"(NAME="Rocky"' 'Linux)")->name, "Rocky Linux");
}

TEST(OsReleaseParser, SkipsCommentsAndBlankLines) {
  const auto release = ParseOsRelease(
      "# written by the image builder\n"
      "\n"
      "   \n"
      "  # ID=fake\n"
      "ID=debian # trailing comment\n");
  ASSERT_TRUE(release.has_value());
  EXPECT_EQ(release->id, "debian");
}

TEST(OsReleaseParser, AcceptsWindowsLineEndings) {
  const auto release = ParseOsRelease("ID=debian\r\nVERSION_ID=\"12\"\r\n");
  ASSERT_TRUE(release.has_value());
  EXPECT_EQ(release->id, "debian");
  EXPECT_EQ(release->version_id, "12");
}

TEST(OsReleaseParser, SkipsAnUnterminatedQuoteButKeepsOtherLines) {
  const auto release = ParseOsRelease("NAME=\"Broken\nID=debian\n");
  ASSERT_TRUE(release.has_value());
  EXPECT_EQ(release->id, "debian");
  EXPECT_EQ(release->name, "Linux");
}

TEST(OsReleaseParser, SkipsAValueFollowedByAnotherWord) {
  const auto release = ParseOsRelease("NAME=Debian GNU\nID=debian\n");
  ASSERT_TRUE(release.has_value());
  EXPECT_EQ(release->name, "Linux");
}

TEST(OsReleaseParser, SkipsInvalidKeys) {
  const auto release = ParseOsRelease("1ID=wrong\nI-D=wrong\nID =wrong\nID=right\n");
  ASSERT_TRUE(release.has_value());
  EXPECT_EQ(release->id, "right");
}

TEST(OsReleaseParser, LetsALaterAssignmentWin) {
  EXPECT_EQ(ParseOsRelease("ID=first\nID=second\n")->id, "second");
}

TEST(OsReleaseParser, AppliesTheDocumentedDefaultsWhenIdAndNamesAreAbsent) {
  const auto release = ParseOsRelease("VERSION_ID=1\n");
  ASSERT_TRUE(release.has_value());
  EXPECT_EQ(release->id, "linux");
  EXPECT_EQ(release->name, "Linux");
  EXPECT_EQ(release->pretty_name, "Linux");
  EXPECT_EQ(release->version_id, "1");
}

TEST(OsReleaseParser, ReturnsNothingForTextWithoutAssignments) {
  EXPECT_FALSE(ParseOsRelease("").has_value());
  EXPECT_FALSE(ParseOsRelease("# only a comment\n\nnot an assignment\n").has_value());
}

TEST(OsReleaseParser, IgnoresAbsurdlyLongLines) {
  const std::string text = "ID=" + std::string(100000, 'x') + "\nVERSION_ID=12\n";
  const auto release = ParseOsRelease(text);
  ASSERT_TRUE(release.has_value());
  EXPECT_EQ(release->id, "linux");
  EXPECT_EQ(release->version_id, "12");
}

TEST(OsReleaseParser, IgnoresTextBeyondTheInputCap) {
  const std::string text = std::string(2 * 1024 * 1024, '\n') + "ID=debian\n";
  EXPECT_FALSE(ParseOsRelease(text).has_value());
}

}  // namespace
}  // namespace mamori::parse
