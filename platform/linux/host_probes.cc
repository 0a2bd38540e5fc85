// The probes of a Linux host. Later sections (patch, antivirus, ...) fill their slots here as they
// land.
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <system_error>
#include <utility>

#include "platform/linux/accounts_probe.h"
#include "platform/linux/antivirus_probe.h"
#include "platform/linux/disk_encryption_probe.h"
#include "platform/linux/firewall_probe.h"
#include "platform/linux/inventory_probe.h"
#include "platform/linux/logon_probe.h"
#include "platform/linux/patch_probe.h"
#include "platform/linux/power_probe.h"
#include "platform/linux/recorded_update_source.h"
#include "platform/linux/remote_access_probe.h"
#include "platform/linux/running_kernel.h"
#include "platform/linux/usb_storage_probe.h"
#include "platform/probe.h"

namespace mamori::platform {

ProbeRegistry MakeHostProbes(const ProbeEnvironment& env) {
  ProbeRegistry probes;
  // The running kernel's facts belong to "/" only; under any other root they would be the wrong
  // host's.
  const bool live_host = env.root.lexically_normal() == std::filesystem::path("/");
  probes.inventory =
      std::make_unique<LinuxInventoryProbe>(env, live_host ? MakeSyscallRunningKernel() : nullptr);
  // apt-get simulates against the package database of the system it runs on, so it belongs to the
  // live root only. Another root (a copied or mounted tree, a fixture) can carry a recorded
  // simulation instead; without one its pending updates stay unknown.
  std::unique_ptr<PackageUpdateSource> updates;
  if (live_host) {
    if (::access("/usr/bin/apt-get", X_OK) == 0) {
      updates = MakeAptGetUpdateSource("/usr/bin/apt-get");
    }
  } else if (std::error_code ignored;
             std::filesystem::is_regular_file(env.root / kRecordedSimulationPath, ignored)) {
    updates = MakeRecordedUpdateSource(env.root);
  }
  probes.patch = std::make_unique<LinuxPatchProbe>(env, std::move(updates));
  probes.antivirus = std::make_unique<LinuxAntivirusProbe>(env);
  probes.usb_storage = std::make_unique<LinuxUsbStorageProbe>(env);
  probes.power = std::make_unique<LinuxPowerProbe>(env);
  probes.accounts = std::make_unique<LinuxAccountsProbe>(env);
  probes.logon = std::make_unique<LinuxLogonProbe>(env);
  // The live nftables ruleset is the running kernel's; under a fixture root the probe reads
  // /etc/nftables.conf instead.
  const bool has_nft = live_host && ::access("/usr/sbin/nft", X_OK) == 0;
  probes.firewall =
      std::make_unique<LinuxFirewallProbe>(env, has_nft ? MakeNftCommandRulesetSource() : nullptr);
  probes.disk_encryption = std::make_unique<LinuxDiskEncryptionProbe>(env);
  probes.remote_access = std::make_unique<LinuxRemoteAccessProbe>(env);
  return probes;
}

}  // namespace mamori::platform
