// The Windows inventory probe: the 台帳 row of a Windows PC from Win32 system calls and the
// registry.
#pragma once

#include <memory>
#include <string_view>

#include "platform/probe.h"
#include "platform/windows/registry_reader.h"

namespace mamori::platform {

class WindowsInventoryProbe final : public Probe<facts::Inventory> {
 public:
  // Registry values (release, CPU name, machine GUID) come through registry, so tests can pose as
  // any Windows release; hostname, memory, processors, uptime and adapters come from the running
  // system.
  WindowsInventoryProbe(ProbeEnvironment env, std::unique_ptr<RegistryReader> registry);

  std::string_view Name() const override { return "windows inventory"; }
  // The section is ok when the hostname and the Windows release name were read; otherwise an error
  // naming what could not be read.
  facts::Inventory Collect() override;

 private:
  ProbeEnvironment env_;
  std::unique_ptr<RegistryReader> registry_;
};

}  // namespace mamori::platform
