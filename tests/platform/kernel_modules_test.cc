#include "platform/parse/kernel_modules.h"

#include <gtest/gtest.h>

#include "platform/parse/usbguard_config.h"

namespace mamori::parse {
namespace {

constexpr std::string_view kProcModules =
    "uas 32768 0 - Live 0x0000000000000000\n"
    "usb_storage 81920 1 uas, Live 0x0000000000000000\n"
    "scsi_mod 278528 4 uas,usb_storage,sd_mod,libata, Live 0x0000000000000000\n";

TEST(ProcModulesParser, FindsALoadedModule) {
  EXPECT_TRUE(ProcModulesLists(kProcModules, "usb_storage"));
  EXPECT_TRUE(ProcModulesLists(kProcModules, "usb-storage"));
}

TEST(ProcModulesParser, DoesNotMatchAModuleNamedOnlyAsADependency) {
  EXPECT_FALSE(ProcModulesLists("scsi_mod 278528 4 uas,usb_storage, Live 0x0\n", "usb_storage"));
  EXPECT_FALSE(ProcModulesLists("usb_storage_extra 1 0 - Live 0x0\n", "usb_storage"));
  EXPECT_FALSE(ProcModulesLists("", "usb_storage"));
}

TEST(ModulesBuiltinParser, FindsABuiltInModuleByItsFileName) {
  EXPECT_TRUE(ModulesBuiltinLists(
      "kernel/drivers/usb/host/xhci-hcd.ko\nkernel/drivers/usb/storage/usb-storage.ko\n",
      "usb_storage"));
  EXPECT_FALSE(ModulesBuiltinLists("kernel/drivers/usb/host/xhci-hcd.ko\n", "usb_storage"));
  EXPECT_FALSE(ModulesBuiltinLists("kernel/drivers/usb/storage/usb-storage.ko.xz\n.ko\n/.ko\n",
                                   "usb_storage"));
}

TEST(UsbGuardConfigParser, ReadsTheImplicitPolicyTarget) {
  EXPECT_EQ(ParseUsbGuardImplicitPolicyTarget("RuleFile=/etc/usbguard/rules.conf\n"
                                              "ImplicitPolicyTarget=block\n"),
            "block");
  EXPECT_EQ(ParseUsbGuardImplicitPolicyTarget("ImplicitPolicyTarget=block\n"
                                              "ImplicitPolicyTarget=allow\n"),
            "allow");
  EXPECT_EQ(ParseUsbGuardImplicitPolicyTarget("#ImplicitPolicyTarget=allow\n"), "block");
}

TEST(UsbGuardConfigParser, DefaultsToBlockAsTheDaemonDoes) {
  EXPECT_EQ(ParseUsbGuardImplicitPolicyTarget(""), "block");
}

TEST(UsbGuardConfigParser, SeesARuleThatAllowsEveryDevice) {
  EXPECT_TRUE(UsbGuardRulesAllowEverything("allow id 1d6b:0002 serial \"\"\nallow\n"));
  EXPECT_FALSE(UsbGuardRulesAllowEverything(
      "allow id 1d6b:0002 serial \"0000:00:14.0\" name \"xHCI Host Controller\"\n"));
  EXPECT_FALSE(UsbGuardRulesAllowEverything(""));
}

}  // namespace
}  // namespace mamori::parse
