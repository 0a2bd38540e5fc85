// The Windows disk encryption probe: BitLocker's protection of the system drive, from
// Win32_EncryptableVolume in ROOT\CIMV2\Security\MicrosoftVolumeEncryption.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "platform/probe.h"
#include "platform/windows/wmi_client.h"

namespace mamori::platform {

// The system drive counts as encrypted when BitLocker protection is on (ProtectionStatus 1): an
// encrypted volume whose protection is suspended keeps its key in the clear, and the method then
// says so ("BitLocker XTS-AES 128 (protection suspended)"). The class answers only to
// administrators (the agent runs as LocalSystem): access denied is unknown with a reason naming
// elevation, as is a Windows without the namespace (Home editions without device encryption, Wine).
class WindowsDiskEncryptionProbe final : public Probe<facts::DiskEncryption> {
 public:
  // system_drive is the drive holding Windows, as DriveLetter writes it ("C:"); SystemDrive() on a
  // real host, any drive in tests. Empty means it could not be found.
  WindowsDiskEncryptionProbe(ProbeEnvironment env, std::unique_ptr<WmiClient> wmi,
                             std::string system_drive);

  std::string_view Name() const override { return "windows disk encryption"; }
  facts::DiskEncryption Collect() override;

 private:
  ProbeEnvironment env_;
  std::unique_ptr<WmiClient> wmi_;
  std::string system_drive_;
};

// The drive of the Windows directory ("C:") from GetSystemWindowsDirectoryW (the real one, also
// under Terminal Services); empty when it cannot be read.
std::string SystemDrive();

}  // namespace mamori::platform
