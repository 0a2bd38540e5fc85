// Console passwords: the 13-character rule, the bounds, and the scrypt hash kept in the database.
#include "collector/people/console_password.h"

#include <string>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mamori::collector {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// A cheap cost keeps the tests fast; the default's parameters are checked separately.
constexpr ScryptCost kTestCost{1u << 10, 8, 1};

TEST(ConsolePassword, RequiresThirteenCharactersCountedAsCharacters) {
  EXPECT_EQ(ValidateConsolePassword("twelve-chars").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ValidateConsolePassword("twelve-chars").message(), HasSubstr("13"));
  EXPECT_TRUE(ValidateConsolePassword("thirteen-char").ok());
  // 13 Japanese characters are 39 bytes and 13 characters: enough.
  EXPECT_FALSE(ValidateConsolePassword("まもりのぱすわーどです。").ok());  // 12 characters
  EXPECT_TRUE(ValidateConsolePassword("まもりのぱすわーどですよ。").ok());
}

TEST(ConsolePassword, RefusesControlCharactersInvalidUtf8AndOverlongPasswords) {
  EXPECT_FALSE(ValidateConsolePassword("correct horse\tbattery").ok());
  EXPECT_FALSE(ValidateConsolePassword("correct horse\nbattery").ok());
  EXPECT_FALSE(ValidateConsolePassword("correct horse \xc2\x85 battery").ok());  // NEL
  EXPECT_FALSE(ValidateConsolePassword("correct horse \xff battery").ok());
  EXPECT_TRUE(ValidateConsolePassword(std::string(kMaxConsolePasswordBytes, 'a')).ok());
  EXPECT_FALSE(ValidateConsolePassword(std::string(kMaxConsolePasswordBytes + 1, 'a')).ok());
}

TEST(ConsolePassword, HashKeepsItsParametersAndASaltOfItsOwn) {
  absl::StatusOr<std::string> first = HashConsolePassword("correct horse battery", kTestCost);
  absl::StatusOr<std::string> second = HashConsolePassword("correct horse battery", kTestCost);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_THAT(*first, StartsWith("scrypt$1024$8$1$"));
  EXPECT_NE(*first, *second);  // another salt
  EXPECT_THAT(*first, ::testing::Not(HasSubstr("correct")));
  const std::vector<std::string> parts = absl::StrSplit(*first, '$');
  ASSERT_EQ(parts.size(), 6u);
  EXPECT_EQ(parts[4].size(), 32u);  // 16-byte salt
  EXPECT_EQ(parts[5].size(), 64u);  // 32-byte key
}

TEST(ConsolePassword, DefaultCostIsScryptN32768R8P1) {
  EXPECT_EQ(kConsolePasswordCost.n, 32768u);
  EXPECT_EQ(kConsolePasswordCost.r, 8u);
  EXPECT_EQ(kConsolePasswordCost.p, 1u);
  absl::StatusOr<std::string> hash = HashConsolePassword("correct horse battery");
  ASSERT_TRUE(hash.ok()) << hash.status();
  EXPECT_THAT(*hash, StartsWith("scrypt$32768$8$1$"));
  EXPECT_EQ(VerifyConsolePassword("correct horse battery", *hash).value_or(false), true);
}

TEST(ConsolePassword, VerifiesOnlyTheSamePassword) {
  absl::StatusOr<std::string> hash = HashConsolePassword("correct horse battery", kTestCost);
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(VerifyConsolePassword("correct horse battery", *hash).value_or(false), true);
  EXPECT_EQ(VerifyConsolePassword("correct horse batterY", *hash).value_or(true), false);
  EXPECT_EQ(VerifyConsolePassword("", *hash).value_or(true), false);
}

TEST(ConsolePassword, RefusesHashesItDidNotWriteOrThatAskTooMuch) {
  EXPECT_FALSE(VerifyConsolePassword("x", "plain text").ok());
  EXPECT_FALSE(VerifyConsolePassword("x", "scrypt$1000$8$1$00$00").ok());
  const std::string salt(32, '0');
  const std::string key(64, '0');
  EXPECT_FALSE(VerifyConsolePassword("x", "scrypt$1000$8$1$" + salt + "$" + key).ok());  // not 2^k
  EXPECT_FALSE(
      VerifyConsolePassword("x", "scrypt$1073741824$8$1$" + salt + "$" + key).ok());  // 2^30
  EXPECT_TRUE(VerifyConsolePassword("x", "scrypt$1024$8$1$" + salt + "$" + key).ok());
}

}  // namespace
}  // namespace mamori::collector
