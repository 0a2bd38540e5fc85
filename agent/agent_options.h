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
// A snapshot runs every probe (package lists, accounts, WMI on Windows); a heartbeat only the power
// probe. Heartbeats keep the collector's view of power and idle time fresh between snapshots.
inline constexpr std::chrono::minutes kDefaultSnapshotInterval{15};
inline constexpr std::chrono::minutes kDefaultHeartbeatInterval{5};

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

// The time between heartbeats: the same syntax and range as CheckInterval, and no longer than the
// time between snapshots (heartbeats are what the agent sends between snapshots).
Validated<std::chrono::nanoseconds> CheckHeartbeatInterval(
    std::string_view text, std::chrono::nanoseconds snapshot_interval);

// The heartbeat interval when none is configured: kDefaultHeartbeatInterval, or the snapshot
// interval when that is shorter (an agent told to snapshot every minute still starts).
std::chrono::nanoseconds DefaultHeartbeatInterval(std::chrono::nanoseconds snapshot_interval);

// A duration as the options take it: "15m", "1h30m", "90s" -> "1m30s", "1.5s".
std::string FormatInterval(std::chrono::nanoseconds interval);

// The collector CA's fingerprint as `mamori-collector ca show` prints it: "SHA256:" and 64 hex
// digits, with or without colons, any case. The value is canonical: "SHA256:" + lowercase hex.
Validated<std::string> CheckCaFingerprint(std::string_view text);

// The bound of the spool (DATA_DIR/spool) in MiB, a whole number from kMinSpoolMaxMb to
// kMaxSpoolMaxMb. 50 MiB holds years of heartbeats and dozens of changed snapshots.
inline constexpr std::uint64_t kDefaultSpoolMaxMb = 50;
inline constexpr std::uint64_t kMinSpoolMaxMb = 1;
inline constexpr std::uint64_t kMaxSpoolMaxMb = 4096;
Validated<std::uint64_t> CheckSpoolMaxMb(std::string_view text);

}  // namespace mamori::agent
