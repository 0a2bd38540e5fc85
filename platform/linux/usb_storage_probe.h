// The Linux USB storage probe: whether USB mass storage is blocked (modprobe.d, USBGuard), whether
// the usb-storage driver is loaded or built into the kernel, and which mass-storage devices are
// attached now.
#pragma once

#include <string_view>

#include "platform/probe.h"

namespace mamori::platform {

class LinuxUsbStorageProbe final : public Probe<facts::UsbStoragePolicy> {
 public:
  explicit LinuxUsbStorageProbe(ProbeEnvironment env);

  std::string_view Name() const override { return "linux usb storage"; }
  facts::UsbStoragePolicy Collect() override;

 private:
  ProbeEnvironment env_;
};

}  // namespace mamori::platform
