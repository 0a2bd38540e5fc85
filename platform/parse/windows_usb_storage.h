// Windows' USB storage policy from the registry (the USBSTOR driver's start type, the removable
// storage Group Policies, write protection, Defender Device Control) and the USB storage devices
// Windows has seen. Pure logic, built and tested on every OS: the registry is reached only through
// RegistryReader, the devices present now come in as data.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/facts/host_facts.h"
#include "platform/windows/registry_reader.h"

namespace mamori::parse {

inline constexpr std::string_view kUsbstorServiceKey =
    R"(SYSTEM\CurrentControlSet\Services\USBSTOR)";
inline constexpr std::string_view kRemovableStoragePolicyKey =
    R"(SOFTWARE\Policies\Microsoft\Windows\RemovableStorageDevices)";
// The "Removable Disks" device class under kRemovableStoragePolicyKey.
inline constexpr std::string_view kRemovableDisksClass = "{53f5630d-b6bf-11d0-94f2-00a0c91efb8b}";
inline constexpr std::string_view kStorageDevicePoliciesKey =
    R"(SYSTEM\CurrentControlSet\Control\StorageDevicePolicies)";
inline constexpr std::string_view kDefenderDeviceControlKey =
    R"(SOFTWARE\Policies\Microsoft\Windows Defender\Device Control)";
inline constexpr std::string_view kUsbstorEnumKey = R"(SYSTEM\CurrentControlSet\Enum\USBSTOR)";

// A device id under Enum\USBSTOR, e.g. "Disk&Ven_SanDisk&Prod_Cruzer_Blade&Rev_1.00". Windows
// writes the descriptor's spaces as '_'; they are spaces again here.
struct UsbstorDeviceId {
  std::string type;  // "Disk", "CdRom"
  std::string vendor;
  std::string product;
  std::string revision;
  friend bool operator==(const UsbstorDeviceId&, const UsbstorDeviceId&) = default;
};

// nullopt when the text is not of the "<type>&Ven_..&Prod_..&Rev_.." form.
std::optional<UsbstorDeviceId> ParseUsbstorDeviceId(std::string_view device_id);

// The serial number in an instance key name: "4C530001231120115142&0" -> "4C530001231120115142"
// (the "&<n>" suffix is the LUN). A '&' as the second character marks an id Windows made up for a
// device without a serial number ("7&2a6e4d7&0"): "".
std::string UsbstorSerialNumber(std::string_view instance);

// The USB storage devices attached now, as SetupAPI lists them (usb_device_lister.h).
struct PresentUsbStorage {
  // Device instance ids,
  // "USBSTOR\DISK&VEN_SANDISK&PROD_CRUZER_BLADE&REV_1.00\4C530001231120115142&0".
  std::vector<std::string> instance_ids;
  // Empty when the list is complete; otherwise why it could not be made.
  std::string error;
};

// The whole section but its collected_at. mode: kBlocked when USBSTOR Start is 4, when the machine
// policy denies all access to every removable storage class (Deny_All), or to removable disks
// (Deny_Read and Deny_Write both); kReadOnly when only writing is denied (Deny_Write or
// StorageDevicePolicies WriteProtect); kAllowed otherwise. Every mechanism found is a control with
// its registry path. Defender Device Control is listed but does not change the mode: its rules are
// XML this probe does not evaluate. devices: every instance under Enum\USBSTOR, present ones
// marked. driver_loaded is true when a USBSTOR device is present now (usbstor.sys creates those
// device nodes), unknown otherwise; driver_builtin is false (a Windows driver is never part of the
// kernel image). The status is unknown, naming the error, when the present devices could not be
// listed.
facts::UsbStoragePolicy ReadWindowsUsbStoragePolicy(platform::RegistryReader& registry,
                                                    const PresentUsbStorage& present);

}  // namespace mamori::parse
