// The Linux USB storage probe.
//
// How the facts are decided (MAM-USB-001 fails when storage is not blocked, or blocked by modprobe
// while the driver is loaded or built in, so each fact is reported on its own):
// - mode is kBlocked when a control that stops USB storage is configured and active: the effective
//   (first, in kmod's file order) modprobe.d "install usb-storage" command is /bin/false or
//   /bin/true, or USBGuard's daemon runs with ImplicitPolicyTarget block/reject and no rule
//   allowing every device. Otherwise kAllowed. "blacklist usb-storage" alone is listed as a control
//   but does not block: `modprobe usb-storage` and dependencies still load it.
// - driver_loaded (/proc/modules) and driver_builtin (modules.builtin of the running kernel) are
//   reported as read, independent of the mode: a modprobe block does nothing for a driver already
//   loaded or compiled in.
// - Partial knowledge: whatever could not be read (no /sys/bus/usb in a container, no
//   /proc/modules, an unreadable modprobe.d file, an unlistable /proc when USBGuard is configured)
//   makes the section kUnknown with every reason, while everything that was read is still filled
//   in. Reporting ok with an empty device list would be a false pass when devices could not be
//   listed at all.
#include "platform/linux/usb_storage_probe.h"

#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "platform/linux/bounded_file.h"
#include "platform/linux/process_names.h"
#include "platform/parse/kernel_modules.h"
#include "platform/parse/modprobe_config.h"
#include "platform/parse/text.h"
#include "platform/parse/usbguard_config.h"
#include "platform/parse/utf8.h"

