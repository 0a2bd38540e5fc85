// The Windows inventory probe.
#include "platform/windows/inventory_probe.h"

#include <windows.h>

#include <string>
#include <utility>
#include <vector>

#include "platform/parse/text.h"
#include "platform/parse/win32_error.h"
#include "platform/parse/windows_version.h"
#include "platform/windows/installed_software.h"
#include "platform/windows/network_adapters.h"
#include "platform/windows/wide_text.h"

namespace mamori::platform {
namespace {

constexpr std::string_view kProcessorKey = R"(HARDWARE\DESCRIPTION\System\CentralProcessor\0)";
constexpr std::string_view kCryptographyKey = R"(SOFTWARE\Microsoft\Cryptography)";

constexpr std::string_view kCimV2 = R"(ROOT\CIMV2)";
constexpr std::string_view kComputerSystemQuery =
    "SELECT Manufacturer, Model FROM Win32_ComputerSystem";
constexpr std::string_view kBiosQuery = "SELECT SerialNumber FROM Win32_BIOS";

// Firmware strings are often padded with spaces.
std::string TrimmedWmiString(const WmiObject& object, std::string_view name) {
  return std::string(parse::TrimAsciiWhitespace(WmiString(object, name).value_or("")));
}

// Manufacturer, model and serial number; what WMI could not tell stays empty and is added to
// notes. Firmware placeholders ("To be filled by O.E.M.") are reported as the firmware says them:
// the ledger shows what the PC claims.
facts::Hardware ReadHardware(WmiClient& wmi, std::vector<std::string>& notes) {
  facts::Hardware hardware;
  const WmiQueryResult system = wmi.Query(kCimV2, kComputerSystemQuery);
  if (!system.ok()) {
    notes.push_back("hardware model not read: Win32_ComputerSystem: " + system.error);
  } else if (!system.objects.empty()) {
    hardware.manufacturer = TrimmedWmiString(system.objects.front(), "Manufacturer");
    hardware.model = TrimmedWmiString(system.objects.front(), "Model");
  }
  const WmiQueryResult bios = wmi.Query(kCimV2, kBiosQuery);
  if (!bios.ok()) {
    notes.push_back("serial number not read: Win32_BIOS: " + bios.error);
  } else if (!bios.objects.empty()) {
    hardware.serial_number = TrimmedWmiString(bios.objects.front(), "SerialNumber");
  }
  return hardware;
}

std::string JoinReasons(const std::vector<std::string>& reasons) {
  std::string joined;
  for (const std::string& reason : reasons) {
    joined += (joined.empty() ? "" : "; ") + reason;
  }
  return joined;
}

// The DNS host name ("RECEPTION-01"), or why it could not be read.
std::pair<std::string, std::string> ReadHostname() {
  DWORD length = 0;
  ::GetComputerNameExW(ComputerNameDnsHostname, nullptr, &length);
  if (length == 0 || length > 1024) {
    return {{}, parse::Win32CallFailed("GetComputerNameExW", ::GetLastError())};
  }
  std::wstring name(length, L'\0');
  if (!::GetComputerNameExW(ComputerNameDnsHostname, name.data(), &length)) {
    return {{}, parse::Win32CallFailed("GetComputerNameExW", ::GetLastError())};
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
                                             std::unique_ptr<RegistryReader> registry,
                                             std::unique_ptr<WmiClient> wmi)
    : env_(std::move(env)), registry_(std::move(registry)), wmi_(std::move(wmi)) {}

facts::Inventory WindowsInventoryProbe::Collect() {
  facts::Inventory inventory;
  inventory.os_family = facts::OsFamily::kWindows;
  std::vector<std::string> problems;
  // What could not be read without making the row wrong: reported, but the section stays ok.
  std::vector<std::string> notes;

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
  inventory.hardware = ReadHardware(*wmi_, notes);
  inventory.software = ListInstalledSoftware(*registry_);
  // Whether the PC is a workstation or a server is the clinic's to say, not something to guess
  // here.
  inventory.role = facts::HostRole::kUnspecified;

  if (!problems.empty()) {
    problems.insert(problems.end(), notes.begin(), notes.end());
    inventory.meta.status = facts::ProbeStatus::Error(JoinReasons(problems));
  } else {
    inventory.meta.status = {facts::ProbeState::kOk, JoinReasons(notes)};
  }
  inventory.meta.collected_at = env_.now();
  return inventory;
}

}  // namespace mamori::platform
