// The seam between the USB storage probe and SetupAPI: which USB storage devices are attached now.
// The real lister (win32_usb_device_lister.h) asks SetupAPI; tests pass a fake.
#pragma once

#include <cstddef>

#include "platform/parse/windows_usb_storage.h"

namespace mamori::platform {

class UsbDeviceLister {
 public:
  // More USB storage devices than this are not attached to one PC; the rest are not listed.
  static constexpr std::size_t kMaxDevices = 256;

  virtual ~UsbDeviceLister() = default;
  // Instance ids of the present devices enumerated by USBSTOR (usbstor.sys), or the error.
  virtual parse::PresentUsbStorage ListPresentUsbStorage() = 0;
};

}  // namespace mamori::platform
