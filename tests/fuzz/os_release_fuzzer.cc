// libFuzzer target: /etc/os-release.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "platform/parse/os_release.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  mamori::parse::ParseOsRelease(text);
  return 0;
}
