// Every error names the registry value it is about, so an installer's mistake is found from the
// Event Log alone.
#include "agent/windows/service_settings.h"

namespace mamori::agent::windows {
namespace {

constexpr std::string_view kAsciiWhitespace = " \t\n\v\f\r";

std::string_view Trimmed(std::string_view text) {
  const std::size_t first = text.find_first_not_of(kAsciiWhitespace);
  if (first == std::string_view::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(kAsciiWhitespace) - first + 1);
}

std::string ValuePath(std::string_view value_name) {
  return std::string(R"(HKLM\)") + kSettingsKey + "\\" + std::string(value_name);
}

// A string value trimmed of surrounding whitespace; nullopt when absent or empty (an installer
// property left blank). A value of another type is an error.
std::optional<std::string> ReadText(platform::RegistryReader& registry, std::string_view name,
                                    std::vector<std::string>& errors) {
  std::optional<std::string> text = registry.ReadString(kSettingsKey, name);
  if (!text.has_value()) {
    if (registry.ValueExists(kSettingsKey, name)) {
      errors.push_back(ValuePath(name) + ": must be a string value (REG_SZ)");
    }
    return std::nullopt;
  }
  const std::string_view trimmed = Trimmed(*text);
  if (trimmed.empty()) {
    return std::nullopt;
  }
  return std::string(trimmed);
}

bool IsVisibleAscii(std::string_view text) {
  for (char c : text) {
    if (c < 0x21 || c > 0x7e) {
      return false;
    }
  }
  return true;
}

// "C:\..." on a local drive, no characters Windows refuses in a path.
bool IsLocalAbsolutePath(std::string_view path) {
  if (path.size() < 3 || path[1] != ':' || path[2] != '\\') {
    return false;
  }
  const char drive = path[0];
  if (!((drive >= 'A' && drive <= 'Z') || (drive >= 'a' && drive <= 'z'))) {
    return false;
  }
  for (std::size_t i = 2; i < path.size(); ++i) {
    const char c = path[i];
    if (static_cast<unsigned char>(c) < 0x20 ||
        std::string_view(R"(<>:"/|?*)").find(c) != std::string_view::npos) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<std::string> ExpandEnvironmentReferences(std::string_view text,
                                                       const EnvironmentLookup& environment) {
  std::string expanded;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t open = text.find('%', pos);
    if (open == std::string_view::npos) {
      expanded.append(text.substr(pos));
      break;
    }
    const std::size_t close = text.find('%', open + 1);
    if (close == std::string_view::npos || close == open + 1) {
      return std::nullopt;
    }
    std::optional<std::string> value = environment(text.substr(open + 1, close - open - 1));
    if (!value.has_value()) {
      return std::nullopt;
    }
    expanded.append(text.substr(pos, open - pos));
    expanded.append(*value);
    pos = close + 1;
  }
  return expanded;
}

ServiceSettingsResult ReadServiceSettings(platform::RegistryReader& registry,
                                          const EnvironmentLookup& environment) {
  ServiceSettingsResult result;
  std::vector<std::string>& errors = result.errors;
  if (!registry.KeyExists(kSettingsKey)) {
    errors.push_back(std::string(R"(HKLM\)") + kSettingsKey +
                     " is missing: the installer writes it (CollectorAddress, CaFingerprint, "
                     "EnrollmentToken)");
    return result;
  }
  ServiceSettings settings;

  const std::size_t errors_before_address = errors.size();
  const std::optional<std::string> address = ReadText(registry, kCollectorAddressValue, errors);
  if (!address.has_value()) {
    if (errors.size() == errors_before_address) {  // absent or blank, rather than mistyped
      errors.push_back(ValuePath(kCollectorAddressValue) +
                       ": missing; it is the collector's HOST:PORT, e.g. server-pc:7443");
    }
  } else if (Validated<CollectorAddress> checked = CheckCollectorAddress(*address); checked.ok()) {
    settings.collector = *std::move(checked.value);
  } else {
    errors.push_back(ValuePath(kCollectorAddressValue) + ": " + checked.error);
  }

  if (const std::optional<std::string> fingerprint =
          ReadText(registry, kCaFingerprintValue, errors);
      fingerprint.has_value()) {
    if (Validated<std::string> checked = CheckCaFingerprint(*fingerprint); checked.ok()) {
      settings.ca_fingerprint = *std::move(checked.value);
    } else {
      errors.push_back(ValuePath(kCaFingerprintValue) + ": " + checked.error);
    }
  }

  if (std::optional<std::string> token = ReadText(registry, kEnrollmentTokenValue, errors);
      token.has_value()) {
    if (token->size() > kMaxEnrollmentTokenBytes || !IsVisibleAscii(*token)) {
      // The value itself is never repeated: it is a secret even when mistyped.
      errors.push_back(ValuePath(kEnrollmentTokenValue) +
                       ": not a token from `mamori-collector token create` (at most 128 visible "
                       "ASCII characters); the value is not shown");
    } else {
      settings.enrollment_token = std::move(token);
    }
  }

  bool interval_ok = true;
  if (const std::optional<std::string> interval = ReadText(registry, kIntervalValue, errors);
      interval.has_value()) {
    if (Validated<std::chrono::nanoseconds> checked = CheckInterval(*interval); checked.ok()) {
      settings.interval = *checked.value;
    } else {
      errors.push_back(ValuePath(kIntervalValue) + ": " + checked.error);
      interval_ok = false;
    }
  }
  settings.heartbeat_interval = DefaultHeartbeatInterval(settings.interval);
  if (const std::optional<std::string> heartbeat =
          ReadText(registry, kHeartbeatIntervalValue, errors);
      heartbeat.has_value()) {
    // Against a broken Interval only the syntax and range can be checked: its own error says the
    // rest.
    const std::chrono::nanoseconds snapshot_interval =
        interval_ok ? settings.interval : std::chrono::nanoseconds(kMaxInterval);
    if (Validated<std::chrono::nanoseconds> checked =
            CheckHeartbeatInterval(*heartbeat, snapshot_interval);
        checked.ok()) {
      settings.heartbeat_interval = *checked.value;
    } else {
      errors.push_back(ValuePath(kHeartbeatIntervalValue) + ": " + checked.error);
    }
  }

  if (const std::optional<std::string> spool = ReadText(registry, kSpoolMaxMbValue, errors);
      spool.has_value()) {
    if (Validated<std::uint64_t> checked = CheckSpoolMaxMb(*spool); checked.ok()) {
      settings.spool_max_mb = *checked.value;
    } else {
      errors.push_back(ValuePath(kSpoolMaxMbValue) + ": " + checked.error);
    }
  }

  const std::optional<std::string> data_dir_text = ReadText(registry, kDataDirValue, errors);
  const std::string data_dir_source = data_dir_text.value_or(kDefaultDataDir);
  const std::optional<std::string> data_dir =
      ExpandEnvironmentReferences(data_dir_source, environment);
  const std::string data_dir_name =
      data_dir_text.has_value() ? ValuePath(kDataDirValue) : "the default data directory";
  if (!data_dir.has_value()) {
    errors.push_back(data_dir_name + " '" + data_dir_source +
                     "': names an environment variable that is not set, or has a lone '%'");
  } else if (!IsLocalAbsolutePath(*data_dir) || data_dir->size() > kMaxDataDirBytes) {
    errors.push_back(data_dir_name + " '" + *data_dir +
                     "': must be an absolute path on a local drive, e.g. "
                     R"(C:\ProgramData\mamori\agent, of at most 200 bytes)");
  } else {
    settings.data_dir = *data_dir;
  }

  if (errors.empty()) {
    result.settings = std::move(settings);
  }
  return result;
}

}  // namespace mamori::agent::windows
