// Windows' USB storage policy and devices from the registry.
#include "platform/parse/windows_usb_storage.h"

#include <cstddef>
#include <set>
#include <utility>

#include "platform/parse/text.h"

namespace mamori::parse {
namespace {

// More devices than this under Enum\USBSTOR is not a clinic PC's history; the rest are not listed.
constexpr std::size_t kMaxDevices = 1024;
constexpr uint32_t kServiceDisabled = 4;

std::string Hklm(std::string_view key, std::string_view value) {
  return "HKLM\\" + std::string(key) + "\\" + std::string(value);
}

std::string AsciiUpper(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
  }
  return upper;
}

std::string Descriptor(std::string_view field) {
  std::string text(field);
  for (char& c : text) {
    if (c == '_') {
      c = ' ';
    }
  }
  return std::string(TrimAsciiWhitespace(text));
}

// A policy value of 1 turns the setting on; Group Policy writes DWORDs.
bool PolicyOn(platform::RegistryReader& registry, std::string_view key, std::string_view value) {
  return registry.ReadDword(key, value) == 1u;
}

facts::UsbStorageDevice DeviceFrom(std::string_view device_id, std::string_view instance) {
  facts::UsbStorageDevice device;
  if (const auto parsed = ParseUsbstorDeviceId(device_id)) {
    device.vendor = parsed->vendor;
    device.product = parsed->product;
  } else {
    device.product = std::string(device_id);
  }
  device.serial_number = UsbstorSerialNumber(instance);
  return device;
}

}  // namespace

std::optional<UsbstorDeviceId> ParseUsbstorDeviceId(std::string_view device_id) {
  // Four '&'-separated fields; the product may itself contain '&' only in theory (Windows replaces
  // it), so the split is by the field prefixes.
  const std::size_t ven = device_id.find('&');
  if (ven == std::string_view::npos ||
      !StartsWithIgnoringAsciiCase(device_id.substr(ven + 1), "Ven_")) {
    return std::nullopt;
  }
  const std::size_t prod = device_id.find('&', ven + 1);
  if (prod == std::string_view::npos ||
      !StartsWithIgnoringAsciiCase(device_id.substr(prod + 1), "Prod_")) {
    return std::nullopt;
  }
  const std::size_t rev = device_id.find('&', prod + 1);
  UsbstorDeviceId parsed;
  parsed.type = std::string(device_id.substr(0, ven));
  parsed.vendor = Descriptor(device_id.substr(ven + 5, prod - ven - 5));
  if (rev != std::string_view::npos &&
      StartsWithIgnoringAsciiCase(device_id.substr(rev + 1), "Rev_")) {
    parsed.product = Descriptor(device_id.substr(prod + 6, rev - prod - 6));
    parsed.revision = Descriptor(device_id.substr(rev + 5));
  } else {
    parsed.product = Descriptor(device_id.substr(prod + 6));
  }
  if (parsed.type.empty()) {
    return std::nullopt;
  }
  return parsed;
}

std::string UsbstorSerialNumber(std::string_view instance) {
  if (instance.size() >= 2 && instance[1] == '&') {
    return {};
  }
  const std::size_t lun = instance.rfind('&');
  if (lun != std::string_view::npos && ParseDecimal(instance.substr(lun + 1))) {
    instance = instance.substr(0, lun);
  }
  return std::string(instance);
}

