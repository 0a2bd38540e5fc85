// The Linux inventory probe.
#include "platform/linux/inventory_probe.h"

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "platform/linux/bounded_file.h"
#include "platform/parse/boot_time.h"
#include "platform/parse/cpuinfo.h"
#include "platform/parse/hostname.h"
#include "platform/parse/mac_address.h"
#include "platform/parse/machine_id.h"
#include "platform/parse/meminfo.h"
#include "platform/parse/os_release.h"
#include "platform/parse/text.h"

namespace mamori::platform {
namespace {

// A host with more network interfaces than this is not a clinic PC; the rest are not listed.
constexpr std::size_t kMaxInterfaces = 256;

// Why an essential fact is missing. Missing files make the section unknown; anything worse, an
// error.
struct Problems {
  std::vector<std::string> messages;
  bool any_error = false;

  void Add(std::string message, bool is_error) {
    messages.push_back(std::move(message));
    any_error = any_error || is_error;
  }
};

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string joined;
  for (const std::string& part : parts) {
    if (!joined.empty()) {
      joined += separator;
    }
    joined += part;
  }
  return joined;
}

class RootedReader {
 public:
  explicit RootedReader(const std::filesystem::path& root) : root_(root) {}

  // "etc/os-release" -> <root>/etc/os-release
  std::filesystem::path Resolve(std::string_view relative) const { return root_ / relative; }

  FileText Read(std::string_view relative) const { return ReadBoundedFile(Resolve(relative)); }

  // Reads and trims a one-line file; empty when unreadable.
  std::string ReadLine(std::string_view relative) const {
    const FileText file = Read(relative);
    return file.ok() ? std::string(parse::TrimAsciiWhitespace(file.text)) : std::string();
  }

  // "/etc/os-release", plus " under root /tmp/x" unless the root is the real one.
  std::string Describe(std::string_view relative) const {
    std::string described = "/" + std::string(relative);
    if (root_.lexically_normal() != std::filesystem::path("/")) {
      described += " under root " + root_.string();
    }
    return described;
  }

