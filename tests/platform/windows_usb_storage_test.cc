// The USB storage registry logic against a fake registry: runs on every OS.
#include "platform/parse/windows_usb_storage.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/platform/fake_registry.h"

namespace mamori::parse {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const std::string kDisksKey =
    std::string(kRemovableStoragePolicyKey) + "\\" + std::string(kRemovableDisksClass);

facts::UsbStoragePolicy Read(testing::FakeRegistry& registry, PresentUsbStorage present = {}) {
  return ReadWindowsUsbStoragePolicy(registry, present);
}

TEST(WindowsUsbStorage, ReportsBlockedWhenUsbstorStartIsFour) {
  testing::FakeRegistry registry;
  registry.SetDword(kUsbstorServiceKey, "Start", 4);
  const facts::UsbStoragePolicy usb = Read(registry);
  EXPECT_EQ(usb.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(usb.mode, facts::UsbStorageMode::kBlocked);
  ASSERT_EQ(usb.controls.size(), 1u);
  EXPECT_EQ(usb.controls[0].mechanism, "USBSTOR driver disabled (Start=4)");
  EXPECT_EQ(usb.controls[0].detail, R"(HKLM\SYSTEM\CurrentControlSet\Services\USBSTOR\Start)");
  EXPECT_EQ(usb.driver_builtin, false);
  EXPECT_EQ(usb.driver_loaded, std::nullopt);
}

TEST(WindowsUsbStorage, ReportsAllowedWhenUsbstorStartIsThree) {
  testing::FakeRegistry registry;
  registry.SetDword(kUsbstorServiceKey, "Start", 3);
  const facts::UsbStoragePolicy usb = Read(registry);
  EXPECT_EQ(usb.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(usb.mode, facts::UsbStorageMode::kAllowed);
  ASSERT_EQ(usb.controls.size(), 1u);
  EXPECT_EQ(usb.controls[0].mechanism, "USBSTOR driver enabled (Start=3, does not block)");
}

TEST(WindowsUsbStorage, ReportsAllowedWithoutAnySetting) {
  // No USBSTOR key: no stick was ever attached, and the driver installs itself for the first one.
  testing::FakeRegistry registry;
  const facts::UsbStoragePolicy usb = Read(registry);
  EXPECT_EQ(usb.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(usb.mode, facts::UsbStorageMode::kAllowed);
  EXPECT_THAT(usb.controls, IsEmpty());
  EXPECT_THAT(usb.devices, IsEmpty());
}

TEST(WindowsUsbStorage, ReportsBlockedWhenGroupPolicyDeniesAllRemovableStorage) {
  testing::FakeRegistry registry;
  registry.SetDword(kUsbstorServiceKey, "Start", 3)
      .SetDword(kRemovableStoragePolicyKey, "Deny_All", 1);
  const facts::UsbStoragePolicy usb = Read(registry);
  EXPECT_EQ(usb.mode, facts::UsbStorageMode::kBlocked);
  EXPECT_THAT(usb.controls,
              ::testing::Contains(Field(
                  &facts::UsbStorageControl::detail,
                  R"(HKLM\SOFTWARE\Policies\Microsoft\Windows\RemovableStorageDevices\Deny_All)")));
}

TEST(WindowsUsbStorage, IgnoresAPolicyValueOfZero) {
  testing::FakeRegistry registry;
  registry.SetDword(kRemovableStoragePolicyKey, "Deny_All", 0)
      .SetDword(kDisksKey, "Deny_Write", 0)
      .SetDword(kStorageDevicePoliciesKey, "WriteProtect", 0);
  const facts::UsbStoragePolicy usb = Read(registry);
  EXPECT_EQ(usb.mode, facts::UsbStorageMode::kAllowed);
  EXPECT_THAT(usb.controls, IsEmpty());
}

TEST(WindowsUsbStorage, ReportsReadOnlyWhenOnlyWritingToRemovableDisksIsDenied) {
  testing::FakeRegistry registry;
  registry.SetDword(kDisksKey, "Deny_Write", 1);
  const facts::UsbStoragePolicy usb = Read(registry);
  EXPECT_EQ(usb.mode, facts::UsbStorageMode::kReadOnly);
  ASSERT_EQ(usb.controls.size(), 1u);
  EXPECT_EQ(usb.controls[0].mechanism, "Group Policy: Removable Disks: Deny write access");
  EXPECT_EQ(usb.controls[0].detail, "HKLM\\" + kDisksKey + "\\Deny_Write");
}

TEST(WindowsUsbStorage, ReportsBlockedWhenRemovableDisksDenyReadingAndWriting) {
  testing::FakeRegistry registry;
  registry.SetDword(kDisksKey, "Deny_Read", 1).SetDword(kDisksKey, "Deny_Write", 1);
  EXPECT_EQ(Read(registry).mode, facts::UsbStorageMode::kBlocked);
}

TEST(WindowsUsbStorage, DoesNotCountDenyingReadAloneOrExecuteAsABlock) {
  testing::FakeRegistry registry;
  registry.SetDword(kDisksKey, "Deny_Read", 1).SetDword(kDisksKey, "Deny_Execute", 1);
  const facts::UsbStoragePolicy usb = Read(registry);
  EXPECT_EQ(usb.mode, facts::UsbStorageMode::kAllowed);
  EXPECT_THAT(
      usb.controls,
      ElementsAre(Field(&facts::UsbStorageControl::mechanism, HasSubstr("Deny read access")),
                  Field(&facts::UsbStorageControl::mechanism, HasSubstr("Deny execute access"))));
}

TEST(WindowsUsbStorage, ReportsReadOnlyWhenStorageDevicePoliciesWriteProtect) {
  testing::FakeRegistry registry;
  registry.SetDword(kStorageDevicePoliciesKey, "WriteProtect", 1);
  const facts::UsbStoragePolicy usb = Read(registry);
  EXPECT_EQ(usb.mode, facts::UsbStorageMode::kReadOnly);
  ASSERT_EQ(usb.controls.size(), 1u);
  EXPECT_EQ(usb.controls[0].detail,
            R"(HKLM\SYSTEM\CurrentControlSet\Control\StorageDevicePolicies\WriteProtect)");
}

TEST(WindowsUsbStorage, ABlockWinsOverReadOnly) {
  testing::FakeRegistry registry;
  registry.SetDword(kStorageDevicePoliciesKey, "WriteProtect", 1)
      .SetDword(kUsbstorServiceKey, "Start", 4);
  const facts::UsbStoragePolicy usb = Read(registry);
  EXPECT_EQ(usb.mode, facts::UsbStorageMode::kBlocked);
  EXPECT_EQ(usb.controls.size(), 2u);
}

TEST(WindowsUsbStorage, ListsDefenderDeviceControlWithoutChangingTheMode) {
  testing::FakeRegistry registry;
  registry.SetString(kDefenderDeviceControlKey, "PolicyRules", R"(C:\policy\rules.xml)");
  const facts::UsbStoragePolicy usb = Read(registry);
  EXPECT_EQ(usb.mode, facts::UsbStorageMode::kAllowed);
  ASSERT_EQ(usb.controls.size(), 1u);
  EXPECT_THAT(usb.controls[0].mechanism, HasSubstr("Defender Device Control"));
  EXPECT_EQ(usb.controls[0].detail,
            R"(HKLM\SOFTWARE\Policies\Microsoft\Windows Defender\Device Control)");
}

TEST(WindowsUsbStorage, ListsEveryDeviceEverAttachedFromEnumUsbstor) {
  testing::FakeRegistry registry;
  const std::string sandisk =
      std::string(kUsbstorEnumKey) + R"(\Disk&Ven_SanDisk&Prod_Cruzer_Blade&Rev_1.00)";
  const std::string generic =
      std::string(kUsbstorEnumKey) + R"(\Disk&Ven_Generic&Prod_Flash_Disk&Rev_8.07)";
  registry.SetString(sandisk + R"(\4C530001231120115142&0)", "FriendlyName", "SanDisk")
      .SetString(generic + R"(\7&2a6e4d7&0)", "FriendlyName", "Generic");
  const facts::UsbStoragePolicy usb = Read(registry);
  EXPECT_EQ(usb.meta.status, facts::ProbeStatus::Ok());
  ASSERT_EQ(usb.devices.size(), 2u);
  EXPECT_EQ(usb.devices[0], (facts::UsbStorageDevice{"Generic", "Flash Disk", "", false}));
  EXPECT_EQ(usb.devices[1],
            (facts::UsbStorageDevice{"SanDisk", "Cruzer Blade", "4C530001231120115142", false}));
  EXPECT_EQ(usb.driver_loaded, std::nullopt);
}

TEST(WindowsUsbStorage, MarksDevicesPresentNowIgnoringCaseAndReportsTheDriverLoaded) {
  testing::FakeRegistry registry;
  registry.AddKey(std::string(kUsbstorEnumKey) +
                  R"(\Disk&Ven_SanDisk&Prod_Cruzer_Blade&Rev_1.00\4C530001231120115142&0)");
  registry.SetDword(kUsbstorServiceKey, "Start", 4);
  PresentUsbStorage present;
  present.instance_ids = {
      R"(USBSTOR\DISK&VEN_SANDISK&PROD_CRUZER_BLADE&REV_1.00\4C530001231120115142&0)"};
  const facts::UsbStoragePolicy usb = Read(registry, present);
  ASSERT_EQ(usb.devices.size(), 1u);
  EXPECT_TRUE(usb.devices[0].present);
  // Blocked since the stick went in: the driver stays loaded until it is removed or Windows
  // restarts.
  EXPECT_EQ(usb.mode, facts::UsbStorageMode::kBlocked);
  EXPECT_EQ(usb.driver_loaded, true);
}

TEST(WindowsUsbStorage, ReportsAPresentDeviceMissingFromEnum) {
  testing::FakeRegistry registry;
  PresentUsbStorage present;
  present.instance_ids = {R"(USBSTOR\DISK&VEN_BUFFALO&PROD_USB_FLASH_DISK&REV_1.00\0701234&0)"};
  const facts::UsbStoragePolicy usb = Read(registry, present);
  ASSERT_EQ(usb.devices.size(), 1u);
  EXPECT_EQ(usb.devices[0],
            (facts::UsbStorageDevice{"BUFFALO", "USB FLASH DISK", "0701234", true}));
}

TEST(WindowsUsbStorage, IsUnknownNamingTheErrorWhenPresentDevicesCannotBeListed) {
  testing::FakeRegistry registry;
  registry.SetDword(kUsbstorServiceKey, "Start", 4);
  PresentUsbStorage present;
  present.error = "SetupDiGetClassDevsW(USBSTOR, DIGCF_PRESENT) failed with error 5";
  const facts::UsbStoragePolicy usb = Read(registry, present);
  EXPECT_EQ(usb.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_EQ(usb.meta.status.reason,
            "attached USB storage unknown: SetupDiGetClassDevsW(USBSTOR, DIGCF_PRESENT) failed "
            "with error 5");
  // What was read is still reported.
  EXPECT_EQ(usb.mode, facts::UsbStorageMode::kBlocked);
}

TEST(UsbstorDeviceId, SplitsTypeVendorProductAndRevision) {
  EXPECT_EQ(ParseUsbstorDeviceId("Disk&Ven_SanDisk&Prod_Cruzer_Blade&Rev_1.00"),
            (UsbstorDeviceId{"Disk", "SanDisk", "Cruzer Blade", "1.00"}));
  EXPECT_EQ(ParseUsbstorDeviceId("CdRom&Ven_HL-DT-ST&Prod_DVDRAM_GP57EB40&Rev_PR10"),
            (UsbstorDeviceId{"CdRom", "HL-DT-ST", "DVDRAM GP57EB40", "PR10"}));
  EXPECT_EQ(ParseUsbstorDeviceId("DISK&VEN_&PROD_USB_DISK_2.0&REV_PMAP"),
            (UsbstorDeviceId{"DISK", "", "USB DISK 2.0", "PMAP"}));
  EXPECT_EQ(ParseUsbstorDeviceId("Disk&Ven_I-O_DATA&Prod_USB_Flash_Disk"),
            (UsbstorDeviceId{"Disk", "I-O DATA", "USB Flash Disk", ""}));
}

TEST(UsbstorDeviceId, RejectsOtherNames) {
  EXPECT_EQ(ParseUsbstorDeviceId(""), std::nullopt);
  EXPECT_EQ(ParseUsbstorDeviceId("Disk"), std::nullopt);
  EXPECT_EQ(ParseUsbstorDeviceId("Disk&Prod_X&Rev_1"), std::nullopt);
  EXPECT_EQ(ParseUsbstorDeviceId("&Ven_X&Prod_Y&Rev_1"), std::nullopt);
}

TEST(UsbstorSerialNumber, DropsTheLunAndWindowsMadeUpIds) {
  EXPECT_EQ(UsbstorSerialNumber("4C530001231120115142&0"), "4C530001231120115142");
  EXPECT_EQ(UsbstorSerialNumber("AA00000000000489&1"), "AA00000000000489");
  EXPECT_EQ(UsbstorSerialNumber("0701234"), "0701234");
  EXPECT_EQ(UsbstorSerialNumber("7&2a6e4d7&0"), "");
  EXPECT_EQ(UsbstorSerialNumber(""), "");
}

}  // namespace
}  // namespace mamori::parse
