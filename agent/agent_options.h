// The agent's options, checked the same way whether they come from the command line (main.cc) or
// from the Windows registry (windows/service_settings.h). Standard C++ only, so mingw builds it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mamori::agent {

// Shorter cycles would load the collector for nothing; a PC not heard of for a day looks lost.
inline constexpr std::chrono::seconds kMinInterval{10};
inline constexpr std::chrono::hours kMaxInterval{24};

// A checked option: `value` when it is acceptable, otherwise `error` says why in words a person
// configuring the agent can act on (without repeating secrets).
template <typename T>
struct Validated {
  std::optional<T> value;
  std::string error;
  bool ok() const { return value.has_value(); }
};

struct CollectorAddress {
  std::string host;  // without brackets for IPv6
  uint16_t port = 0;
  bool loopback = false;  // 127.0.0.0/8, ::1 or "localhost"

  // "host:port" or "[v6]:port", as gRPC expects it.
  std::string Target() const;
};

// Accepts "127.0.0.1:7443", "localhost:7443", "[::1]:7443", "server-pc.local:7443".
Validated<CollectorAddress> CheckCollectorAddress(std::string_view text);

// The time between snapshots, in Abseil's duration syntax ("5m", "1h30m", "90s", "1.5h"), from
// kMinInterval to kMaxInterval.
Validated<std::chrono::nanoseconds> CheckInterval(std::string_view text);

// The collector CA's fingerprint as `mamori-collector ca show` prints it: "SHA256:" and 64 hex
// digits, with or without colons, any case. The value is canonical: "SHA256:" + lowercase hex.
Validated<std::string> CheckCaFingerprint(std::string_view text);

}  // namespace mamori::agent
