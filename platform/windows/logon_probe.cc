// The Windows logon security probe.
#include "platform/windows/logon_probe.h"

#include <utility>

#include "platform/parse/windows_logon.h"

namespace mamori::platform {

WindowsLogonProbe::WindowsLogonProbe(ProbeEnvironment env, std::unique_ptr<RegistryReader> machine,
                                     std::unique_ptr<RegistryReader> users)
    : env_(std::move(env)), machine_(std::move(machine)), users_(std::move(users)) {}

facts::LogonSecurity WindowsLogonProbe::Collect() {
  facts::LogonSecurity logon = parse::ReadWindowsLogonSecurity(*machine_, *users_);
  logon.meta.collected_at = env_.now();
  return logon;
}

}  // namespace mamori::platform
