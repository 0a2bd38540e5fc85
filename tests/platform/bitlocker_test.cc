#include "platform/parse/bitlocker.h"

#include <gtest/gtest.h>

namespace mamori::parse {
namespace {

TEST(BitLockerProtectionOn, ReadsOnOffAndCannotTell) {
  EXPECT_EQ(BitLockerProtectionOn(1), true);
  EXPECT_EQ(BitLockerProtectionOn(0), false);
  EXPECT_EQ(BitLockerProtectionOn(2), std::nullopt);
  EXPECT_EQ(BitLockerProtectionOn(-1), std::nullopt);
}

TEST(BitLockerMethodName, NamesTheDocumentedMethods) {
  EXPECT_EQ(BitLockerMethodName(6), "BitLocker XTS-AES 128");
  EXPECT_EQ(BitLockerMethodName(7), "BitLocker XTS-AES 256");
  EXPECT_EQ(BitLockerMethodName(3), "BitLocker AES-CBC 128");
  EXPECT_EQ(BitLockerMethodName(4), "BitLocker AES-CBC 256");
  EXPECT_EQ(BitLockerMethodName(1), "BitLocker AES-CBC 128 with Diffuser");
  EXPECT_EQ(BitLockerMethodName(5), "BitLocker hardware encryption");
}

TEST(BitLockerMethodName, IsEmptyForNoneAndSaysSoForUnknownMethods) {
  EXPECT_EQ(BitLockerMethodName(0), "");
  EXPECT_EQ(BitLockerMethodName(4294967295), "BitLocker (unknown method 4294967295)");
}

TEST(BitLockerConversionText, NamesEachConversionStatus) {
  EXPECT_EQ(BitLockerConversionText(0), "fully decrypted");
  EXPECT_EQ(BitLockerConversionText(1), "fully encrypted");
  EXPECT_EQ(BitLockerConversionText(2), "encryption in progress");
  EXPECT_EQ(BitLockerConversionText(5), "decryption paused");
  EXPECT_EQ(BitLockerConversionText(6), "");
  EXPECT_EQ(BitLockerConversionText(-1), "");
}

TEST(DriveOfPath, TakesTheUpperCaseDriveOfTheWindowsDirectory) {
  EXPECT_EQ(DriveOfPath(R"(C:\Windows)"), "C:");
  EXPECT_EQ(DriveOfPath(R"(d:\WINDOWS)"), "D:");
  EXPECT_EQ(DriveOfPath("E:"), "E:");
}

TEST(DriveOfPath, RejectsPathsWithoutADriveLetter) {
  EXPECT_EQ(DriveOfPath(R"(\\server\share\Windows)"), std::nullopt);
  EXPECT_EQ(DriveOfPath(R"(\Windows)"), std::nullopt);
  EXPECT_EQ(DriveOfPath("1:"), std::nullopt);
  EXPECT_EQ(DriveOfPath(""), std::nullopt);
}

}  // namespace
}  // namespace mamori::parse
