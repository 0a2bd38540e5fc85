// The facts model: what a probe found on one host, as plain C++ structs. It is the portable core's
// data model (no protobuf here: the core must build with mingw-w64). proto/mamori/v1/facts.proto
// mirrors it field by field; proto/codec/facts_codec.h is the one place that converts between the
// two.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mamori::facts {

using Timestamp = std::chrono::sys_seconds;
using Seconds = std::chrono::seconds;

// A probe's outcome is data: a report shows a failed or unknowable probe instead of a silent pass.
enum class ProbeState {
  kOk,       // the section holds what was found
  kUnknown,  // this host cannot tell (reason says why, e.g. "no logind: /run/systemd/system
             // absent")
  kError,    // the probe failed (reason holds the error message)
};

struct ProbeStatus {
  ProbeState state = ProbeState::kUnknown;
  std::string reason;

  static ProbeStatus Ok() { return {ProbeState::kOk, {}}; }
  static ProbeStatus Unknown(std::string why) { return {ProbeState::kUnknown, std::move(why)}; }
  static ProbeStatus Error(std::string message) { return {ProbeState::kError, std::move(message)}; }
  bool ok() const { return state == ProbeState::kOk; }
  friend bool operator==(const ProbeStatus&, const ProbeStatus&) = default;
};

// Every section says whether it was collected, and when.
struct SectionMeta {
  ProbeStatus status;
  std::optional<Timestamp> collected_at;
  friend bool operator==(const SectionMeta&, const SectionMeta&) = default;
};

enum class OsFamily { kUnspecified, kLinux, kWindows };
enum class HostRole { kUnspecified, kWorkstation, kServer };

struct NetworkInterface {
  std::string name;
  std::string mac;                     // "aa:bb:cc:dd:ee:ff", lower case; empty when none
  std::vector<std::string> addresses;  // "192.0.2.10/24", "fe80::1/64"
  friend bool operator==(const NetworkInterface&, const NetworkInterface&) = default;
};

struct Hardware {
  std::string manufacturer;
  std::string model;
  std::string serial_number;
  friend bool operator==(const Hardware&, const Hardware&) = default;
};

struct InstalledSoftware {
  std::string name;
  std::string version;
  std::string publisher;
  std::optional<Timestamp> installed_at;
  friend bool operator==(const InstalledSoftware&, const InstalledSoftware&) = default;
};

// The 台帳 (inventory ledger) row of one PC.
struct Inventory {
  SectionMeta meta;
  std::string hostname;
  OsFamily os_family = OsFamily::kUnspecified;
  std::string os_id;           // os-release ID ("debian") or Windows EditionID ("Professional")
  std::string os_name;         // "Debian GNU/Linux", "Windows 11 Pro"
  std::string os_version;      // "12", "22H2"
  std::string os_build;        // "19045.5073" on Windows; empty when not meaningful
  std::string os_codename;     // "bookworm"
  std::string os_pretty_name;  // "Debian GNU/Linux 12 (bookworm)"
  std::string kernel_version;
  std::string architecture;  // "x86_64"
  std::string cpu_model;
  std::optional<uint32_t> cpu_logical_cores;
  std::optional<uint64_t> memory_bytes;
  std::optional<Timestamp> boot_time;
  std::string machine_id;
  std::vector<NetworkInterface> interfaces;
  Hardware hardware;
  HostRole role = HostRole::kUnspecified;
  std::vector<InstalledSoftware> software;
  friend bool operator==(const Inventory&, const Inventory&) = default;
};

struct PendingUpdate {
  std::string name;  // package name or KB title
  std::string current_version;
  std::string candidate_version;
  std::string source;  // "bookworm-security", "Windows Update"
  bool security = false;
  friend bool operator==(const PendingUpdate&, const PendingUpdate&) = default;
};

struct InstalledUpdate {
  std::string id;  // "KB5044273" or package name
  std::string title;
  std::optional<Timestamp> installed_at;
  friend bool operator==(const InstalledUpdate&, const InstalledUpdate&) = default;
};

struct PatchState {
  SectionMeta meta;
  std::vector<PendingUpdate> pending;
  std::vector<InstalledUpdate> installed;
  std::optional<bool> reboot_required;
  std::optional<Timestamp> last_update_installed;  // last successful install activity
  std::optional<Timestamp> last_update_check;      // last successful check for updates
  std::optional<bool> update_service_disabled;
  std::string os_support_ends;  // "2025-10-14" (YYYY-MM-DD) from the code's end-of-support table
  friend bool operator==(const PatchState&, const PatchState&) = default;
};

enum class AntivirusState { kUnspecified, kOn, kOff, kSnoozed, kExpired, kPassive };

struct AntivirusProduct {
  std::string name;
  std::string
      source;  // where it was seen: "SecurityCenter2", "MSFT_MpComputerStatus", "process:clamd"
  AntivirusState state = AntivirusState::kUnspecified;
  std::optional<bool> realtime_protection;
  std::optional<bool> signatures_up_to_date;
  std::optional<Timestamp> signatures_updated_at;
  std::string version;
  friend bool operator==(const AntivirusProduct&, const AntivirusProduct&) = default;
};

