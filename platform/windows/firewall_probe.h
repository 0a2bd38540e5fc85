// The Windows firewall probe: whether Windows Defender Firewall filters in each network profile.
// How each fact is decided: parse/windows_firewall.h.
#pragma once

#include <memory>
#include <string_view>

#include "platform/probe.h"
#include "platform/windows/registry_reader.h"

namespace mamori::platform {

class WindowsFirewallProbe final : public Probe<facts::Firewall> {
 public:
  // registry reads HKEY_LOCAL_MACHINE.
  WindowsFirewallProbe(ProbeEnvironment env, std::unique_ptr<RegistryReader> registry);

  std::string_view Name() const override { return "windows firewall"; }
  facts::Firewall Collect() override;

 private:
  ProbeEnvironment env_;
  std::unique_ptr<RegistryReader> registry_;
};

}  // namespace mamori::platform
