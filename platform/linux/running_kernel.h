// The seam for the few inventory facts that are not files: IP addresses (getifaddrs(), netlink)
// and, on kernels without /proc/sys/kernel/arch, the machine architecture (uname()). Both describe
// the kernel this process runs on, not the probe's root tree, so the Linux inventory probe asks
// them only when its root is
// "/"; against a fixture tree they would mix the build machine's facts into the fixture's.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace mamori::platform {

struct InterfaceAddress {
  std::string interface;  // "eth0"
  std::string address;    // "192.0.2.10/24", "fe80::1/64"
  friend bool operator==(const InterfaceAddress&, const InterfaceAddress&) = default;
};

class RunningKernel {
 public:
  virtual ~RunningKernel() = default;
  // Every IPv4 and IPv6 address assigned to any interface, loopback included.
  virtual std::vector<InterfaceAddress> InterfaceAddresses() = 0;
  // uname()'s machine field ("x86_64", "aarch64"); empty when unavailable.
  virtual std::string MachineArchitecture() = 0;
};

// The real thing: getifaddrs() and uname().
std::unique_ptr<RunningKernel> MakeSyscallRunningKernel();

}  // namespace mamori::platform
