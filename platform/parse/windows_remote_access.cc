// Windows remote access from the registry and sshd_config.
#include "platform/parse/windows_remote_access.h"

#include "platform/parse/sshd_config.h"

namespace mamori::parse {
namespace {

constexpr uint32_t kServiceDisabled = 4;

// Group Policy's value when it is set, else the local setting's.
std::optional<uint32_t> PolicyOrLocal(platform::RegistryReader& registry,
                                      std::string_view local_key, std::string_view value) {
  if (const auto policy = registry.ReadDword(kTerminalServicesPolicyKey, value)) {
    return policy;
  }
  return registry.ReadDword(local_key, value);
}

}  // namespace

facts::RemoteAccess ReadWindowsRemoteAccess(platform::RegistryReader& registry,
                                            const std::optional<std::string>& sshd_config_text) {
  facts::RemoteAccess remote;
  remote.meta.status = facts::ProbeStatus::Ok();

  if (const auto deny = PolicyOrLocal(registry, kTerminalServerKey, "fDenyTSConnections")) {
    remote.rdp_enabled = *deny == 0;
  }
  if (const auto nla = PolicyOrLocal(registry, kRdpTcpKey, "UserAuthentication")) {
    remote.rdp_nla_required = *nla == 1;
  }

  const bool sshd_installed = registry.KeyExists(kSshdServiceKey);
  remote.ssh_enabled =
      sshd_installed && registry.ReadDword(kSshdServiceKey, "Start") != kServiceDisabled;
  if (sshd_installed) {
    remote.ssh_root_login = false;
    if (sshd_config_text) {
      const SshdSettings settings = EffectiveSshdSettings(ParseSshdConfig(*sshd_config_text));
      remote.ssh_password_authentication = SshdAcceptsPasswords(settings);
    }
  }
  return remote;
}

}  // namespace mamori::parse
