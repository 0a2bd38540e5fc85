// getifaddrs() and uname() behind the RunningKernel seam.
#include "platform/linux/running_kernel.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/utsname.h>

#include <bit>
#include <cstring>

namespace mamori::platform {
namespace {

struct IfaddrsDeleter {
  void operator()(ifaddrs* list) const { ::freeifaddrs(list); }
};

int PrefixLength(const unsigned char* mask, std::size_t size) {
  int bits = 0;
  for (std::size_t i = 0; i < size; ++i) {
    bits += std::popcount(static_cast<unsigned>(mask[i]));
  }
  return bits;
}

// "192.0.2.10/24" for an IPv4 or IPv6 address; empty for other families.
std::string FormatAddress(const sockaddr* address, const sockaddr* netmask) {
  char text[INET6_ADDRSTRLEN] = {};
  int prefix = -1;
  if (address->sa_family == AF_INET) {
    sockaddr_in ipv4{};
    std::memcpy(&ipv4, address, sizeof(ipv4));
    if (::inet_ntop(AF_INET, &ipv4.sin_addr, text, sizeof(text)) == nullptr) {
      return {};
    }
    if (netmask != nullptr) {
      sockaddr_in mask{};
      std::memcpy(&mask, netmask, sizeof(mask));
      unsigned char bytes[sizeof(mask.sin_addr)];
      std::memcpy(bytes, &mask.sin_addr, sizeof(bytes));
      prefix = PrefixLength(bytes, sizeof(bytes));
    }
  } else if (address->sa_family == AF_INET6) {
    sockaddr_in6 ipv6{};
    std::memcpy(&ipv6, address, sizeof(ipv6));
    if (::inet_ntop(AF_INET6, &ipv6.sin6_addr, text, sizeof(text)) == nullptr) {
      return {};
    }
    if (netmask != nullptr) {
      sockaddr_in6 mask{};
      std::memcpy(&mask, netmask, sizeof(mask));
      prefix = PrefixLength(mask.sin6_addr.s6_addr, sizeof(mask.sin6_addr.s6_addr));
    }
  } else {
    return {};
  }
  std::string formatted = text;
  if (prefix >= 0) {
    formatted += "/" + std::to_string(prefix);
  }
  return formatted;
}

class SyscallRunningKernel final : public RunningKernel {
 public:
  std::vector<InterfaceAddress> InterfaceAddresses() override {
    ifaddrs* raw = nullptr;
    if (::getifaddrs(&raw) != 0) {
      return {};
    }
    const std::unique_ptr<ifaddrs, IfaddrsDeleter> list(raw);
    std::vector<InterfaceAddress> addresses;
    for (const ifaddrs* entry = list.get(); entry != nullptr; entry = entry->ifa_next) {
      if (entry->ifa_addr == nullptr || entry->ifa_name == nullptr) {
        continue;
      }
      std::string formatted = FormatAddress(entry->ifa_addr, entry->ifa_netmask);
      if (!formatted.empty()) {
        addresses.push_back({entry->ifa_name, std::move(formatted)});
      }
    }
    return addresses;
  }

  std::string MachineArchitecture() override {
    utsname names{};
    if (::uname(&names) != 0) {
      return {};
    }
    return names.machine;
  }
};

}  // namespace

std::unique_ptr<RunningKernel> MakeSyscallRunningKernel() {
  return std::make_unique<SyscallRunningKernel>();
}

}  // namespace mamori::platform
