// Windows logon security from the registry.
#include "platform/parse/windows_logon.h"

#include <algorithm>
#include <cstddef>
#include <string>

#include "platform/parse/text.h"

namespace mamori::parse {
namespace {

// HKEY_USERS holds the hives of users logged on now (and of services); a PC shared by a whole
// clinic still has far fewer.
constexpr std::size_t kMaxUserHives = 256;
// The Group Policy limit for InactivityTimeoutSecs and any sane screen saver timeout.
constexpr uint64_t kMaxTimeoutSeconds = 60ull * 60 * 24 * 7;

// Screen saver settings are REG_SZ ("1", "600"); a script may have written a DWORD instead.
std::optional<std::string> ReadSetting(platform::RegistryReader& registry, std::string_view key,
                                       std::string_view value) {
  if (auto text = registry.ReadString(key, value)) {
    return std::string(TrimAsciiWhitespace(*text));
  }
  if (const auto number = registry.ReadDword(key, value)) {
    return std::to_string(*number);
  }
  return std::nullopt;
}

// The user's Group Policy value when set, else the user's own.
std::optional<std::string> Effective(platform::RegistryReader& users, std::string_view sid,
                                     std::string_view value) {
  const std::string prefix = std::string(sid) + "\\";
  if (auto policy = ReadSetting(users, prefix + std::string(kUserDesktopPolicyKey), value)) {
    return policy;
  }
  return ReadSetting(users, prefix + std::string(kUserDesktopKey), value);
}

std::optional<facts::Seconds> ParseTimeout(std::optional<std::string> text) {
  if (!text) {
    return std::nullopt;
  }
  const std::optional<uint64_t> seconds = ParseDecimal(*text);
  if (!seconds || *seconds > kMaxTimeoutSeconds) {
    return std::nullopt;
  }
  return facts::Seconds(static_cast<facts::Seconds::rep>(*seconds));
}

}  // namespace

bool IsPersonSid(std::string_view sid) {
  if (!sid.starts_with("S-1-5-21-") && !sid.starts_with("S-1-12-1-")) {
    return false;
  }
  return sid.find('_') == std::string_view::npos;
}

UserScreenLock ReadUserScreenLock(platform::RegistryReader& users, std::string_view sid) {
  // Windows' own default for ScreenSaveActive is "1"; without a program nothing runs anyway.
  const bool active = Effective(users, sid, "ScreenSaveActive").value_or("1") == "1";
  const bool program = !Effective(users, sid, "SCRNSAVE.EXE").value_or("").empty();
  const bool secure = Effective(users, sid, "ScreenSaverIsSecure").value_or("0") == "1";
  if (!active || !program || !secure) {
    return {false, std::nullopt};
  }
  const std::optional<std::string> timeout_text = Effective(users, sid, "ScreenSaveTimeOut");
  const std::optional<facts::Seconds> timeout = ParseTimeout(timeout_text);
  if (timeout && timeout->count() == 0) {
    return {false, std::nullopt};
  }
  return {true, timeout};
}

facts::LogonSecurity ReadWindowsLogonSecurity(platform::RegistryReader& machine,
                                              platform::RegistryReader& users) {
  facts::LogonSecurity logon;
  logon.meta.status = facts::ProbeStatus::Ok();

  if (machine.KeyExists(kWinlogonKey)) {
    bool enabled = false;
    if (const auto text = machine.ReadString(kWinlogonKey, "AutoAdminLogon")) {
      enabled = TrimAsciiWhitespace(*text) == "1";
    } else if (const auto number = machine.ReadDword(kWinlogonKey, "AutoAdminLogon")) {
      enabled = *number != 0;
    }
    logon.auto_logon_enabled = enabled;
    if (enabled) {
      const std::string user = machine.ReadString(kWinlogonKey, "DefaultUserName").value_or("");
      const std::string domain = machine.ReadString(kWinlogonKey, "DefaultDomainName").value_or("");
      logon.auto_logon_user = domain.empty() || user.empty() ? user : domain + "\\" + user;
    }
    // Presence only: the value is a password in clear text and must never be read.
    logon.auto_logon_password_stored = machine.ValueExists(kWinlogonKey, "DefaultPassword");
  } else {
    logon.meta.status =
        facts::ProbeStatus::Unknown("cannot read HKLM\\" + std::string(kWinlogonKey));
  }

  std::optional<facts::Seconds> machine_limit;
  if (const auto seconds = machine.ReadDword(kSystemPolicyKey, "InactivityTimeoutSecs");
      seconds && *seconds > 0) {
    machine_limit = facts::Seconds(static_cast<facts::Seconds::rep>(*seconds));
  }

  bool any_user = false;
  bool all_lock = true;
  bool all_timeouts_known = true;
  facts::Seconds longest{0};
  std::size_t hives = 0;
  for (const std::string& sid : users.ListSubkeys("")) {
    if (!IsPersonSid(sid) || ++hives > kMaxUserHives) {
      continue;
    }
    any_user = true;
    UserScreenLock user = ReadUserScreenLock(users, sid);
    if (machine_limit) {
      // The machine limit locks this user too, whichever comes first.
      user.timeout = user.locks == true && user.timeout ? std::min(*user.timeout, *machine_limit)
                                                        : *machine_limit;
      user.locks = true;
    }
    if (user.locks != true) {
      all_lock = false;
    } else if (user.timeout) {
      longest = std::max(longest, *user.timeout);
    } else {
      all_timeouts_known = false;
    }
  }

  if (!any_user) {
    if (machine_limit) {
      logon.screen_lock_enabled = true;
      logon.screen_lock_timeout = machine_limit;
    }
  } else if (!all_lock) {
    logon.screen_lock_enabled = false;
  } else {
    logon.screen_lock_enabled = true;
    if (all_timeouts_known) {
      logon.screen_lock_timeout = longest;
    }
  }
  return logon;
}

}  // namespace mamori::parse
