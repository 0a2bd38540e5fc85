// libFuzzer target: /etc/passwd, /etc/shadow and /etc/group.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "platform/parse/passwd.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  mamori::parse::ParsePasswd(text);
  mamori::parse::ParseShadow(text);
  mamori::parse::ParseGroup(text);
  mamori::parse::FullNameFromGecos(text);
  return 0;
}
