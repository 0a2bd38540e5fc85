// Address parsing stays pure (inet_pton only) so that it is tested without a network.
#include "agent/collector_address.h"

#include <arpa/inet.h>

#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace mamori::agent {
namespace {

bool IsLoopbackHost(const std::string& host) {
  if (absl::AsciiStrToLower(host) == "localhost") {
    return true;
  }
  std::array<unsigned char, 16> buf{};
  if (inet_pton(AF_INET, host.c_str(), buf.data()) == 1) {
    return buf[0] == 127;
  }
  if (inet_pton(AF_INET6, host.c_str(), buf.data()) == 1) {
    static constexpr std::array<unsigned char, 16> kV6Loopback{0, 0, 0, 0, 0, 0, 0, 0,
                                                               0, 0, 0, 0, 0, 0, 0, 1};
    return buf == kV6Loopback;
  }
  return false;
}

bool IsValidHostName(absl::string_view host) {
  if (host.empty() || host.size() > 253) {
    return false;
  }
  for (char c : host) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != ':') {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string CollectorAddress::Target() const {
  if (host.find(':') != std::string::npos) {
    return absl::StrCat("[", host, "]:", port);
  }
  return absl::StrCat(host, ":", port);
}

absl::StatusOr<CollectorAddress> ParseCollectorAddress(absl::string_view text) {
  absl::string_view host;
  absl::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const size_t close = text.find(']');
    if (close == absl::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return absl::InvalidArgumentError(
          absl::StrCat("collector address '", text, "' must look like [IPv6]:PORT"));
    }
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == absl::string_view::npos || text.find(':') != colon) {
      return absl::InvalidArgumentError(absl::StrCat(
          "collector address '", text, "' must look like HOST:PORT (IPv6 as [ADDR]:PORT)"));
    }
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  uint32_t port = 0;
  if (!absl::SimpleAtoi(port_text, &port) || port == 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("collector address '", text, "': port must be a number from 1 to 65535"));
  }
  if (!IsValidHostName(host)) {
    return absl::InvalidArgumentError(
        absl::StrCat("collector address '", text, "': '", host, "' is not a host name or address"));
  }
  CollectorAddress address;
  address.host = std::string(host);
  address.port = static_cast<uint16_t>(port);
  address.loopback = IsLoopbackHost(address.host);
  return address;
}

}  // namespace mamori::agent
