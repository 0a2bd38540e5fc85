// Windows power and session values decoded for the power probe: the sleep-after setting (power
// scheme and Group Policy override) and Remote Desktop Services session records (user, console or
// RDP, lock state). Pure, tested on every OS.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "platform/facts/host_facts.h"

namespace mamori::parse {

// Power setting GUIDs (winnt.h GUID_SLEEP_SUBGROUP, GUID_STANDBY_TIMEOUT): "Sleep after", seconds,
// 0 = never.
inline constexpr std::string_view kSleepSubgroupGuid = "238c9fa8-0aad-41ed-83f4-97be242c8f20";
inline constexpr std::string_view kStandbyIdleGuid = "29f6c1db-86da-48c5-9fdb-f2b67b1f44da";
// Group Policy's "Specify the system sleep timeout" (plugged in / on battery) writes here; when
// present it wins over whatever the active scheme says.
inline constexpr std::string_view kStandbyIdlePolicyKey =
    R"(SOFTWARE\Policies\Microsoft\Power\PowerSettings\29f6c1db-86da-48c5-9fdb-f2b67b1f44da)";

// The raw values: the active scheme's AC/DC indexes and the policy's, each nullopt when unread.
struct SleepIndexes {
  std::optional<uint32_t> scheme_ac;
  std::optional<uint32_t> scheme_dc;
  std::optional<uint32_t> policy_ac;  // ACSettingIndex
  std::optional<uint32_t> policy_dc;  // DCSettingIndex
};

struct SleepSettings {
  std::optional<bool> disabled;  // "never" on AC power: a desktop left on stays on
  std::optional<facts::Seconds> after_ac;
  std::optional<facts::Seconds> after_dc;
  friend bool operator==(const SleepSettings&, const SleepSettings&) = default;
};

// The policy value wins per power source; after_ac 0 is kept (the rules read it as "never") and
// sets disabled.
SleepSettings DecodeSleepSettings(const SleepIndexes& indexes);

// WTS_CONNECTSTATE_CLASS values that mean a user is logged on.
inline constexpr uint32_t kWtsActive = 0;
inline constexpr uint32_t kWtsConnected = 1;
inline constexpr uint32_t kWtsDisconnected = 4;
// WTSINFOEX_LEVEL1.SessionFlags.
inline constexpr int32_t kWtsSessionStateUnknown = -1;
inline constexpr int32_t kWtsSessionStateLock = 0;
inline constexpr int32_t kWtsSessionStateUnlock = 1;
// WTSClientProtocolType.
inline constexpr uint16_t kWtsProtocolConsole = 0;
inline constexpr uint16_t kWtsProtocolIca = 1;
inline constexpr uint16_t kWtsProtocolRdp = 2;
// Windows 7 and Server 2008 R2 (builds 7600/7601) report SessionFlags inverted (a documented
// defect); Windows 8 (9200) and later report them as documented.
inline constexpr uint32_t kFirstBuildWithCorrectLockFlags = 9200;

// One session as WTSEnumerateSessionsW and WTSQuerySessionInformationW report it, text in UTF-8.
struct WtsSessionRecord {
  uint32_t id = 0;
  uint32_t connect_state = kWtsActive;
  std::string station;  // "Console", "RDP-Tcp#3"
  std::string user;     // empty for session 0 and listeners
  std::string domain;
  std::optional<int32_t> session_flags;  // nullopt when WTSSessionInfoEx could not be read
  std::optional<uint16_t> protocol;      // nullopt when WTSClientProtocolType could not be read
};

// locked from SessionFlags, corrected on builds before 9200; nullopt for WTS_SESSIONSTATE_UNKNOWN,
// anything else, or no flags. The build is nullopt when unknown: Windows 10 is the oldest supported
// target, so no correction then.
std::optional<bool> DecodeLockState(std::optional<int32_t> session_flags,
                                    std::optional<uint32_t> windows_build);

// A person is logged on: a user name, and active, connected or disconnected (a disconnected Remote
// Desktop session keeps its programs and open records running).
bool IsLoggedOnSession(const WtsSessionRecord& session);

// id, user, type ("console", "rdp", "ica"; from the protocol, else the station name), remote (not
// the console), locked (a disconnected session counts as locked: getting back in takes the
// password). Idle is the power probe's to fill.
facts::UserSession DecodeSession(const WtsSessionRecord& session,
                                 std::optional<uint32_t> windows_build);

}  // namespace mamori::parse
