// BitLocker values as WMI reports them (ROOT\CIMV2\Security\MicrosoftVolumeEncryption,
// Win32_EncryptableVolume). Pure logic, tested on every OS.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mamori::parse {

// ProtectionStatus: 1 on (encrypted, key not in the clear), 0 off (not encrypted, partly
// encrypted, or suspended with the key in the clear), 2 or anything else nullopt (cannot tell).
std::optional<bool> BitLockerProtectionOn(int64_t protection_status);

// EncryptionMethod as the facts model names it: 6 -> "BitLocker XTS-AES 128"; empty for 0 (none).
std::string BitLockerMethodName(int64_t encryption_method);

// ConversionStatus in words: 0 "fully decrypted", 1 "fully encrypted", 2 "encryption in progress",
// 3 "decryption in progress", 4 "encryption paused", 5 "decryption paused"; empty otherwise.
std::string_view BitLockerConversionText(int64_t conversion_status);

// The drive of a Windows path, as Win32_EncryptableVolume.DriveLetter writes it: "C:\Windows" ->
// "C:" (upper case); nullopt when the path does not start with a drive letter.
std::optional<std::string> DriveOfPath(std::string_view path);

}  // namespace mamori::parse
