#include "platform/parse/modprobe_config.h"

#include <gtest/gtest.h>

#include <string>

namespace mamori::parse {
namespace {

TEST(ModprobeConfigParser, ReadsAnInstallLineForUsbStorage) {
  const auto config = ParseModprobeConfig("install usb-storage /bin/false\n", "usb-storage");
  EXPECT_EQ(config.install_command, "/bin/false");
  EXPECT_FALSE(config.blacklisted);
}

TEST(ModprobeConfigParser, TreatsDashAndUnderscoreInModuleNamesAsEqual) {
  EXPECT_EQ(ParseModprobeConfig("install usb_storage /bin/true\n", "usb-storage").install_command,
            "/bin/true");
  EXPECT_TRUE(ParseModprobeConfig("blacklist usb-storage\n", "usb_storage").blacklisted);
}

TEST(ModprobeConfigParser, KeepsTheFirstInstallLineAsModprobeDoes) {
  const auto config = ParseModprobeConfig(
      "install usb-storage /bin/false\ninstall usb-storage /sbin/modprobe --ignore-install "
      "usb-storage\n",
      "usb_storage");
  EXPECT_EQ(config.install_command, "/bin/false");
}

TEST(ModprobeConfigParser, ReadsABlacklistAlone) {
  const auto config = ParseModprobeConfig("# CIS 1.1.10\nblacklist usb-storage\n", "usb_storage");
  EXPECT_TRUE(config.blacklisted);
  EXPECT_FALSE(config.install_command.has_value());
}

TEST(ModprobeConfigParser, IgnoresCommentsOtherModulesAndOtherKeywords) {
  const auto config = ParseModprobeConfig(
      "#install usb-storage /bin/false\n  # blacklist usb-storage\ninstall uas /bin/false\n"
      "options usb-storage quirks=0781:5567:u\nblacklist usb-storage-extra\nalias usb-storage x\n",
      "usb_storage");
  EXPECT_FALSE(config.install_command.has_value());
  EXPECT_FALSE(config.blacklisted);
}

TEST(ModprobeConfigParser, JoinsBackslashContinuedLines) {
  const auto config =
      ParseModprobeConfig("install \\\n  usb-storage \\\n  /bin/false\n", "usb_storage");
  EXPECT_EQ(config.install_command, "/bin/false");
}

TEST(ModprobeConfigParser, AcceptsTabsAndCarriageReturns) {
  const auto config = ParseModprobeConfig("install\tusb-storage\t/bin/false\r\n", "usb_storage");
  EXPECT_EQ(config.install_command, "/bin/false");
}

TEST(ModprobeConfigParser, IgnoresAnInstallLineWithoutACommand) {
  EXPECT_FALSE(
      ParseModprobeConfig("install usb-storage\n", "usb_storage").install_command.has_value());
}

TEST(ModprobeConfigParser, SurvivesBinaryGarbageAndEndlessContinuations) {
  std::string garbage(5000, '\\');
  garbage += std::string("\0\xff\n\\\n", 5);
  garbage += std::string(100000, '\\') + "\n";
  garbage += "install usb-storage /bin/false\n";
  EXPECT_EQ(ParseModprobeConfig(garbage, "usb_storage").install_command, "/bin/false");
}

TEST(InstallCommand, BlocksWhenItIsFalseOrTrue) {
  EXPECT_TRUE(InstallCommandBlocksLoading("/bin/false"));
  EXPECT_TRUE(InstallCommandBlocksLoading("/bin/true"));
  EXPECT_TRUE(InstallCommandBlocksLoading("/usr/bin/false"));
  EXPECT_TRUE(InstallCommandBlocksLoading("/usr/bin/true"));
  EXPECT_TRUE(InstallCommandBlocksLoading("/bin/false usb-storage is disabled by policy"));
  EXPECT_TRUE(InstallCommandBlocksLoading("true"));
}

TEST(InstallCommand, DoesNotBlockWhenTheCommandMayLoadTheModule) {
  EXPECT_FALSE(InstallCommandBlocksLoading("/sbin/modprobe --ignore-install usb-storage"));
  EXPECT_FALSE(
      InstallCommandBlocksLoading("/bin/true; /sbin/modprobe --ignore-install usb-storage"));
  EXPECT_FALSE(InstallCommandBlocksLoading("/bin/false || modprobe --ignore-install usb-storage"));
  EXPECT_FALSE(InstallCommandBlocksLoading("/bin/true $(modprobe --ignore-install usb-storage)"));
  EXPECT_FALSE(InstallCommandBlocksLoading("/bin/echo blocked"));
  EXPECT_FALSE(InstallCommandBlocksLoading("/bin/falsey"));
  EXPECT_FALSE(InstallCommandBlocksLoading(""));
}

}  // namespace
}  // namespace mamori::parse
