#include "platform/parse/hostname.h"

#include <gtest/gtest.h>

#include <string>

namespace mamori::parse {
namespace {

TEST(HostnameParser, TrimsTheTrailingNewline) {
  EXPECT_EQ(ParseHostname("reception-01\n"), "reception-01");
}

TEST(HostnameParser, SkipsCommentsAndBlankLines) {
  EXPECT_EQ(ParseHostname("# set by the installer\n\n  pc-02.clinic.example  \n"),
            "pc-02.clinic.example");
}

TEST(HostnameParser, ReturnsNothingForAnEmptyFile) {
  EXPECT_FALSE(ParseHostname("").has_value());
  EXPECT_FALSE(ParseHostname("\n# only a comment\n").has_value());
}

TEST(HostnameParser, RejectsNamesWithSpacesOrControlCharacters) {
  EXPECT_FALSE(ParseHostname("two words\n").has_value());
  EXPECT_FALSE(ParseHostname(std::string("bell\a\n")).has_value());
}

TEST(HostnameParser, RejectsTheKernelsPlaceholderForAnUnsetName) {
  EXPECT_FALSE(ParseHostname("(none)\n").has_value());
}

TEST(HostnameParser, RejectsNamesLongerThanADnsName) {
  EXPECT_FALSE(ParseHostname(std::string(254, 'a')).has_value());
  EXPECT_EQ(ParseHostname(std::string(253, 'a')), std::string(253, 'a'));
}

}  // namespace
}  // namespace mamori::parse
