// libFuzzer target: login.defs, pwquality.conf and PAM stack files.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "platform/parse/password_policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  mamori::parse::ParseLoginDefs(text);
  const auto conf = mamori::parse::ParsePwqualityConf(text);
  if (const auto args = mamori::parse::FindPamModuleArgs(text, "password", "pam_pwquality.so")) {
    mamori::parse::PamArgValue(*args, "minlen");
    mamori::parse::ComputePasswordRequirements(
        mamori::parse::QualityModule::kPwquality,
        mamori::parse::OverlayQuality(conf, mamori::parse::ParseQualityArgs(*args)));
  }
  mamori::parse::ComputePasswordRequirements(mamori::parse::QualityModule::kCracklib, conf);
  return 0;
}
