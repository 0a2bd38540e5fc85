// The Linux logon security probe: whether the PC logs someone in without a password (display
// manager or console auto-login) and whether the desktop locks itself when left.
#pragma once

#include <string_view>

#include "platform/probe.h"

namespace mamori::platform {

// Automatic login is looked for in GDM (/etc/gdm3/daemon.conf, /etc/gdm3/custom.conf,
// /etc/gdm/custom.conf: AutomaticLoginEnable / TimedLoginEnable), LightDM (autologin-user= in
// lightdm.conf and its .conf.d directories, in LightDM's reading order) and SDDM ([Autologin] User=
// in sddm.conf(.d)), and in getty drop-ins (/etc/systemd/system/getty@*.service.d/*.conf running
// agetty with --autologin). A host with none of these has no way to log anyone in automatically:
// false is then a known answer, not a guess.
//
// Screen lock is read from the system dconf databases (GNOME: org/gnome/desktop/screensaver
// lock-enabled, org/gnome/desktop/session idle-delay, screensaver lock-delay), falling back to
// GNOME's defaults (locks after 300 s) when GNOME Shell is installed; idle-delay 0 never locks. A
// user may still change their own setting unless the key is locked, which this probe does not
// check. Without GNOME (another desktop, or no desktop at all) screen lock stays unknown: text
// consoles and other desktops' lockers keep their settings per user.
class LinuxLogonProbe final : public Probe<facts::LogonSecurity> {
 public:
  explicit LinuxLogonProbe(ProbeEnvironment env) : env_(std::move(env)) {}
  std::string_view Name() const override { return "linux logon"; }
  facts::LogonSecurity Collect() override;

 private:
  ProbeEnvironment env_;
};

}  // namespace mamori::platform
