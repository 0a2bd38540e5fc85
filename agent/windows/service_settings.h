// The service's configuration, written by the installer under HKLM\SOFTWARE\mamori\Agent. Parsed
// and checked through a RegistryReader, so it is tested with a fake registry on every OS; the
// checks are the command line's (agent_options.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/agent_options.h"
#include "platform/windows/registry_reader.h"

namespace mamori::agent::windows {

// Below HKEY_LOCAL_MACHINE, 64-bit view.
inline constexpr char kSettingsKey[] = R"(SOFTWARE\mamori\Agent)";
// REG_SZ values; DataDir may be REG_EXPAND_SZ.
inline constexpr char kCollectorAddressValue[] = "CollectorAddress";    // HOST:PORT, required
inline constexpr char kCaFingerprintValue[] = "CaFingerprint";          // until enrolled
inline constexpr char kEnrollmentTokenValue[] = "EnrollmentToken";      // until enrolled; secret
inline constexpr char kIntervalValue[] = "Interval";                    // e.g. "15m"
inline constexpr char kHeartbeatIntervalValue[] = "HeartbeatInterval";  // e.g. "5m"; <= Interval
inline constexpr char kDataDirValue[] = "DataDir";
inline constexpr char kSpoolMaxMbValue[] = "SpoolMaxMb";  // e.g. "50"; the spool's bound in MiB

inline constexpr std::chrono::minutes kDefaultInterval = kDefaultSnapshotInterval;
inline constexpr char kDefaultDataDir[] = R"(%ProgramData%\mamori\agent)";
// The agent adds file names such as "agent-state.json.new" and must stay below MAX_PATH (260).
inline constexpr std::size_t kMaxDataDirBytes = 200;
// As the collector accepts them (collector/storage/trust_store.h).
inline constexpr std::size_t kMaxEnrollmentTokenBytes = 128;

struct ServiceSettings {
  CollectorAddress collector;
  std::optional<std::string> ca_fingerprint;    // canonical "SHA256:<hex>"
  std::optional<std::string> enrollment_token;  // secret: never logged, erased after enrollment
  std::chrono::nanoseconds interval = kDefaultInterval;  // between snapshots
  // Between heartbeats; when not set, DefaultHeartbeatInterval(interval).
  std::chrono::nanoseconds heartbeat_interval = kDefaultHeartbeatInterval;
  std::string data_dir;  // an absolute path on a local drive, UTF-8, variables expanded
  std::uint64_t spool_max_mb = kDefaultSpoolMaxMb;
};

struct ServiceSettingsResult {
  std::optional<ServiceSettings> settings;  // set only when there are no errors
  // Each names the value, e.g. "HKLM\SOFTWARE\mamori\Agent\Interval: must be a duration ...".
  // None repeats the enrollment token.
  std::vector<std::string> errors;
};

// An environment variable's value, or nullopt when it is not set.
using EnvironmentLookup = std::function<std::optional<std::string>(std::string_view name)>;

ServiceSettingsResult ReadServiceSettings(platform::RegistryReader& registry,
                                          const EnvironmentLookup& environment);

// Replaces each %NAME% with the variable's value. Stricter than ExpandEnvironmentStrings, which
// leaves unknown names as they are: nullopt when a name is not set or a '%' has no partner, so a
// mistyped %ProgramData% never becomes a directory of that name.
std::optional<std::string> ExpandEnvironmentReferences(std::string_view text,
                                                       const EnvironmentLookup& environment);

}  // namespace mamori::agent::windows
