// The host's network adapters from GetAdaptersAddresses: name, MAC and IP addresses.
#pragma once

#include <vector>

#include "platform/facts/host_facts.h"

namespace mamori::platform {

// Every adapter except the software loopback, by friendly name ("Ethernet", "Wi-Fi"); empty when
// the API fails.
std::vector<facts::NetworkInterface> ListNetworkAdapters();

}  // namespace mamori::platform
