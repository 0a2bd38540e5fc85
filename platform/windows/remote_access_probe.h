// The Windows remote access probe: Remote Desktop and its Network Level Authentication, and the
// Windows OpenSSH server with its password setting. How each fact is decided:
// parse/windows_remote_access.h.
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>

#include "platform/probe.h"
#include "platform/windows/registry_reader.h"

namespace mamori::platform {

// %ProgramData%\ssh\sshd_config, where Windows OpenSSH keeps its server configuration
// (C:\ProgramData when the variable is unset).
std::filesystem::path WindowsSshdConfigPath();

class WindowsRemoteAccessProbe final : public Probe<facts::RemoteAccess> {
 public:
  // registry reads HKEY_LOCAL_MACHINE; sshd_config is read from its path (at most 256 KiB; a
  // bigger or unreadable file leaves the SSH settings unknown).
  WindowsRemoteAccessProbe(ProbeEnvironment env, std::unique_ptr<RegistryReader> registry,
                           std::filesystem::path sshd_config);

  std::string_view Name() const override { return "windows remote access"; }
  facts::RemoteAccess Collect() override;

 private:
  ProbeEnvironment env_;
  std::unique_ptr<RegistryReader> registry_;
  std::filesystem::path sshd_config_;
};

}  // namespace mamori::platform
