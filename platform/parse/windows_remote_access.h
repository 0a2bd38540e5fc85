// Windows remote access from the registry: Remote Desktop and whether it requires Network Level
// Authentication (local settings, overridden by Group Policy), and the Windows OpenSSH server with
// its sshd_config. Pure logic, built and tested on every OS: the registry is reached only through
// RegistryReader, the sshd_config text comes in as data.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "platform/facts/host_facts.h"
#include "platform/windows/registry_reader.h"

namespace mamori::parse {

inline constexpr std::string_view kTerminalServerKey =
    R"(SYSTEM\CurrentControlSet\Control\Terminal Server)";
inline constexpr std::string_view kRdpTcpKey =
    R"(SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp)";
inline constexpr std::string_view kTerminalServicesPolicyKey =
    R"(SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services)";
inline constexpr std::string_view kSshdServiceKey = R"(SYSTEM\CurrentControlSet\Services\sshd)";

// The section but its collected_at.
// rdp_enabled: fDenyTSConnections is 0 (Group Policy's value wins over the local one); unknown
// when neither is set. rdp_nla_required: UserAuthentication is 1, Group Policy winning likewise.
// ssh_enabled: the sshd service is installed and its start type is not disabled (Start != 4; a
// manual start counts: any administrator can start it). Its settings come from sshd_config_text
// (nullopt when the file could not be read: they stay unknown): password logins as on Linux
// (PasswordAuthentication, first value wins, Match blocks set apart). ssh_root_login is false:
// Windows has no root, and Windows OpenSSH ignores PermitRootLogin. Without sshd both stay
// unknown: there is nothing to configure.
facts::RemoteAccess ReadWindowsRemoteAccess(platform::RegistryReader& registry,
                                            const std::optional<std::string>& sshd_config_text);

}  // namespace mamori::parse
