// libFuzzer target: sshd_config.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "platform/parse/sshd_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto settings = mamori::parse::EffectiveSshdSettings(mamori::parse::ParseSshdConfig(text));
  mamori::parse::SshdAcceptsRootPassword(settings);
  return 0;
}
