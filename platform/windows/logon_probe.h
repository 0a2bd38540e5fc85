// The Windows logon security probe: automatic logon (and a stored DefaultPassword, by presence
// only) and whether idle desktops lock themselves. How each fact is decided: parse/windows_logon.h.
#pragma once

#include <memory>
#include <string_view>

#include "platform/probe.h"
#include "platform/windows/registry_reader.h"

namespace mamori::platform {

class WindowsLogonProbe final : public Probe<facts::LogonSecurity> {
 public:
  // machine reads HKEY_LOCAL_MACHINE, users HKEY_USERS (the loaded hive of each logged-on user).
  WindowsLogonProbe(ProbeEnvironment env, std::unique_ptr<RegistryReader> machine,
                    std::unique_ptr<RegistryReader> users);

  std::string_view Name() const override { return "windows logon"; }
  facts::LogonSecurity Collect() override;

 private:
  ProbeEnvironment env_;
  std::unique_ptr<RegistryReader> machine_;
  std::unique_ptr<RegistryReader> users_;
};

}  // namespace mamori::platform
