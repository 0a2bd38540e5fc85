// The Windows inventory probe.
#include "platform/windows/inventory_probe.h"

#include <windows.h>

#include <string>
#include <utility>
#include <vector>

#include "platform/parse/text.h"
#include "platform/parse/windows_version.h"
#include "platform/windows/network_adapters.h"
#include "platform/windows/wide_text.h"

namespace mamori::platform {
namespace {

constexpr std::string_view kProcessorKey = R"(HARDWARE\DESCRIPTION\System\CentralProcessor\0)";
constexpr std::string_view kCryptographyKey = R"(SOFTWARE\Microsoft\Cryptography)";

std::string Win32Failure(std::string_view call, DWORD error) {
  return std::string(call) + " failed with error " + std::to_string(error);
}

// The DNS host name ("RECEPTION-01"), or why it could not be read.
std::pair<std::string, std::string> ReadHostname() {
  DWORD length = 0;
  ::GetComputerNameExW(ComputerNameDnsHostname, nullptr, &length);
  if (length == 0 || length > 1024) {
    return {{}, Win32Failure("GetComputerNameExW", ::GetLastError())};
  }
  std::wstring name(length, L'\0');
  if (!::GetComputerNameExW(ComputerNameDnsHostname, name.data(), &length)) {
    return {{}, Win32Failure("GetComputerNameExW", ::GetLastError())};
  }
  name.resize(length);
  return {ToUtf8(name), {}};
}

// The names Linux uses, so one ledger column reads the same for every OS.
std::string NativeArchitecture() {
  SYSTEM_INFO info{};
  ::GetNativeSystemInfo(&info);
  switch (info.wProcessorArchitecture) {
    case PROCESSOR_ARCHITECTURE_AMD64:
      return "x86_64";
    case PROCESSOR_ARCHITECTURE_ARM64:
      return "aarch64";
    case PROCESSOR_ARCHITECTURE_INTEL:
      return "x86";
    case PROCESSOR_ARCHITECTURE_ARM:
      return "arm";
    default:
      return {};
  }
}

}  // namespace

WindowsInventoryProbe::WindowsInventoryProbe(ProbeEnvironment env,
                                             std::unique_ptr<RegistryReader> registry)
    : env_(std::move(env)), registry_(std::move(registry)) {}

facts::Inventory WindowsInventoryProbe::Collect() {
  facts::Inventory inventory;
  inventory.os_family = facts::OsFamily::kWindows;
  std::vector<std::string> problems;

  auto [hostname, hostname_error] = ReadHostname();
  inventory.hostname = std::move(hostname);
  if (inventory.hostname.empty()) {
    problems.push_back("no hostname: " + (hostname_error.empty()
                                              ? "GetComputerNameExW returned an empty name"
                                              : hostname_error));
  }

  parse::WindowsRelease release =
      parse::DescribeWindowsRelease(parse::ReadWindowsVersionValues(*registry_));
  if (release.name.empty()) {
    problems.push_back("no Windows release: cannot read ProductName under HKLM\\" +
                       std::string(parse::kWindowsCurrentVersionKey));
  }
  inventory.os_id = std::move(release.id);
  inventory.os_name = std::move(release.name);
  inventory.os_version = std::move(release.version);
  inventory.os_build = std::move(release.build);
  inventory.os_pretty_name = std::move(release.pretty_name);
  inventory.kernel_version = std::move(release.kernel_version);

  inventory.architecture = NativeArchitecture();
  // Intel pads ProcessorNameString with spaces.
  inventory.cpu_model = std::string(parse::TrimAsciiWhitespace(
      registry_->ReadString(kProcessorKey, "ProcessorNameString").value_or("")));
  if (const DWORD processors = ::GetActiveProcessorCount(ALL_PROCESSOR_GROUPS); processors > 0) {
    inventory.cpu_logical_cores = static_cast<uint32_t>(processors);
  }

  MEMORYSTATUSEX memory{};
  memory.dwLength = sizeof(memory);
  if (::GlobalMemoryStatusEx(&memory)) {
    inventory.memory_bytes = static_cast<uint64_t>(memory.ullTotalPhys);
  }

  const ULONGLONG since_boot_ms = ::GetTickCount64();
  inventory.boot_time =
      env_.now() -
      std::chrono::seconds(static_cast<std::chrono::seconds::rep>(since_boot_ms / 1000));

  inventory.machine_id = registry_->ReadString(kCryptographyKey, "MachineGuid").value_or("");
  inventory.interfaces = ListNetworkAdapters();
  // Whether the PC is a workstation or a server is the clinic's to say, not something to guess
  // here.
  inventory.role = facts::HostRole::kUnspecified;

  if (problems.empty()) {
    inventory.meta.status = facts::ProbeStatus::Ok();
  } else {
    std::string reason;
    for (const std::string& problem : problems) {
      reason += (reason.empty() ? "" : "; ") + problem;
    }
    inventory.meta.status = facts::ProbeStatus::Error(std::move(reason));
  }
  inventory.meta.collected_at = env_.now();
  return inventory;
}

}  // namespace mamori::platform
