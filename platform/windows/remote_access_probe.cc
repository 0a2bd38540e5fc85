// The Windows remote access probe.
#include "platform/windows/remote_access_probe.h"

#include <windows.h>

#include <cstddef>
#include <fstream>
#include <optional>
#include <string>
#include <utility>

#include "platform/parse/windows_remote_access.h"

namespace mamori::platform {
namespace {

// Windows OpenSSH's shipped sshd_config is 2 KiB.
constexpr std::size_t kMaxSshdConfigBytes = 256 * 1024;
constexpr DWORD kMaxPathChars = 32768;

std::optional<std::string> ReadBounded(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::string text(kMaxSshdConfigBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) {
    return std::nullopt;
  }
  const auto read = static_cast<std::size_t>(in.gcount());
  if (read > kMaxSshdConfigBytes) {
    return std::nullopt;  // not a real sshd_config; half of one could read as weaker than it is
  }
  text.resize(read);
  return text;
}

}  // namespace

std::filesystem::path WindowsSshdConfigPath() {
  std::wstring program_data(kMaxPathChars, L'\0');
  const DWORD length =
      ::GetEnvironmentVariableW(L"ProgramData", program_data.data(), kMaxPathChars);
  if (length == 0 || length >= kMaxPathChars) {
    program_data = L"C:\\ProgramData";
  } else {
    program_data.resize(length);
  }
  return std::filesystem::path(program_data) / L"ssh" / L"sshd_config";
}

WindowsRemoteAccessProbe::WindowsRemoteAccessProbe(ProbeEnvironment env,
                                                   std::unique_ptr<RegistryReader> registry,
                                                   std::filesystem::path sshd_config)
    : env_(std::move(env)), registry_(std::move(registry)), sshd_config_(std::move(sshd_config)) {}

facts::RemoteAccess WindowsRemoteAccessProbe::Collect() {
  facts::RemoteAccess remote =
      parse::ReadWindowsRemoteAccess(*registry_, ReadBounded(sshd_config_));
  remote.meta.collected_at = env_.now();
  return remote;
}

}  // namespace mamori::platform
