// The real UsbDeviceLister: SetupAPI's present devices of the USBSTOR enumerator.
#pragma once

#include <memory>

#include "platform/windows/usb_device_lister.h"

namespace mamori::platform {

std::unique_ptr<UsbDeviceLister> MakeWin32UsbDeviceLister();

}  // namespace mamori::platform
