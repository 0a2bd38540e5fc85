// The probes of a Windows host. Later sections (patch, antivirus, ...) fill their slots here as
// they land.
#include <memory>

#include "platform/probe.h"
#include "platform/windows/antivirus_probe.h"
#include "platform/windows/disk_encryption_probe.h"
#include "platform/windows/inventory_probe.h"
#include "platform/windows/patch_probe.h"
#include "platform/windows/win32_registry_reader.h"
#include "platform/windows/win32_windows_update_agent.h"
#include "platform/windows/win32_wmi_client.h"

namespace mamori::platform {

ProbeRegistry MakeHostProbes(const ProbeEnvironment& env) {
  ProbeRegistry probes;
  probes.inventory =
      std::make_unique<WindowsInventoryProbe>(env, MakeWin32RegistryReader(), MakeWin32WmiClient());
  probes.patch = std::make_unique<WindowsPatchProbe>(
      env, MakeWin32RegistryReader(), MakeWin32WmiClient(), MakeWin32WindowsUpdateAgent());
  probes.antivirus = std::make_unique<WindowsAntivirusProbe>(env, MakeWin32WmiClient());
  probes.disk_encryption =
      std::make_unique<WindowsDiskEncryptionProbe>(env, MakeWin32WmiClient(), SystemDrive());
  return probes;
}

}  // namespace mamori::platform
