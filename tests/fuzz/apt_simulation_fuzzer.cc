// libFuzzer target: apt-get -s dist-upgrade output.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "platform/parse/apt_simulation.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto simulation = mamori::parse::ParseAptSimulation(text)) {
    for (const auto& update : simulation->updates) {
      if (update.name.empty() || update.candidate_version.empty()) {
        __builtin_trap();  // the parser promised to skip such lines
      }
    }
  }
  return 0;
}
