// The Linux power probe: how long the host has been up, who is logged in and how long each session
// has been idle, and whether the host is kept from ever sleeping (machines left on overnight).
#pragma once

#include <string_view>

#include "platform/probe.h"

namespace mamori::platform {

// Sessions come from files, never D-Bus (no libsystemd in the portable core, and files are
// testable): with systemd running (<root>/run/systemd/system exists) from logind's state files
// /run/systemd/sessions/*, otherwise from utmp (/run/utmp, /var/run/utmp). A session's idle time is
// its terminal's access time, as `w` computes it, and it is idle after 30 minutes (logind's default
// IdleActionSec); graphical sessions, whose input never touches a terminal, and the lock state stay
// unknown. The section is unknown when neither source exists; uptime and sleep settings are still
// filled when they could be read.
//
// sleep_disabled: true when suspend is blocked (AllowSuspend=no in sleep.conf(.d), sleep.target or
// suspend.target masked, or GNOME's sleep-inactive-ac-type='nothing' in a system dconf database);
// false when an automatic suspend is configured (logind.conf IdleAction=suspend..., or GNOME's
// sleep-inactive-ac-type set to suspend/hibernate); unknown otherwise (it then depends on per-user
// desktop settings no file here shows).
class LinuxPowerProbe final : public Probe<facts::PowerState> {
 public:
  explicit LinuxPowerProbe(ProbeEnvironment env) : env_(std::move(env)) {}
  std::string_view Name() const override { return "linux power"; }
  facts::PowerState Collect() override;

 private:
  ProbeEnvironment env_;
};

}  // namespace mamori::platform
