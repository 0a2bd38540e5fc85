// The Windows firewall probe.
#include "platform/windows/firewall_probe.h"

#include <utility>

#include "platform/parse/windows_firewall.h"

namespace mamori::platform {

WindowsFirewallProbe::WindowsFirewallProbe(ProbeEnvironment env,
                                           std::unique_ptr<RegistryReader> registry)
    : env_(std::move(env)), registry_(std::move(registry)) {}

facts::Firewall WindowsFirewallProbe::Collect() {
  facts::Firewall firewall = parse::ReadWindowsFirewall(*registry_);
  firewall.meta.collected_at = env_.now();
  return firewall;
}

}  // namespace mamori::platform
