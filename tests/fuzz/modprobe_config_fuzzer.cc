// libFuzzer target: modprobe.d files, install commands and USBGuard configuration.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "platform/parse/modprobe_config.h"
#include "platform/parse/usbguard_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto config = mamori::parse::ParseModprobeConfig(text, "usb-storage");
  if (config.install_command) {
    mamori::parse::InstallCommandBlocksLoading(*config.install_command);
  }
  mamori::parse::InstallCommandBlocksLoading(text);
  mamori::parse::ParseUsbGuardImplicitPolicyTarget(text);
  mamori::parse::UsbGuardRulesAllowEverything(text);
  return 0;
}
