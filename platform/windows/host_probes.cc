// The probes of a Windows host. Later sections (patch, antivirus, ...) fill their slots here as
// they land.
#include <memory>

#include "platform/probe.h"
#include "platform/windows/inventory_probe.h"
#include "platform/windows/win32_registry_reader.h"

namespace mamori::platform {

ProbeRegistry MakeHostProbes(const ProbeEnvironment& env) {
  ProbeRegistry probes;
  probes.inventory = std::make_unique<WindowsInventoryProbe>(env, MakeWin32RegistryReader());
  return probes;
}

}  // namespace mamori::platform
