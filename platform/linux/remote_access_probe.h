// The Linux remote access probe: whether the host accepts SSH logins, and whether they can be made
// with a password (and as root with a password); whether xrdp offers remote desktops.
#pragma once

#include <string_view>

#include "platform/probe.h"

namespace mamori::platform {

// ssh_enabled: /usr/sbin/sshd is installed and either runs (an sshd process under <root>/proc) or
// starts at boot (ssh.service, sshd.service or ssh.socket enabled). Without sshd it is false and
// the SSH settings stay unknown: there is nothing to configure. The settings are read from
// /etc/ssh/sshd_config with its Include'd files expanded in place (first value wins, as in sshd):
// ssh_password_authentication is PasswordAuthentication (default yes) or keyboard-interactive
// through PAM; ssh_root_login is whether root can log in with a password (PermitRootLogin yes; the
// default prohibit-password cannot). Settings inside Match blocks apply to some connections only
// and are not counted. rdp_enabled: xrdp installed and running or enabled; rdp_nla_required stays
// unknown.
class LinuxRemoteAccessProbe final : public Probe<facts::RemoteAccess> {
 public:
  explicit LinuxRemoteAccessProbe(ProbeEnvironment env) : env_(std::move(env)) {}
  std::string_view Name() const override { return "linux remote access"; }
  facts::RemoteAccess Collect() override;

 private:
  ProbeEnvironment env_;
};

}  // namespace mamori::platform
