// libFuzzer target: INI-style files, dconf values, logind session files, mountinfo, file name
// patterns.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "platform/parse/block_device.h"
#include "platform/parse/dconf_value.h"
#include "platform/parse/filename_pattern.h"
#include "platform/parse/ini_file.h"
#include "platform/parse/logind_session.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto entries = mamori::parse::ParseIniFile(text);
  mamori::parse::LastIniValue(entries, "daemon", "AutomaticLogin");
  mamori::parse::ParseConfigBool(text);
  mamori::parse::ParseDconfUnsigned(text);
  mamori::parse::ParseDconfString(text);
  mamori::parse::ParseLogindSession(text);
  mamori::parse::FindRootMount(text);
  mamori::parse::DmCryptMethod(text);
  mamori::parse::ParseDeviceNumber(text);
  // The first half as a pattern, the rest as a name.
  mamori::parse::MatchesFilenamePattern(text.substr(0, size / 2), text.substr(size / 2));
  return 0;
}