facts::UsbStoragePolicy ReadWindowsUsbStoragePolicy(platform::RegistryReader& registry,
                                                    const PresentUsbStorage& present) {
  facts::UsbStoragePolicy usb;
  bool blocked = false;
  bool read_only = false;

  if (const auto start = registry.ReadDword(kUsbstorServiceKey, "Start")) {
    const bool disabled = *start == kServiceDisabled;
    blocked = blocked || disabled;
    usb.controls.push_back(
        {disabled ? "USBSTOR driver disabled (Start=4)"
                  : "USBSTOR driver enabled (Start=" + std::to_string(*start) + ", does not block)",
         Hklm(kUsbstorServiceKey, "Start")});
  }

  if (PolicyOn(registry, kRemovableStoragePolicyKey, "Deny_All")) {
    blocked = true;
    usb.controls.push_back({"Group Policy: All Removable Storage classes: Deny all access",
                            Hklm(kRemovableStoragePolicyKey, "Deny_All")});
  }

  const std::string disks_key =
      std::string(kRemovableStoragePolicyKey) + "\\" + std::string(kRemovableDisksClass);
  const bool deny_read = PolicyOn(registry, disks_key, "Deny_Read");
  const bool deny_write = PolicyOn(registry, disks_key, "Deny_Write");
  if (deny_read && deny_write) {
    blocked = true;
    usb.controls.push_back({"Group Policy: Removable Disks: Deny read and write access",
                            Hklm(disks_key, "Deny_Read, Deny_Write")});
  } else if (deny_write) {
    read_only = true;
    usb.controls.push_back(
        {"Group Policy: Removable Disks: Deny write access", Hklm(disks_key, "Deny_Write")});
  } else if (deny_read) {
    // Data can still be written out to the stick, so this is not counted as a block.
    usb.controls.push_back({"Group Policy: Removable Disks: Deny read access (writing allowed)",
                            Hklm(disks_key, "Deny_Read")});
  }
  if (PolicyOn(registry, disks_key, "Deny_Execute")) {
    usb.controls.push_back(
        {"Group Policy: Removable Disks: Deny execute access (files can still "
         "be copied)",
         Hklm(disks_key, "Deny_Execute")});
  }

  if (PolicyOn(registry, kStorageDevicePoliciesKey, "WriteProtect")) {
    read_only = true;
    usb.controls.push_back({"StorageDevicePolicies: write protection (WriteProtect=1)",
                            Hklm(kStorageDevicePoliciesKey, "WriteProtect")});
  }

  if (registry.KeyExists(kDefenderDeviceControlKey)) {
    usb.controls.push_back(
        {"Microsoft Defender Device Control policy present (its rules are not evaluated)",
         "HKLM\\" + std::string(kDefenderDeviceControlKey)});
  }

  usb.mode = blocked     ? facts::UsbStorageMode::kBlocked
             : read_only ? facts::UsbStorageMode::kReadOnly
                         : facts::UsbStorageMode::kAllowed;

  // Instance ids compare without case: SetupAPI returns them in upper case, the Enum keys keep the
  // case Windows first wrote.
  std::set<std::string> present_ids;
  for (const std::string& id : present.instance_ids) {
    present_ids.insert(AsciiUpper(id));
  }
  std::set<std::string> listed;
  for (const std::string& device_id : registry.ListSubkeys(kUsbstorEnumKey)) {
    const std::string device_key = std::string(kUsbstorEnumKey) + "\\" + device_id;
    for (const std::string& instance : registry.ListSubkeys(device_key)) {
      if (usb.devices.size() >= kMaxDevices) {
        break;
      }
      const std::string id = AsciiUpper("USBSTOR\\" + device_id + "\\" + instance);
      facts::UsbStorageDevice device = DeviceFrom(device_id, instance);
      device.present = present_ids.contains(id);
      listed.insert(id);
      usb.devices.push_back(std::move(device));
    }
  }
  // A device present now but missing from Enum (a key the reader may not open) is still reported.
  for (const std::string& id : present_ids) {
    if (listed.contains(id) || usb.devices.size() >= kMaxDevices) {
      continue;
    }
    const std::size_t first = id.find('\\');
    const std::size_t second =
        first == std::string::npos ? std::string::npos : id.find('\\', first + 1);
    if (second == std::string::npos) {
      continue;
    }
    facts::UsbStorageDevice device =
        DeviceFrom(std::string_view(id).substr(first + 1, second - first - 1),
                   std::string_view(id).substr(second + 1));
    device.present = true;
    usb.devices.push_back(std::move(device));
  }

  if (!present_ids.empty()) {
    usb.driver_loaded = true;
  }
  usb.driver_builtin = false;

  usb.meta.status =
      present.error.empty()
          ? facts::ProbeStatus::Ok()
          : facts::ProbeStatus::Unknown("attached USB storage unknown: " + present.error);
  return usb;
}

}  // namespace mamori::parse
