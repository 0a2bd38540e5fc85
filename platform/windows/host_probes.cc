// The probes of a Windows host. Later sections (patch, antivirus, ...) fill their slots here as
// they land.
#include <memory>

#include "platform/probe.h"
#include "platform/windows/accounts_probe.h"
#include "platform/windows/antivirus_probe.h"
#include "platform/windows/disk_encryption_probe.h"
#include "platform/windows/firewall_probe.h"
#include "platform/windows/inventory_probe.h"
#include "platform/windows/logon_probe.h"
#include "platform/windows/patch_probe.h"
#include "platform/windows/power_probe.h"
#include "platform/windows/remote_access_probe.h"
#include "platform/windows/usb_storage_probe.h"
#include "platform/windows/win32_local_accounts_api.h"
#include "platform/windows/win32_power_settings.h"
#include "platform/windows/win32_registry_reader.h"
#include "platform/windows/win32_session_api.h"
#include "platform/windows/win32_usb_device_lister.h"
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
  probes.usb_storage = std::make_unique<WindowsUsbStorageProbe>(env, MakeWin32RegistryReader(),
                                                                MakeWin32UsbDeviceLister());
  probes.logon = std::make_unique<WindowsLogonProbe>(env, MakeWin32RegistryReader(),
                                                     MakeWin32RegistryReader(RegistryHive::kUsers));
  probes.firewall = std::make_unique<WindowsFirewallProbe>(env, MakeWin32RegistryReader());
  probes.remote_access = std::make_unique<WindowsRemoteAccessProbe>(env, MakeWin32RegistryReader(),
                                                                    WindowsSshdConfigPath());
  probes.accounts = std::make_unique<WindowsAccountsProbe>(env, MakeWin32LocalAccountsApi());
  // Own-session idle (mamori-check runs in the user's session). The agent service replaces this
  // slot with the same probe over its IdlePipeServer: see docs/windows.md.
  probes.power = std::make_unique<WindowsPowerProbe>(
      env, MakeWin32SessionApi(), MakeWin32PowerSettings(), MakeWin32RegistryReader(),
      std::make_shared<OwnSessionIdle>(MakeWin32SessionApi()));
  return probes;
}

}  // namespace mamori::platform
