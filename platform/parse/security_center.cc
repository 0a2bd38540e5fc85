// Decoders for Security Center's productState and Defender's running mode.
#include "platform/parse/security_center.h"

#include "platform/parse/text.h"

namespace mamori::parse {
namespace {}  // namespace

std::optional<SecurityCenterProductState> DecodeProductState(int64_t product_state) {
  if (product_state < 0 || product_state > 0xFFFFFF) {
    return std::nullopt;
  }
  const auto digit = [product_state](int shift) { return (product_state >> shift) & 0xF; };
  SecurityCenterProductState decoded;
  switch (digit(12)) {
    case 0:
      decoded.state = facts::AntivirusState::kOff;
      break;
    case 1:
      decoded.state = facts::AntivirusState::kOn;
      break;
    case 2:
      decoded.state = facts::AntivirusState::kSnoozed;
      break;
    case 3:
      decoded.state = facts::AntivirusState::kExpired;
      break;
    default:
      decoded.state = facts::AntivirusState::kUnspecified;
      break;
  }
  decoded.microsoft_owned = digit(8) == 1;
  if (digit(4) == 0) {
    decoded.signatures_up_to_date = true;
  } else if (digit(4) == 1) {
    decoded.signatures_up_to_date = false;
  }
  return decoded;
}

facts::AntivirusState DefenderState(std::string_view am_running_mode,
                                    std::optional<bool> antivirus_enabled,
                                    std::optional<bool> service_enabled) {
  const std::string_view mode = TrimAsciiWhitespace(am_running_mode);
  // "Passive Mode", "SxS Passive Mode" (beside a third-party product under Defender for
  // Endpoint) and "EDR Block Mode" (passive, but blocking what EDR detects) all leave scanning to
  // another product.
  if (ContainsIgnoringAsciiCase(mode, "passive") ||
      EqualsIgnoringAsciiCase(mode, "edr block mode")) {
    return facts::AntivirusState::kPassive;
  }
  if (EqualsIgnoringAsciiCase(mode, "not running") || service_enabled == false ||
      antivirus_enabled == false) {
    return facts::AntivirusState::kOff;
  }
  if (EqualsIgnoringAsciiCase(mode, "normal") || antivirus_enabled == true) {
    return facts::AntivirusState::kOn;
  }
  return facts::AntivirusState::kUnspecified;
}

}  // namespace mamori::parse
