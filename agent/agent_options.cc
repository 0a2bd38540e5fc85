// Pure text checks, no OS calls: the same code accepts or refuses an option on Linux and on
// Windows, and its tests run under both.
#include "agent/agent_options.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>

#include "platform/parse/text.h"

namespace mamori::agent {
namespace {

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlnum(char c) {
  return IsAsciiDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
int HexDigitValue(char c) {
  if (IsAsciiDigit(c)) {
    return c - '0';
  }
  const char lower = parse::AsciiLower(c);
  return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
}

// A port as the command line has always taken it: surrounding whitespace and a leading '+' are
// allowed, then decimal digits only.
std::optional<uint32_t> ParsePort(std::string_view text) {
  text = parse::TrimAsciiWhitespace(text);
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
  }
  if (text.empty()) {
    return std::nullopt;
  }
  uint64_t value = 0;
  for (char c : text) {
    if (!IsAsciiDigit(c)) {
      return std::nullopt;
    }
    value = value * 10 + static_cast<uint64_t>(c - '0');
    if (value > std::numeric_limits<uint32_t>::max()) {
      return std::nullopt;
    }
  }
  return static_cast<uint32_t>(value);
}

// Dotted-quad IPv4 as inet_pton reads it: four decimal parts of 0..255, no leading zeros.
std::optional<std::array<uint8_t, 4>> ParseIpv4(std::string_view text) {
  std::array<uint8_t, 4> bytes{};
  std::size_t part = 0;
  std::size_t pos = 0;
  while (true) {
    const std::size_t start = pos;
    unsigned value = 0;
    while (pos < text.size() && IsAsciiDigit(text[pos])) {
      value = value * 10 + static_cast<unsigned>(text[pos] - '0');
      if (value > 255 || pos - start >= 3) {
        return std::nullopt;
      }
      ++pos;
    }
    const std::size_t digits = pos - start;
    if (digits == 0 || (digits > 1 && text[start] == '0')) {
      return std::nullopt;
    }
    bytes[part++] = static_cast<uint8_t>(value);
    if (part == 4) {
      return pos == text.size() ? std::optional(bytes) : std::nullopt;
    }
    if (pos >= text.size() || text[pos] != '.') {
      return std::nullopt;
    }
    ++pos;
  }
}

// RFC 4291 text form: up to eight groups of 1-4 hex digits, one "::" at most, optionally ending
// in a dotted-quad IPv4 address.
std::optional<std::array<uint8_t, 16>> ParseIpv6(std::string_view text) {
  std::array<uint16_t, 8> groups{};
  std::size_t count = 0;
  std::optional<std::size_t> gap;  // where "::" stands, in groups
  std::size_t pos = 0;
  if (text.starts_with("::")) {
    gap = 0;
    pos = 2;
  }
  while (pos < text.size()) {
    if (count == 8) {
      return std::nullopt;
    }
    const std::size_t end = text.find(':', pos);
    const std::string_view piece =
        text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    if (piece.find('.') != std::string_view::npos) {
      const std::optional<std::array<uint8_t, 4>> v4 = ParseIpv4(piece);
      if (!v4.has_value() || end != std::string_view::npos || count > 6) {
        return std::nullopt;
      }
      groups[count++] = static_cast<uint16_t>(((*v4)[0] << 8) | (*v4)[1]);
      groups[count++] = static_cast<uint16_t>(((*v4)[2] << 8) | (*v4)[3]);
      pos = text.size();
      break;
    }
    if (piece.empty() || piece.size() > 4) {
      return std::nullopt;
    }
    unsigned value = 0;
    for (char c : piece) {
      const int digit = HexDigitValue(c);
      if (digit < 0) {
        return std::nullopt;
      }
      value = value * 16 + static_cast<unsigned>(digit);
    }
    groups[count++] = static_cast<uint16_t>(value);
    if (end == std::string_view::npos) {
      pos = text.size();
      break;
    }
    pos = end + 1;
    if (pos < text.size() && text[pos] == ':') {
      if (gap.has_value()) {
        return std::nullopt;
      }
      gap = count;
      ++pos;
    } else if (pos == text.size()) {
      return std::nullopt;  // a single trailing ':'
    }
  }
  if (gap.has_value() ? count > 7 : count != 8) {
    return std::nullopt;
  }
  std::array<uint16_t, 8> full{};
  if (gap.has_value()) {
    const std::size_t tail = count - *gap;
    for (std::size_t i = 0; i < *gap; ++i) {
      full[i] = groups[i];
    }
    for (std::size_t i = 0; i < tail; ++i) {
      full[8 - tail + i] = groups[*gap + i];
    }
  } else {
    full = groups;
  }
  std::array<uint8_t, 16> bytes{};
  for (std::size_t i = 0; i < 8; ++i) {
    bytes[2 * i] = static_cast<uint8_t>(full[i] >> 8);
    bytes[2 * i + 1] = static_cast<uint8_t>(full[i] & 0xff);
  }
  return bytes;
}

bool IsLoopbackHost(std::string_view host) {
  if (parse::EqualsIgnoringAsciiCase(host, "localhost")) {
    return true;
  }
  if (const std::optional<std::array<uint8_t, 4>> v4 = ParseIpv4(host); v4.has_value()) {
    return (*v4)[0] == 127;
  }
  if (const std::optional<std::array<uint8_t, 16>> v6 = ParseIpv6(host); v6.has_value()) {
    static constexpr std::array<uint8_t, 16> kV6Loopback{0, 0, 0, 0, 0, 0, 0, 0,
                                                         0, 0, 0, 0, 0, 0, 0, 1};
    return *v6 == kV6Loopback;
  }
  return false;
}

bool IsValidHostName(std::string_view host) {
  if (host.empty() || host.size() > 253) {
    return false;
  }
  for (char c : host) {
    if (!IsAsciiAlnum(c) && c != '-' && c != '.' && c != ':') {
      return false;
    }
  }
  return true;
}

Validated<CollectorAddress> AddressError(std::string message) { return {std::nullopt, message}; }

// One "<number><unit>" of a duration: digits with an optional fraction, then ns, us, ms, s, m or
// h. Adds its length in nanoseconds to `total`, which saturates far above any accepted interval.
bool ConsumeDurationTerm(std::string_view& text, double& total) {
  double int_part = 0;
  std::size_t pos = 0;
  while (pos < text.size() && IsAsciiDigit(text[pos])) {
    int_part = int_part * 10 + (text[pos] - '0');
    ++pos;
  }
  const bool int_part_empty = pos == 0;
  double frac_part = 0;
  double frac_scale = 1;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const std::size_t frac_start = pos;
    while (pos < text.size() && IsAsciiDigit(text[pos])) {
      frac_part = frac_part * 10 + (text[pos] - '0');
      frac_scale *= 10;
      ++pos;
    }
    if (int_part_empty && pos == frac_start) {
      return false;
    }
  } else if (int_part_empty) {
    return false;
  }
  struct Unit {
    std::string_view name;
    double nanoseconds;
  };
  // Two-letter units first, so "ms" is not read as "m" followed by garbage.
  static constexpr std::array<Unit, 6> kUnits{
      {{"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9}, {"h", 3600e9}}};
  const std::string_view rest = text.substr(pos);
  for (const Unit& unit : kUnits) {
    if (rest.starts_with(unit.name)) {
      total += int_part * unit.nanoseconds + frac_part * unit.nanoseconds / frac_scale;
      text = rest.substr(unit.name.size());
      return true;
    }
  }
  return false;
}

}  // namespace

std::string CollectorAddress::Target() const {
  const std::string port_text = std::to_string(port);
  if (host.find(':') != std::string::npos) {
    return "[" + host + "]:" + port_text;
  }
  return host + ":" + port_text;
}

Validated<CollectorAddress> CheckCollectorAddress(std::string_view text) {
  const std::string quoted = "collector address '" + std::string(text) + "'";
  std::string_view host;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return AddressError(quoted + " must look like [IPv6]:PORT");
    }
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || text.find(':') != colon) {
      return AddressError(quoted + " must look like HOST:PORT (IPv6 as [ADDR]:PORT)");
    }
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  const std::optional<uint32_t> port = ParsePort(port_text);
  if (!port.has_value() || *port == 0 || *port > 65535) {
    return AddressError(quoted + ": port must be a number from 1 to 65535");
  }
  if (!IsValidHostName(host)) {
    return AddressError(quoted + ": '" + std::string(host) + "' is not a host name or address");
  }
  CollectorAddress address;
  address.host = std::string(host);
  address.port = static_cast<uint16_t>(*port);
  address.loopback = IsLoopbackHost(address.host);
  return {address, ""};
}

Validated<std::chrono::nanoseconds> CheckInterval(std::string_view text) {
  const Validated<std::chrono::nanoseconds> refused{std::nullopt,
                                                    "must be a duration from 10s to 24h (e.g. 5m)"};
  // Abseil's grammar, which --interval has always used: an optional sign, then terms like "1h"
  // or "1.5m" ("0" and "inf" parse too, and are out of range).
  double sign = 1;
  if (text.starts_with('-')) {
    sign = -1;
    text.remove_prefix(1);
  } else if (text.starts_with('+')) {
    text.remove_prefix(1);
  }
  if (text.empty() || text == "0" || text == "inf") {
    return refused;
  }
  double total = 0;
  while (!text.empty()) {
    if (!ConsumeDurationTerm(text, total)) {
      return refused;
    }
  }
  total *= sign;
  const double min = std::chrono::duration<double, std::nano>(kMinInterval).count();
  const double max = std::chrono::duration<double, std::nano>(kMaxInterval).count();
  if (!std::isfinite(total) || total < min || total > max) {
    return refused;
  }
  return {std::chrono::nanoseconds(static_cast<int64_t>(std::llround(total))), ""};
}

Validated<std::chrono::nanoseconds> CheckHeartbeatInterval(
    std::string_view text, std::chrono::nanoseconds snapshot_interval) {
  Validated<std::chrono::nanoseconds> checked = CheckInterval(text);
  if (checked.ok() && *checked.value > snapshot_interval) {
    return {std::nullopt, "must not be longer than the time between snapshots (" +
                              FormatInterval(snapshot_interval) +
                              "): heartbeats are sent between snapshots"};
  }
  return checked;
}

std::chrono::nanoseconds DefaultHeartbeatInterval(std::chrono::nanoseconds snapshot_interval) {
  return std::min<std::chrono::nanoseconds>(kDefaultHeartbeatInterval, snapshot_interval);
}

std::string FormatInterval(std::chrono::nanoseconds interval) {
  if (interval <= std::chrono::nanoseconds::zero()) {
    return "0s";
  }
  const auto hours = std::chrono::duration_cast<std::chrono::hours>(interval);
  interval -= hours;
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(interval);
  interval -= minutes;
  std::string text;
  if (hours.count() > 0) {
    text += std::to_string(hours.count()) + "h";
  }
  if (minutes.count() > 0) {
    text += std::to_string(minutes.count()) + "m";
  }
  // Seconds with up to three decimals, trailing zeros dropped: "1.5s", "30s".
  if (const int64_t millis =
          std::chrono::duration_cast<std::chrono::milliseconds>(interval).count();
      millis > 0) {
    std::string seconds = std::to_string(millis / 1000);
    if (const int64_t fraction = millis % 1000; fraction != 0) {
      std::string digits = std::to_string(1000 + fraction).substr(1);
      while (digits.back() == '0') {
        digits.pop_back();
      }
      seconds += "." + digits;
    }
    text += seconds + "s";
  }
  return text.empty() ? "0s" : text;
}

Validated<std::string> CheckCaFingerprint(std::string_view text) {
  constexpr std::string_view kPrefix = "SHA256:";
  const Validated<std::string> refused{
      std::nullopt,
      "a CA fingerprint looks like SHA256: followed by 64 hex digits (see `mamori-collector ca "
      "show`)"};
  const std::string_view trimmed = parse::TrimAsciiWhitespace(text);
  if (trimmed.size() < kPrefix.size() ||
      !parse::EqualsIgnoringAsciiCase(trimmed.substr(0, kPrefix.size()), kPrefix)) {
    return refused;
  }
  std::string hex;
  for (char c : trimmed.substr(kPrefix.size())) {
    if (c == ':') {
      continue;
    }
    if (HexDigitValue(c) < 0) {
      return refused;
    }
    hex.push_back(parse::AsciiLower(c));
  }
  if (hex.size() != 64) {
    return refused;
  }
  return {std::string(kPrefix) + hex, ""};
}

Validated<std::uint64_t> CheckSpoolMaxMb(std::string_view text) {
  const std::string range = "must be a whole number of MiB from " + std::to_string(kMinSpoolMaxMb) +
                            " to " + std::to_string(kMaxSpoolMaxMb);
  if (text.empty() || text.size() > 4 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return {std::nullopt, range};
  }
  std::uint64_t value = 0;
  for (const char c : text) {
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (value < kMinSpoolMaxMb || value > kMaxSpoolMaxMb) {
    return {std::nullopt, range};
  }
  return {value, ""};
}

}  // namespace mamori::agent
