// libFuzzer target: /var/log/apt/history.log and its date format.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "platform/parse/apt_history.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  mamori::parse::ParseAptHistoryLastUpgrade(text);
  mamori::parse::ParseAptHistoryDate(text);
  return 0;
}
