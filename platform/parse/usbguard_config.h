// Parses USBGuard's configuration: whether devices that no rule allows are blocked, and whether a
// rule allows every device anyway.
#pragma once

#include <string>
#include <string_view>

namespace mamori::parse {

// /etc/usbguard/usbguard-daemon.conf: the ImplicitPolicyTarget setting ("allow", "block",
// "reject"). usbguard-daemon's own default is "block", which is returned when the key is absent.
// The last assignment wins. Only the first kMaxInputBytes are read.
std::string ParseUsbGuardImplicitPolicyTarget(std::string_view daemon_conf);

// Whether a rules file (/etc/usbguard/rules.conf) holds a rule that allows any device at all (a
// bare "allow", or "allow" with only an id wildcard "*:*"), which makes the implicit block moot.
// Rules that allow specific devices (the output of `usbguard generate-policy`) do not count.
bool UsbGuardRulesAllowEverything(std::string_view rules);

}  // namespace mamori::parse