struct Antivirus {
  SectionMeta meta;
  std::vector<AntivirusProduct> products;
  friend bool operator==(const Antivirus&, const Antivirus&) = default;
};

enum class UsbStorageMode { kUnspecified, kBlocked, kReadOnly, kAllowed };

// One mechanism found that controls USB storage, e.g. "modprobe: install usb-storage /bin/false".
struct UsbStorageControl {
  std::string mechanism;
  std::string detail;  // where it was found (file, registry value)
  friend bool operator==(const UsbStorageControl&, const UsbStorageControl&) = default;
};

struct UsbStorageDevice {
  std::string vendor;
  std::string product;
  std::string serial_number;
  bool present = false;  // attached now (otherwise: seen before)
  friend bool operator==(const UsbStorageDevice&, const UsbStorageDevice&) = default;
};

struct UsbStoragePolicy {
  SectionMeta meta;
  UsbStorageMode mode = UsbStorageMode::kUnspecified;
  std::vector<UsbStorageControl> controls;
  std::vector<UsbStorageDevice> devices;
  std::optional<bool> driver_loaded;
  std::optional<bool> driver_builtin;
  friend bool operator==(const UsbStoragePolicy&, const UsbStoragePolicy&) = default;
};

struct UserSession {
  std::string id;
  std::string user;
  std::string type;  // "tty", "x11", "wayland", "console", "rdp"
  bool remote = false;
  std::optional<bool> locked;
  std::optional<bool> idle;
  std::optional<Timestamp> idle_since;
  friend bool operator==(const UserSession&, const UserSession&) = default;
};

struct PowerState {
  SectionMeta meta;
  std::optional<Seconds> uptime;
  std::optional<Seconds> idle;  // time since the last input on any session
  std::vector<UserSession> sessions;
  std::optional<bool> sleep_disabled;
  std::optional<Seconds> sleep_after_ac;
  std::optional<Seconds> sleep_after_dc;
  friend bool operator==(const PowerState&, const PowerState&) = default;
};

struct LocalAccount {
  std::string name;
  std::string id;  // uid on Linux, SID on Windows
  std::string full_name;
  std::vector<std::string> groups;
  bool system_account = false;  // service/daemon account, not a person's
  std::optional<bool> enabled;
  std::optional<bool> locked;
  std::optional<bool> admin;
  std::optional<bool> password_empty;
  std::optional<bool> password_expires;
  std::optional<Timestamp> password_changed_at;
  std::optional<Timestamp> last_logon;
  friend bool operator==(const LocalAccount&, const LocalAccount&) = default;
};

struct PasswordPolicy {
  std::optional<uint32_t> min_length;
  std::optional<uint32_t> min_classes;
  std::optional<uint32_t> max_age_days;
  std::optional<bool> complexity_required;
  std::optional<uint32_t> lockout_threshold;
  friend bool operator==(const PasswordPolicy&, const PasswordPolicy&) = default;
};

struct AccountList {
  SectionMeta meta;
  std::vector<LocalAccount> accounts;
  PasswordPolicy password_policy;
  friend bool operator==(const AccountList&, const AccountList&) = default;
};

struct LogonSecurity {
  SectionMeta meta;
  std::optional<bool> auto_logon_enabled;
  std::string auto_logon_user;
  // Windows keeps the automatic logon's password in clear text (Winlogon DefaultPassword): only its
  // presence is reported, never its value.
  std::optional<bool> auto_logon_password_stored;
  std::optional<bool> screen_lock_enabled;
  std::optional<Seconds> screen_lock_timeout;
  friend bool operator==(const LogonSecurity&, const LogonSecurity&) = default;
};

struct FirewallProfile {
  std::string name;  // "Domain", "Private", "Public", "ufw", "nftables"
  std::optional<bool> enabled;
  friend bool operator==(const FirewallProfile&, const FirewallProfile&) = default;
};

struct Firewall {
  SectionMeta meta;
  std::optional<bool> enabled;
  std::string product;
  std::vector<FirewallProfile> profiles;
  friend bool operator==(const Firewall&, const Firewall&) = default;
};

struct DiskEncryption {
  SectionMeta meta;
  std::optional<bool> system_volume_encrypted;
  std::string method;  // "LUKS2", "BitLocker XTS-AES 128"
  friend bool operator==(const DiskEncryption&, const DiskEncryption&) = default;
};

struct RemoteAccess {
  SectionMeta meta;
  std::optional<bool> ssh_enabled;
  std::optional<bool> ssh_password_authentication;
  std::optional<bool> ssh_root_login;
  std::optional<bool> rdp_enabled;
  std::optional<bool> rdp_nla_required;
  friend bool operator==(const RemoteAccess&, const RemoteAccess&) = default;
};

// Everything one collection run found on a host.
struct HostFacts {
  Inventory inventory;
  PatchState patch;
  Antivirus antivirus;
  UsbStoragePolicy usb_storage;
  PowerState power;
  AccountList accounts;
  LogonSecurity logon;
  Firewall firewall;
  DiskEncryption disk_encryption;
  RemoteAccess remote_access;
  friend bool operator==(const HostFacts&, const HostFacts&) = default;
};

}  // namespace mamori::facts
