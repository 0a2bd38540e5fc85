// The Windows USB storage probe with a fake registry and a fake SetupAPI lister (the registry logic
// itself is tested on every OS in windows_usb_storage_test.cc); runs under Wine.
#include "platform/windows/usb_storage_probe.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>

#include "platform/windows/win32_usb_device_lister.h"
#include "tests/platform/fake_registry.h"
#include "tests/platform/fixture.h"

namespace mamori::platform {
namespace {

const facts::Timestamp kNow{std::chrono::seconds(1795600000)};

class FakeUsbDeviceLister final : public UsbDeviceLister {
 public:
  explicit FakeUsbDeviceLister(parse::PresentUsbStorage present) : present_(std::move(present)) {}
  parse::PresentUsbStorage ListPresentUsbStorage() override { return present_; }

 private:
  parse::PresentUsbStorage present_;
};

TEST(WindowsUsbStorageProbe, ReportsBlockedWhenUsbstorStartIsFourWithTheTimeOfCollection) {
  auto registry = std::make_unique<testing::FakeRegistry>();
  registry->SetDword(parse::kUsbstorServiceKey, "Start", 4);
  WindowsUsbStorageProbe probe(testing::FixedTimeEnvironment({}, kNow), std::move(registry),
                               std::make_unique<FakeUsbDeviceLister>(parse::PresentUsbStorage{}));
  const facts::UsbStoragePolicy usb = probe.Collect();
  EXPECT_EQ(usb.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(usb.meta.collected_at, kNow);
  EXPECT_EQ(usb.mode, facts::UsbStorageMode::kBlocked);
}

TEST(WindowsUsbStorageProbe, MarksTheStickTheListerSeesAsPresent) {
  const std::string device = R"(Disk&Ven_SanDisk&Prod_Cruzer_Blade&Rev_1.00)";
  auto registry = std::make_unique<testing::FakeRegistry>();
  registry->SetDword(parse::kUsbstorServiceKey, "Start", 3)
      .AddKey(std::string(parse::kUsbstorEnumKey) + "\\" + device + R"(\4C530001231120115142&0)");
  parse::PresentUsbStorage present;
  present.instance_ids = {"USBSTOR\\" + device + R"(\4C530001231120115142&0)"};
  WindowsUsbStorageProbe probe(testing::FixedTimeEnvironment({}, kNow), std::move(registry),
                               std::make_unique<FakeUsbDeviceLister>(present));
  const facts::UsbStoragePolicy usb = probe.Collect();
  EXPECT_EQ(usb.mode, facts::UsbStorageMode::kAllowed);
  ASSERT_EQ(usb.devices.size(), 1u);
  EXPECT_TRUE(usb.devices[0].present);
  EXPECT_EQ(usb.devices[0].serial_number, "4C530001231120115142");
  EXPECT_EQ(usb.driver_loaded, true);
}

TEST(WindowsUsbStorageProbe, IsUnknownWhenTheListerFails) {
  parse::PresentUsbStorage failed;
  failed.error = "SetupDiGetClassDevsW(USBSTOR, DIGCF_PRESENT) failed with error 5";
  WindowsUsbStorageProbe probe(testing::FixedTimeEnvironment({}, kNow),
                               std::make_unique<testing::FakeRegistry>(),
                               std::make_unique<FakeUsbDeviceLister>(failed));
  const facts::UsbStoragePolicy usb = probe.Collect();
  EXPECT_EQ(usb.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_NE(usb.meta.status.reason.find("error 5"), std::string::npos);
}

TEST(WindowsUsbStorageProbe, TheRealListerAnswersWithoutAnError) {
  // Wine has no USB storage: SetupAPI lists nothing, and that is an answer, not a failure.
  const parse::PresentUsbStorage present = MakeWin32UsbDeviceLister()->ListPresentUsbStorage();
  EXPECT_EQ(present.error, "");
}

}  // namespace
}  // namespace mamori::platform
