// libFuzzer target: ClamAV .cvd/.cld headers and their build time.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "platform/parse/clamav_database.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  mamori::parse::ParseClamAvDatabaseHeader(text);
  mamori::parse::ParseClamAvBuildTime(text);
  return 0;
}