namespace mamori::platform {
namespace {

constexpr std::string_view kModule = "usb_storage";
// kmod's search order; a file name found in an earlier directory hides the same name in later
// ones.
constexpr std::array<std::string_view, 5> kModprobeDirs = {"etc/modprobe.d", "run/modprobe.d",
                                                           "usr/local/lib/modprobe.d",
                                                           "lib/modprobe.d", "usr/lib/modprobe.d"};
// No real host has this many modprobe.d files or USB device entries.
constexpr std::size_t kMaxConfigFilesPerDir = 1024;
constexpr std::size_t kMaxUsbEntries = 4096;
// USB descriptor strings are at most 126 characters.
constexpr std::size_t kMaxDeviceStringBytes = 512;

class Rooted {
 public:
  explicit Rooted(std::filesystem::path root) : root_(std::move(root)) {}
  std::filesystem::path Path(std::string_view relative) const { return root_ / relative; }
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

// Descriptor strings come from the device itself: control characters and invalid UTF-8 (a
// malicious stick) are replaced, so the report and the wire format stay valid.
std::string CleanDeviceString(std::string_view text) {
  text = parse::TrimAsciiWhitespace(text.substr(0, kMaxDeviceStringBytes));
  std::string clean;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const std::size_t length = parse::Utf8SequenceLength(text, i);
    if (length == 0) {
      clean += '?';
      ++i;
    } else if (length == 1) {
      clean += (byte < 0x20 || byte == 0x7F) ? '?' : static_cast<char>(byte);
      ++i;
    } else {
      clean.append(text.substr(i, length));
      i += length;
    }
  }
  return clean;
}

struct ModprobeFindings {
  std::optional<std::string> install_command;
  std::string install_file;
  std::vector<std::string> blacklist_files;
};

ModprobeFindings ReadModprobeConfig(const Rooted& root, std::vector<std::string>& problems) {
  // File name -> path to read; nullopt when masked by a symlink to /dev/null.
  std::map<std::string, std::optional<std::filesystem::path>> files;
  for (const std::string_view dir : kModprobeDirs) {
    std::error_code error;
    std::filesystem::directory_iterator entries(root.Path(dir), error);
    if (error) {
      if (error != std::errc::no_such_file_or_directory && error != std::errc::not_a_directory) {
        problems.push_back("cannot list " + root.Describe(dir) + ": " + error.message());
      }
      continue;
    }
    std::size_t seen = 0;
    for (; !error && entries != std::filesystem::directory_iterator(); entries.increment(error)) {
      if (++seen > kMaxConfigFilesPerDir) {
        problems.push_back(root.Describe(dir) + " holds more than " +
                           std::to_string(kMaxConfigFilesPerDir) +
                           " entries; the rest were not read");
        break;
      }
      const std::string name = entries->path().filename().string();
      if (name.size() <= 5 || name.substr(name.size() - 5) != ".conf" || files.count(name) > 0) {
        continue;
      }
      std::error_code link_error;
      const std::filesystem::path target =
          std::filesystem::read_symlink(entries->path(), link_error);
      if (!link_error && target == "/dev/null") {
        files[name] = std::nullopt;
      } else {
        files[name] = entries->path();
      }
    }
    if (error) {
      problems.push_back("cannot list " + root.Describe(dir) + ": " + error.message());
    }
  }

  ModprobeFindings findings;
  for (const auto& [name, path] : files) {
    if (!path) {
      continue;
    }
    const FileText file = ReadBoundedFile(*path);
    if (!file.ok()) {
      problems.push_back("cannot read modprobe configuration " + path->string() + ": " +
                         file.error);
      continue;
    }
    const parse::ModprobeModuleConfig config = parse::ParseModprobeConfig(file.text, kModule);
    if (!findings.install_command && config.install_command) {
      findings.install_command = config.install_command;
      findings.install_file = path->string();
    }
    if (config.blacklisted) {
      findings.blacklist_files.push_back(path->string());
    }
  }
  return findings;
}

// The kernel release names the directory under /lib/modules; a hostile value must not walk out
// of it.
std::optional<std::string> KernelRelease(const Rooted& root) {
  const FileText file = ReadBoundedFile(root.Path("proc/sys/kernel/osrelease"), 256);
  if (!file.ok()) {
    return std::nullopt;
  }
  const std::string release(parse::TrimAsciiWhitespace(file.text));
  if (release.empty() || release == "." || release == ".." ||
      release.find_first_of(std::string_view("/\n\0", 3)) != std::string::npos) {
    return std::nullopt;
  }
  return release;
}

std::vector<facts::UsbStorageDevice> AttachedMassStorage(const Rooted& root,
                                                         std::vector<std::string>& problems) {
  std::vector<facts::UsbStorageDevice> devices;
  const std::string_view dir = "sys/bus/usb/devices";
  std::error_code error;
  std::filesystem::directory_iterator entries(root.Path(dir), error);
  if (error) {
    problems.push_back("attached USB storage unknown: no /sys/bus/usb: cannot list " +
                       root.Describe(dir) + ": " + error.message());
    return devices;
  }
  std::set<std::string> parents;
  std::size_t seen = 0;
  for (; !error && entries != std::filesystem::directory_iterator(); entries.increment(error)) {
    if (++seen > kMaxUsbEntries) {
      problems.push_back(root.Describe(dir) + " holds more than " + std::to_string(kMaxUsbEntries) +
                         " entries; the rest were not read");
      break;
    }
    // Interfaces are named "<device>:<configuration>.<interface>" ("1-1:1.0").
    const std::string name = entries->path().filename().string();
    const std::size_t colon = name.find(':');
    if (colon == std::string::npos || colon == 0) {
      continue;
    }
    const FileText interface_class = ReadBoundedFile(entries->path() / "bInterfaceClass", 16);
    if (!interface_class.ok() || parse::TrimAsciiWhitespace(interface_class.text) != "08") {
      continue;
    }
    const std::string parent = name.substr(0, colon);
    if (!parents.insert(parent).second) {
      continue;  // one stick with several storage interfaces is one device
    }
    const std::filesystem::path device = root.Path(dir) / parent;
    const auto attribute = [&](std::string_view file) {
      const FileText text = ReadBoundedFile(device / file, kMaxDeviceStringBytes);
      return text.ok() ? CleanDeviceString(text.text) : std::string();
    };
    const std::string vendor_id = attribute("idVendor");
    const std::string product_id = attribute("idProduct");
    facts::UsbStorageDevice found;
    found.vendor = attribute("manufacturer");
    if (found.vendor.empty()) {
      found.vendor = vendor_id;
    }
    found.product = attribute("product");
    // The ids are what an allow-list names a model by; they go with the product name.
    if (!vendor_id.empty() || !product_id.empty()) {
      const std::string ids = vendor_id + ":" + product_id;
      found.product = found.product.empty() ? ids : found.product + " (" + ids + ")";
    }
    found.serial_number = attribute("serial");
    found.present = true;
    devices.push_back(std::move(found));
  }
  if (error) {
    problems.push_back("cannot list " + root.Describe(dir) + ": " + error.message());
  }
  return devices;
}

}  // namespace

LinuxUsbStorageProbe::LinuxUsbStorageProbe(ProbeEnvironment env) : env_(std::move(env)) {}

facts::UsbStoragePolicy LinuxUsbStorageProbe::Collect() {
  facts::UsbStoragePolicy usb;
  usb.meta.collected_at = env_.now();
  const Rooted root(env_.root);
  std::vector<std::string> problems;
  bool blocked = false;

  const ModprobeFindings modprobe = ReadModprobeConfig(root, problems);
  if (modprobe.install_command) {
    const bool blocks = parse::InstallCommandBlocksLoading(*modprobe.install_command);
    blocked = blocked || blocks;
    usb.controls.push_back({"modprobe: install usb-storage " + *modprobe.install_command +
                                (blocks ? "" : " (not recognised as blocking)"),
                            modprobe.install_file});
  }
  for (const std::string& file : modprobe.blacklist_files) {
    usb.controls.push_back(
        {"modprobe: blacklist usb-storage (stops automatic loading only)", file});
  }

  const std::string_view usbguard_conf = "etc/usbguard/usbguard-daemon.conf";
  if (const FileText conf = ReadBoundedFile(root.Path(usbguard_conf)); conf.ok()) {
    const std::string target = parse::ParseUsbGuardImplicitPolicyTarget(conf.text);
    const FileText rules = ReadBoundedFile(root.Path("etc/usbguard/rules.conf"));
    const bool allows_all = rules.ok() && parse::UsbGuardRulesAllowEverything(rules.text);
    const ProcessNames processes = ListProcessNames(root.Path("proc"));
    const bool running = processes.Contains("usbguard-daemon");
    std::string mechanism = "USBGuard: ImplicitPolicyTarget=" + target;
    if (!processes.ok() || (processes.truncated && !running)) {
      problems.push_back(
          "whether usbguard-daemon runs is unknown: " +
          (processes.ok() ? std::string("too many processes to list") : processes.error));
      mechanism += ", daemon state unknown";
    } else if (!running) {
      mechanism += ", usbguard-daemon not running";
    } else if (allows_all) {
      mechanism += ", a rule allows every device";
    } else if (target == "block" || target == "reject") {
      blocked = true;
    } else {
      mechanism += " (does not block)";
    }
    usb.controls.push_back({std::move(mechanism), root.Describe(usbguard_conf)});
  } else if (!conf.missing) {
    problems.push_back("cannot read " + root.Describe(usbguard_conf) + ": " + conf.error);
  }
  usb.mode = blocked ? facts::UsbStorageMode::kBlocked : facts::UsbStorageMode::kAllowed;

  if (const FileText modules = ReadBoundedFile(root.Path("proc/modules")); modules.ok()) {
    usb.driver_loaded = parse::ProcModulesLists(modules.text, kModule);
  } else {
    problems.push_back("whether usb-storage is loaded is unknown: cannot read " +
                       root.Describe("proc/modules") + ": " + modules.error);
  }

  if (const auto release = KernelRelease(root)) {
    std::string tried;
    for (const std::string_view base : {"lib/modules/", "usr/lib/modules/"}) {
      const std::string relative = std::string(base) + *release + "/modules.builtin";
      const FileText builtin = ReadBoundedFile(root.Path(relative));
      if (builtin.ok()) {
        usb.driver_builtin = parse::ModulesBuiltinLists(builtin.text, kModule);
        break;
      }
      tried += (tried.empty() ? "" : "; ") + root.Describe(relative) + ": " + builtin.error;
    }
    if (!usb.driver_builtin) {
      problems.push_back("whether usb-storage is built in is unknown: " + tried);
    }
  } else {
    problems.push_back("whether usb-storage is built in is unknown: no kernel release in " +
                       root.Describe("proc/sys/kernel/osrelease"));
  }

  usb.devices = AttachedMassStorage(root, problems);

  if (problems.empty()) {
    usb.meta.status = facts::ProbeStatus::Ok();
  } else {
    std::string reason;
    for (const std::string& problem : problems) {
      reason += reason.empty() ? problem : "; " + problem;
    }
    usb.meta.status = facts::ProbeStatus::Unknown(std::move(reason));
  }
  return usb;
}

}  // namespace mamori::platform
