// The Linux inventory probe: the 台帳 row of a Linux host, read from files below the environment's
// root (a fixture tree in tests) plus, on a live host, what only the running kernel can tell.
#pragma once

#include <memory>
#include <string_view>

#include "platform/linux/running_kernel.h"
#include "platform/probe.h"

namespace mamori::platform {

class LinuxInventoryProbe final : public Probe<facts::Inventory> {
 public:
  // running_kernel may be null: IP addresses, and the architecture on kernels without
  // /proc/sys/kernel/arch, are then left empty. MakeHostProbes passes the real one only when root
  // is "/".
  LinuxInventoryProbe(ProbeEnvironment env, std::unique_ptr<RunningKernel> running_kernel);

  std::string_view Name() const override { return "linux inventory"; }
  // The section is ok when the hostname and the OS release were read; otherwise unknown (a file is
  // missing) or error (a file is unreadable or malformed), the reason naming every such path.
  facts::Inventory Collect() override;

 private:
  ProbeEnvironment env_;
  std::unique_ptr<RunningKernel> running_kernel_;
};

}  // namespace mamori::platform
