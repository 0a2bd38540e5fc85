// The Windows inventory probe: the 台帳 row of a Windows PC from Win32 system calls, the registry
// and WMI.
#pragma once

#include <memory>
#include <string_view>

#include "platform/probe.h"
#include "platform/windows/registry_reader.h"
#include "platform/windows/wmi_client.h"

namespace mamori::platform {

class WindowsInventoryProbe final : public Probe<facts::Inventory> {
 public:
  // Registry values (release, CPU name, machine GUID, installed programs) come through registry
  // and the hardware (Win32_ComputerSystem, Win32_BIOS) through wmi, so tests can pose as any PC;
  // hostname, memory, processors, uptime and adapters come from the running system.
  WindowsInventoryProbe(ProbeEnvironment env, std::unique_ptr<RegistryReader> registry,
                        std::unique_ptr<WmiClient> wmi);

  std::string_view Name() const override { return "windows inventory"; }
  // The section is ok when the hostname and the Windows release name were read; otherwise an error
  // naming what could not be read. Hardware WMI could not tell stays empty and is named in the
  // status reason without failing the section: the ledger row is still worth having.
  facts::Inventory Collect() override;

 private:
  ProbeEnvironment env_;
  std::unique_ptr<RegistryReader> registry_;
  std::unique_ptr<WmiClient> wmi_;
};

}  // namespace mamori::platform
