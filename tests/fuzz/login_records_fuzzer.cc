// libFuzzer target: utmp/wtmp and lastlog records (binary).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "platform/parse/login_records.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  mamori::parse::ParseUtmpRecords(text);
  mamori::parse::ParseLastlogRecord(text);
  return 0;
}
