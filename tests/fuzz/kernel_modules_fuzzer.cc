// libFuzzer target: /proc/modules and modules.builtin.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "platform/parse/kernel_modules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  mamori::parse::ProcModulesLists(text, "usb_storage");
  mamori::parse::ModulesBuiltinLists(text, "usb-storage");
  return 0;
}