 private:
  std::filesystem::path root_;
};

// Tries each file in order and returns the first one that reads and parses. Otherwise records in
// problems why each failed.
template <typename Parse>
auto ReadFirstParsed(const RootedReader& reader, std::initializer_list<std::string_view> candidates,
                     Parse parse, std::string_view what, Problems& problems)
    -> decltype(parse(std::string_view())) {
  std::vector<std::string> failures;
  bool all_missing = true;
  for (const std::string_view relative : candidates) {
    const FileText file = reader.Read(relative);
    if (!file.ok()) {
      failures.push_back("cannot read " + reader.Describe(relative) + ": " + file.error);
      all_missing = all_missing && file.missing;
      continue;
    }
    if (auto parsed = parse(file.text)) {
      return parsed;
    }
    failures.push_back(reader.Describe(relative) + " holds no valid " + std::string(what));
    all_missing = false;
  }
  problems.Add("no " + std::string(what) + ": " + Join(failures, "; "), !all_missing);
  return std::nullopt;
}

std::vector<facts::NetworkInterface> ListInterfaces(const RootedReader& reader) {
  std::vector<facts::NetworkInterface> interfaces;
  std::error_code error;
  std::filesystem::directory_iterator entries(reader.Resolve("sys/class/net"), error);
  for (; !error && entries != std::filesystem::directory_iterator(); entries.increment(error)) {
    const std::string name = entries->path().filename().string();
    // Real sysfs entries are symlinks to device directories; plain files such as bonding_masters
    // are not interfaces.
    std::error_code type_error;
    if (name == "lo" || !std::filesystem::is_directory(entries->path(), type_error)) {
      continue;
    }
    if (interfaces.size() >= kMaxInterfaces) {
      break;
    }
    const FileText address = ReadBoundedFile(entries->path() / "address", 4096);
    facts::NetworkInterface interface;
    interface.name = name;
    if (address.ok()) {
      interface.mac = parse::ParseMacAddress(address.text).value_or("");
    }
    interfaces.push_back(std::move(interface));
  }
  std::sort(interfaces.begin(), interfaces.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return interfaces;
}

// Attaches the running kernel's addresses to the interfaces sysfs listed; interfaces sysfs did not
// list (no /sys in a container) are added by name.
void AddAddresses(const std::vector<InterfaceAddress>& addresses,
                  std::vector<facts::NetworkInterface>& interfaces) {
  for (const InterfaceAddress& address : addresses) {
    if (address.interface == "lo") {
      continue;
    }
    auto match = std::find_if(interfaces.begin(), interfaces.end(),
                              [&](const auto& known) { return known.name == address.interface; });
    if (match == interfaces.end()) {
      if (interfaces.size() >= kMaxInterfaces) {
        continue;
      }
      facts::NetworkInterface added;
      added.name = address.interface;
      interfaces.push_back(std::move(added));
      match = std::prev(interfaces.end());
    }
    match->addresses.push_back(address.address);
  }
  std::sort(interfaces.begin(), interfaces.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
}

}  // namespace

LinuxInventoryProbe::LinuxInventoryProbe(ProbeEnvironment env,
                                         std::unique_ptr<RunningKernel> running_kernel)
    : env_(std::move(env)), running_kernel_(std::move(running_kernel)) {}

facts::Inventory LinuxInventoryProbe::Collect() {
  const RootedReader reader(env_.root);
  facts::Inventory inventory;
  inventory.os_family = facts::OsFamily::kLinux;
  Problems problems;

  // The kernel's hostname is the live one; /etc/hostname is what it is set from at boot.
  if (auto hostname = ReadFirstParsed(reader, {"proc/sys/kernel/hostname", "etc/hostname"},
                                      parse::ParseHostname, "hostname", problems)) {
    inventory.hostname = std::move(*hostname);
  }

  // os-release(5): /etc/os-release first, /usr/lib/os-release when /etc has none.
  if (auto release = ReadFirstParsed(reader, {"etc/os-release", "usr/lib/os-release"},
                                     parse::ParseOsRelease, "os-release", problems)) {
    inventory.os_id = std::move(release->id);
    inventory.os_name = std::move(release->name);
    inventory.os_version = std::move(release->version_id);
    inventory.os_codename = std::move(release->version_codename);
    inventory.os_pretty_name = std::move(release->pretty_name);
  }

  inventory.kernel_version = reader.ReadLine("proc/sys/kernel/osrelease");
  inventory.architecture = reader.ReadLine("proc/sys/kernel/arch");
  if (inventory.architecture.empty() && running_kernel_) {
    inventory.architecture = running_kernel_->MachineArchitecture();
  }

  if (const FileText cpuinfo = reader.Read("proc/cpuinfo"); cpuinfo.ok()) {
    parse::CpuInfo cpu = parse::ParseCpuInfo(cpuinfo.text);
    inventory.cpu_model = std::move(cpu.model);
    inventory.cpu_logical_cores = cpu.logical_processors;
  }
  if (const FileText meminfo = reader.Read("proc/meminfo"); meminfo.ok()) {
    inventory.memory_bytes = parse::ParseMemTotalBytes(meminfo.text);
  }

  if (const FileText stat = reader.Read("proc/stat"); stat.ok()) {
    inventory.boot_time = parse::ParseProcStatBootTime(stat.text);
  }
  if (!inventory.boot_time) {
    if (const FileText uptime = reader.Read("proc/uptime"); uptime.ok()) {
      if (const auto since_boot = parse::ParseUptime(uptime.text)) {
        inventory.boot_time = env_.now() - *since_boot;
      }
    }
  }

  if (const FileText machine_id = reader.Read("etc/machine-id"); machine_id.ok()) {
    inventory.machine_id = parse::ParseMachineId(machine_id.text).value_or("");
  }

  inventory.interfaces = ListInterfaces(reader);
  if (running_kernel_) {
    AddAddresses(running_kernel_->InterfaceAddresses(), inventory.interfaces);
  }

  // Whether the host is a workstation or a server is the clinic's to say, not something to guess
  // here.
  inventory.role = facts::HostRole::kUnspecified;

  if (problems.messages.empty()) {
    inventory.meta.status = facts::ProbeStatus::Ok();
  } else if (problems.any_error) {
    inventory.meta.status = facts::ProbeStatus::Error(Join(problems.messages, "; "));
  } else {
    inventory.meta.status = facts::ProbeStatus::Unknown(Join(problems.messages, "; "));
  }
  inventory.meta.collected_at = env_.now();
  return inventory;
}

}  // namespace mamori::platform
