// The Windows USB storage probe.
#include "platform/windows/usb_storage_probe.h"

#include <utility>

#include "platform/parse/windows_usb_storage.h"

namespace mamori::platform {

WindowsUsbStorageProbe::WindowsUsbStorageProbe(ProbeEnvironment env,
                                               std::unique_ptr<RegistryReader> registry,
                                               std::unique_ptr<UsbDeviceLister> devices)
    : env_(std::move(env)), registry_(std::move(registry)), devices_(std::move(devices)) {}

facts::UsbStoragePolicy WindowsUsbStorageProbe::Collect() {
  facts::UsbStoragePolicy usb =
      parse::ReadWindowsUsbStoragePolicy(*registry_, devices_->ListPresentUsbStorage());
  usb.meta.collected_at = env_.now();
  return usb;
}

}  // namespace mamori::platform
