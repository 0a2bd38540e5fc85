// GetAdaptersAddresses for the inventory's network interfaces.
#include "platform/windows/network_adapters.h"

// winsock2.h must come before windows.h (which iphlpapi.h pulls in), ws2tcpip.h after it: separate
// include blocks keep clang-format from sorting them.
#include <winsock2.h>

#include <ws2tcpip.h>

#include <iphlpapi.h>

#include <cstdint>
#include <string>

#include "platform/windows/wide_text.h"

namespace mamori::platform {
namespace {

// More adapters than fit in this are not a clinic PC's; the call then fails and the list stays
// empty.
constexpr ULONG kMaxBufferBytes = 1024 * 1024;

std::string FormatMac(const BYTE* bytes, ULONG length) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string mac;
  bool all_zero = true;
  for (ULONG i = 0; i < length; ++i) {
    if (i > 0) {
      mac += ':';
    }
    mac += kHex[bytes[i] >> 4];
    mac += kHex[bytes[i] & 0x0F];
    all_zero = all_zero && bytes[i] == 0;
  }
  return all_zero ? std::string() : mac;
}

std::string FormatAddress(const IP_ADAPTER_UNICAST_ADDRESS* unicast) {
  const SOCKADDR* address = unicast->Address.lpSockaddr;
  if (address == nullptr) {
    return {};
  }
  char text[INET6_ADDRSTRLEN] = {};
  if (address->sa_family == AF_INET) {
    const auto* ipv4 = reinterpret_cast<const sockaddr_in*>(address);
    if (::inet_ntop(AF_INET, &ipv4->sin_addr, text, sizeof(text)) == nullptr) {
      return {};
    }
  } else if (address->sa_family == AF_INET6) {
    const auto* ipv6 = reinterpret_cast<const sockaddr_in6*>(address);
    if (::inet_ntop(AF_INET6, &ipv6->sin6_addr, text, sizeof(text)) == nullptr) {
      return {};
    }
  } else {
    return {};
  }
  return std::string(text) + "/" + std::to_string(unicast->OnLinkPrefixLength);
}

}  // namespace

std::vector<facts::NetworkInterface> ListNetworkAdapters() {
  constexpr ULONG kFlags =
      GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER;
  // Backed by uint64_t so the IP_ADAPTER_ADDRESSES structures in it are suitably aligned.
  std::vector<uint64_t> buffer;
  ULONG size = 16 * 1024;
  ULONG status = ERROR_BUFFER_OVERFLOW;
  for (int attempt = 0; attempt < 3 && status == ERROR_BUFFER_OVERFLOW && size <= kMaxBufferBytes;
       ++attempt) {
    buffer.assign(size / sizeof(uint64_t) + 1, 0);
    status = ::GetAdaptersAddresses(AF_UNSPEC, kFlags, nullptr,
                                    reinterpret_cast<IP_ADAPTER_ADDRESSES*>(buffer.data()), &size);
  }
  std::vector<facts::NetworkInterface> interfaces;
  if (status != NO_ERROR) {
    return interfaces;
  }
  for (const IP_ADAPTER_ADDRESSES* adapter =
           reinterpret_cast<const IP_ADAPTER_ADDRESSES*>(buffer.data());
       adapter != nullptr; adapter = adapter->Next) {
    if (adapter->IfType == IF_TYPE_SOFTWARE_LOOPBACK) {
      continue;
    }
    facts::NetworkInterface found;
    found.name = adapter->FriendlyName != nullptr ? ToUtf8(adapter->FriendlyName) : "";
    found.mac = FormatMac(adapter->PhysicalAddress, adapter->PhysicalAddressLength);
    for (const IP_ADAPTER_UNICAST_ADDRESS* unicast = adapter->FirstUnicastAddress;
         unicast != nullptr; unicast = unicast->Next) {
      if (std::string formatted = FormatAddress(unicast); !formatted.empty()) {
        found.addresses.push_back(std::move(formatted));
      }
    }
    interfaces.push_back(std::move(found));
  }
  return interfaces;
}

}  // namespace mamori::platform
