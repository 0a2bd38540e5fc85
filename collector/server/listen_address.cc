#include "collector/server/listen_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace mamori::collector {
namespace {

bool IsIpLiteral(const std::string& host) {
  in_addr v4{};
  in6_addr v6{};
  return inet_pton(AF_INET, host.c_str(), &v4) == 1 || inet_pton(AF_INET6, host.c_str(), &v6) == 1;
}

}  // namespace

std::string ListenAddress::ToString() const {
  if (host.find(':') != std::string::npos) {
    return absl::StrCat("[", host, "]:", port);
  }
  return absl::StrCat(host, ":", port);
}

bool IsWildcard(const ListenAddress& address) {
  in_addr v4{};
  if (inet_pton(AF_INET, address.host.c_str(), &v4) == 1) {
    return v4.s_addr == htonl(INADDR_ANY);
  }
  in6_addr v6{};
  return inet_pton(AF_INET6, address.host.c_str(), &v6) == 1 && IN6_IS_ADDR_UNSPECIFIED(&v6);
}

absl::StatusOr<ListenAddress> ParseListenAddress(absl::string_view text) {
  absl::string_view host;
  absl::string_view port;
  if (absl::StartsWith(text, "[")) {
    const std::size_t close = text.find("]:");
    if (close == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("listen address '", text, "' is not [IPv6]:PORT"));
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == absl::string_view::npos || text.find(':') != colon) {
      return absl::InvalidArgumentError(
          absl::StrCat("listen address '", text, "' is not HOST:PORT (e.g. 127.0.0.1:7443)"));
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  std::uint32_t port_number = 0;
  if (!absl::SimpleAtoi(port, &port_number) || port_number > 65535 || port.empty() ||
      port.find_first_not_of("0123456789") != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("listen address '", text, "': port must be a number from 0 to 65535"));
  }
  ListenAddress address{std::string(host), static_cast<std::uint16_t>(port_number)};
  if (!IsIpLiteral(address.host)) {
    return absl::InvalidArgumentError(
        absl::StrCat("listen address '", text,
                     "' is not an IP address and port (e.g. 0.0.0.0:7443, 192.168.1.10:7443 or "
                     "[::]:7443)"));
  }
  return address;
}

}  // namespace mamori::collector
