// Decoders for Win32_EncryptableVolume values.
#include "platform/parse/bitlocker.h"

namespace mamori::parse {

std::optional<bool> BitLockerProtectionOn(int64_t protection_status) {
  switch (protection_status) {
    case 0:
      return false;
    case 1:
      return true;
    default:
      return std::nullopt;
  }
}

std::string BitLockerMethodName(int64_t encryption_method) {
  switch (encryption_method) {
    case 0:
      return {};
    case 1:
      return "BitLocker AES-CBC 128 with Diffuser";
    case 2:
      return "BitLocker AES-CBC 256 with Diffuser";
    case 3:
      return "BitLocker AES-CBC 128";
    case 4:
      return "BitLocker AES-CBC 256";
    case 5:
      return "BitLocker hardware encryption";
    case 6:
      return "BitLocker XTS-AES 128";
    case 7:
      return "BitLocker XTS-AES 256";
    default:
      // The class documents (uint32)-1 as an unknown algorithm; later Windows may add methods.
      return "BitLocker (unknown method " + std::to_string(encryption_method) + ")";
  }
}

std::string_view BitLockerConversionText(int64_t conversion_status) {
  switch (conversion_status) {
    case 0:
      return "fully decrypted";
    case 1:
      return "fully encrypted";
    case 2:
      return "encryption in progress";
    case 3:
      return "decryption in progress";
    case 4:
      return "encryption paused";
    case 5:
      return "decryption paused";
    default:
      return {};
  }
}

std::optional<std::string> DriveOfPath(std::string_view path) {
  if (path.size() < 2 || path[1] != ':') {
    return std::nullopt;
  }
  const char letter = path[0];
  if (letter >= 'a' && letter <= 'z') {
    return std::string{static_cast<char>(letter - 'a' + 'A'), ':'};
  }
  if (letter >= 'A' && letter <= 'Z') {
    return std::string{letter, ':'};
  }
  return std::nullopt;
}

}  // namespace mamori::parse
