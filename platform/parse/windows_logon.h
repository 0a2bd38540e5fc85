// Windows logon security from the registry: automatic logon (Winlogon) and whether an idle desktop
// locks itself (the machine inactivity limit and each loaded user's secure screen saver). Pure
// logic, built and tested on every OS: the registry is reached only through RegistryReader.
#pragma once

#include <optional>
#include <string_view>

#include "platform/facts/host_facts.h"
#include "platform/windows/registry_reader.h"

namespace mamori::parse {

// Under HKEY_LOCAL_MACHINE.
inline constexpr std::string_view kWinlogonKey =
    R"(SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon)";
inline constexpr std::string_view kSystemPolicyKey =
    R"(SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System)";
// Under HKEY_USERS\<SID>.
inline constexpr std::string_view kUserDesktopKey = R"(Control Panel\Desktop)";
inline constexpr std::string_view kUserDesktopPolicyKey =
    R"(Software\Policies\Microsoft\Windows\Control Panel\Desktop)";

// Whether a subkey of HKEY_USERS is a person's hive: a local or domain account (S-1-5-21-...) or an
// Entra ID account (S-1-12-1-...). Not "<SID>_Classes" (the same user's class registrations),
// ".DEFAULT", nor the service accounts S-1-5-18/19/20.
bool IsPersonSid(std::string_view sid);

// When one user's desktop locks by itself.
struct UserScreenLock {
  std::optional<bool> locks;              // false: no secure screen saver runs
  std::optional<facts::Seconds> timeout;  // idle time before it locks, when it does
  friend bool operator==(const UserScreenLock&, const UserScreenLock&) = default;
};

// One user's screen saver under HKEY_USERS\<sid>: it locks when it is active, a screen saver
// program is chosen (SCRNSAVE.EXE), it asks for the password (ScreenSaverIsSecure "1") and its
// timeout is not 0. Each value of the user's Group Policy (kUserDesktopPolicyKey) wins over the
// user's own (kUserDesktopKey).
UserScreenLock ReadUserScreenLock(platform::RegistryReader& users, std::string_view sid);

// The section but its collected_at, from HKEY_LOCAL_MACHINE (machine) and HKEY_USERS (users).
// auto_logon_enabled: Winlogon AutoAdminLogon is "1" (a non-zero DWORD counts too); absent is off.
// auto_logon_user: "DefaultDomainName\DefaultUserName" while auto logon is on.
// auto_logon_password_stored: a DefaultPassword value exists (its content is never read).
// Screen lock: the machine inactivity limit (InactivityTimeoutSecs, 0 = none) locks every user
// after that many seconds; each loaded person's hive may lock sooner. Several users combine as the
// weakest: one who never locks makes it false, otherwise the longest timeout is reported. With no
// person's hive loaded (nobody logged on) and no machine limit, screen lock stays unknown. The
// status is unknown, naming the key, when Winlogon cannot be read.
facts::LogonSecurity ReadWindowsLogonSecurity(platform::RegistryReader& machine,
                                              platform::RegistryReader& users);

}  // namespace mamori::parse
