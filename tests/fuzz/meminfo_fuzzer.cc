// libFuzzer target: /proc/meminfo.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "platform/parse/meminfo.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  mamori::parse::ParseMemTotalBytes(text);
  return 0;
}
