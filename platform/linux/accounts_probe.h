// The Linux accounts probe: the local accounts for the 棚卸し (account review), who holds admin
// rights, and the password rules the PAM stack enforces.
#pragma once

#include <string_view>

#include "platform/probe.h"

namespace mamori::platform {

// Per account (from /etc/passwd, /etc/shadow, /etc/group, /var/log/lastlog):
// - enabled: the shell allows a login (not nologin, false, sync, halt, shutdown) and the account
// has
//   not expired (shadow's expire date). A locked password does not disable an account: OpenSSH
//   still takes keys for it. Unknown when the shell allows a login but /etc/shadow is unreadable.
// - locked: the hash starts with '!' or '*' (no password can match), or the account has expired.
// - password_empty: the hash is empty (login without a password).
// - password_expires: shadow's maximum age is set and below 99999 (shadow's "never").
// - password_changed_at: shadow's last change (day 0, "change at next login", is left unknown).
// - admin: UID 0, or a member (supplementary or primary) of sudo, wheel or admin (Ubuntu before
//   12.04). adm only reads logs and does not count. sudoers entries naming users directly are not
//   read.
// - system_account: UID 1-<UID_MIN> (login.defs, default 1000) or above 60000 (nobody, systemd's
//   dynamic users). A person's account with a nologin shell stays a person's account, reported
//   disabled, so the review still sees it. root is not a system account: it is an admin login to
//   review.
// - last_logon: lastlog's record for the UID (read by offset; the file is sparse). wtmp is not
// read. Password policy: max_age_days from login.defs PASS_MAX_DAYS (99999 kept as is: "never");
// min_length / min_classes from the module in the PAM password stack (pam_pwquality with
// pwquality.conf(.d) overridden by its arguments, pam_cracklib, or pam_unix alone);
// complexity_required when 3 or more classes are required; lockout_threshold from pam_faillock
// (deny=, faillock.conf) or pam_tally2 in the auth stack, 0 when neither is there.
// The section is unknown when /etc/passwd cannot be read (absent, or larger than the probe reads).
class LinuxAccountsProbe final : public Probe<facts::AccountList> {
 public:
  explicit LinuxAccountsProbe(ProbeEnvironment env) : env_(std::move(env)) {}
  std::string_view Name() const override { return "linux accounts"; }
  facts::AccountList Collect() override;

 private:
  ProbeEnvironment env_;
};

}  // namespace mamori::platform
