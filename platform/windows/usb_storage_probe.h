// The Windows USB storage probe: whether USB mass storage is blocked, read-only or allowed (USBSTOR
// start type, removable storage Group Policy, write protection), and the USB storage devices seen
// before and attached now. How each fact is decided: parse/windows_usb_storage.h.
#pragma once

#include <memory>
#include <string_view>

#include "platform/probe.h"
#include "platform/windows/registry_reader.h"
#include "platform/windows/usb_device_lister.h"

namespace mamori::platform {

class WindowsUsbStorageProbe final : public Probe<facts::UsbStoragePolicy> {
 public:
  // registry reads HKEY_LOCAL_MACHINE; devices lists what is attached now.
  WindowsUsbStorageProbe(ProbeEnvironment env, std::unique_ptr<RegistryReader> registry,
                         std::unique_ptr<UsbDeviceLister> devices);

  std::string_view Name() const override { return "windows usb storage"; }
  facts::UsbStoragePolicy Collect() override;

 private:
  ProbeEnvironment env_;
  std::unique_ptr<RegistryReader> registry_;
  std::unique_ptr<UsbDeviceLister> devices_;
};

}  // namespace mamori::platform
