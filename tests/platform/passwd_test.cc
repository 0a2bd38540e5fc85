#include "platform/parse/passwd.h"

#include <gtest/gtest.h>

#include <string>

namespace mamori::parse {
namespace {

TEST(ParsePasswd, ReadsSevenFieldLines) {
  const auto entries = ParsePasswd(
      "root:x:0:0:root:/root:/bin/bash\n"
      "reception:x:1000:1000:Reception PC,,,:/home/reception:/bin/bash\n");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1], (PasswdEntry{"reception", "x", 1000, 1000, "Reception PC,,,",
                                     "/home/reception", "/bin/bash"}));
  EXPECT_EQ(FullNameFromGecos(entries[1].gecos), "Reception PC");
}

TEST(ParsePasswd, SkipsMalformedNisAndNonNumericLines) {
  const auto entries = ParsePasswd(
      "short:x:1\n"
      "toolong:x:1:1:a:b:c:d\n"
      "+nisuser::::::\n"
      "badid:x:abc:1::/:/bin/sh\n"
      "huge:x:99999999999:1::/:/bin/sh\n"
      ":x:1:1::/:/bin/sh\n"
      "ok:x:5:5::/:/bin/sh\n");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].name, "ok");
}

TEST(ParseShadow, ReadsDayFieldsAndLeavesEmptyOnesUnset) {
  const auto entries = ParseShadow("doctor:$y$hash:19500:0:90:7:::\nsshd:!:19700::::::\n");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].hash, "$y$hash");
  EXPECT_EQ(entries[0].last_change_days, 19500u);
  EXPECT_EQ(entries[0].max_days, 90u);
  EXPECT_EQ(entries[0].expire_days, std::nullopt);
  EXPECT_EQ(entries[1].max_days, std::nullopt);
}

TEST(ParseShadow, SkipsALineWithThreeFields) {
  const auto entries = ParseShadow("short:line:3\nok::19000:0:99999:7:::\n");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].name, "ok");
  EXPECT_EQ(entries[0].hash, "");
}

TEST(ParseShadow, SkipsALineWithANonNumericDayCount) {
  EXPECT_TRUE(ParseShadow("x:!:soon:0:99999:7:::\n").empty());
}

TEST(ParseGroup, ReadsMembers) {
  const auto entries = ParseGroup("sudo:x:27:doctor, admin1\nempty:x:5:\nbad:x:1\n");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].members, (std::vector<std::string>{"doctor", "admin1"}));
  EXPECT_TRUE(entries[1].members.empty());
}

TEST(ParsePasswd, SurvivesBinaryGarbage) {
  std::string garbage;
  for (int i = 0; i < 5000; ++i) {
    garbage += static_cast<char>((i * 131) % 256);
  }
  EXPECT_NO_THROW(ParsePasswd(garbage));
  EXPECT_NO_THROW(ParseShadow(garbage));
  EXPECT_NO_THROW(ParseGroup(garbage));
}

}  // namespace
}  // namespace mamori::parse
