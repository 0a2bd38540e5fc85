// The probes of a Linux host. Later sections (patch, antivirus, ...) fill their slots here as they
// land.
#include <memory>

#include "platform/linux/inventory_probe.h"
#include "platform/linux/running_kernel.h"
#include "platform/probe.h"

namespace mamori::platform {

ProbeRegistry MakeHostProbes(const ProbeEnvironment& env) {
  ProbeRegistry probes;
  // The running kernel's facts belong to "/" only; under any other root they would be the wrong
  // host's.
  const bool live_host = env.root.lexically_normal() == std::filesystem::path("/");
  probes.inventory =
      std::make_unique<LinuxInventoryProbe>(env, live_host ? MakeSyscallRunningKernel() : nullptr);
  return probes;
}

}  // namespace mamori::platform
