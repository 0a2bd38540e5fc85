// The one message mamori-session-helper.exe sends the agent service over \\.\pipe\mamori-idle: how
// long ago the last keyboard or mouse input in its session was. Pure, tested on every OS; the
// server decodes whatever another process wrote, so the decoder accepts exactly one fixed layout.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace mamori::parse {

// 16 bytes, little endian:
//   0..3   magic "MIDL"
//   4..5   version, 1
//   6..7   reserved, 0
//   8..11  milliseconds since the session's last input (GetLastInputInfo; wraps at 49.7 days, as
//          Windows' own tick count does)
//   12..15 reserved, 0
// The sender's session is deliberately absent: the server asks Windows which session the pipe
// client runs in, so no user can report for another user's session.
inline constexpr std::size_t kIdleReportBytes = 16;
inline constexpr uint16_t kIdleReportVersion = 1;

struct IdleReport {
  uint32_t idle_ms = 0;
  friend bool operator==(const IdleReport&, const IdleReport&) = default;
};

std::array<unsigned char, kIdleReportBytes> EncodeIdleReport(const IdleReport& report);

// nullopt unless `bytes` is exactly one well-formed version-1 report (length, magic, version and
// zero reserved fields); nothing else is ever read from the pipe.
std::optional<IdleReport> DecodeIdleReport(std::string_view bytes);

}  // namespace mamori::parse
