// The Windows disk encryption probe.
#include "platform/windows/disk_encryption_probe.h"

#include <windows.h>

#include <optional>
#include <string>
#include <utility>

#include "platform/parse/bitlocker.h"
#include "platform/windows/wide_text.h"

namespace mamori::platform {
namespace {

constexpr std::string_view kVolumeEncryptionNamespace =
    R"(ROOT\CIMV2\Security\MicrosoftVolumeEncryption)";
constexpr std::string_view kVolumeQuery =
    "SELECT DriveLetter, ProtectionStatus, EncryptionMethod, ConversionStatus FROM "
    "Win32_EncryptableVolume";

// The client's error text names the HRESULT symbolically (parse::DescribeHresult).
bool IsAccessDenied(std::string_view error) {
  return error.find("(WBEM_E_ACCESS_DENIED)") != std::string_view::npos ||
         error.find("(E_ACCESSDENIED)") != std::string_view::npos;
}

bool SameDrive(std::string_view a, std::string_view b) {
  return parse::DriveOfPath(a).has_value() && parse::DriveOfPath(a) == parse::DriveOfPath(b);
}

}  // namespace

WindowsDiskEncryptionProbe::WindowsDiskEncryptionProbe(ProbeEnvironment env,
                                                       std::unique_ptr<WmiClient> wmi,
                                                       std::string system_drive)
    : env_(std::move(env)), wmi_(std::move(wmi)), system_drive_(std::move(system_drive)) {}

facts::DiskEncryption WindowsDiskEncryptionProbe::Collect() {
  facts::DiskEncryption encryption;
  encryption.meta.collected_at = env_.now();
  if (system_drive_.empty()) {
    encryption.meta.status = facts::ProbeStatus::Unknown(
        "system drive unknown: GetSystemWindowsDirectoryW gave no drive letter");
    return encryption;
  }

  const WmiQueryResult volumes = wmi_->Query(kVolumeEncryptionNamespace, kVolumeQuery);
  if (!volumes.ok()) {
    encryption.meta.status = facts::ProbeStatus::Unknown(
        IsAccessDenied(volumes.error)
            ? "BitLocker state needs administrator rights (run as LocalSystem or elevated): " +
                  volumes.error
            : "BitLocker state unknown: Win32_EncryptableVolume: " + volumes.error);
    return encryption;
  }

  const WmiObject* system_volume = nullptr;
  for (const WmiObject& volume : volumes.objects) {
    if (SameDrive(WmiString(volume, "DriveLetter").value_or(""), system_drive_)) {
      system_volume = &volume;
      break;
    }
  }
  if (system_volume == nullptr) {
    encryption.meta.status = facts::ProbeStatus::Unknown(
        "BitLocker state unknown: Win32_EncryptableVolume lists no volume " + system_drive_ + " (" +
        std::to_string(volumes.objects.size()) + " volumes listed)");
    return encryption;
  }

  const std::optional<int64_t> protection = WmiInteger(*system_volume, "ProtectionStatus");
  const std::optional<int64_t> method = WmiInteger(*system_volume, "EncryptionMethod");
  const std::optional<int64_t> conversion = WmiInteger(*system_volume, "ConversionStatus");
  encryption.method = method ? parse::BitLockerMethodName(*method) : std::string();
  encryption.system_volume_encrypted =
      protection ? parse::BitLockerProtectionOn(*protection) : std::nullopt;
  if (encryption.system_volume_encrypted == false && !encryption.method.empty() && conversion) {
    // Encrypted or on its way, but not protecting yet (or any more): say which.
    const std::string_view state = *conversion == 1 ? std::string_view("protection suspended")
                                                    : parse::BitLockerConversionText(*conversion);
    if (!state.empty()) {
      encryption.method += " (" + std::string(state) + ")";
    }
  }
  if (!encryption.system_volume_encrypted) {
    encryption.meta.status = facts::ProbeStatus::Unknown(
        "BitLocker protection of " + system_drive_ + " cannot be told: ProtectionStatus " +
        (protection ? std::to_string(*protection) + " (the volume may be locked)"
                    : std::string("absent")));
    return encryption;
  }
  encryption.meta.status = facts::ProbeStatus::Ok();
  return encryption;
}

std::string SystemDrive() {
  wchar_t directory[MAX_PATH + 1] = {};
  const UINT length = ::GetSystemWindowsDirectoryW(directory, MAX_PATH + 1);
  if (length == 0 || length > MAX_PATH) {
    return {};
  }
  return parse::DriveOfPath(ToUtf8(std::wstring_view(directory, length))).value_or("");
}

}  // namespace mamori::platform
