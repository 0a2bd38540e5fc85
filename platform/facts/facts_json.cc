// Facts -> JSON, section by section in the order of host_facts.h. Keep it in step with the struct:
// the facts JSON test counts each section's keys.
#include "platform/facts/facts_json.h"

#include "platform/facts/rfc3339.h"

namespace mamori::facts {
namespace {

using nlohmann::json;

template <typename T>
json Optional(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

json Optional(const std::optional<Timestamp>& value) {
  return value ? json(FormatRfc3339(*value)) : json(nullptr);
}

json Optional(const std::optional<Seconds>& value) {
  return value ? json(value->count()) : json(nullptr);
}

std::string_view Name(ProbeState state) {
  switch (state) {
    case ProbeState::kOk:
      return "ok";
    case ProbeState::kUnknown:
      return "unknown";
    case ProbeState::kError:
      return "error";
  }
  return "unknown";
}

std::string_view Name(OsFamily family) {
  switch (family) {
    case OsFamily::kLinux:
      return "linux";
    case OsFamily::kWindows:
      return "windows";
    case OsFamily::kUnspecified:
      break;
  }
  return "unspecified";
}

std::string_view Name(HostRole role) {
  switch (role) {
    case HostRole::kWorkstation:
      return "workstation";
    case HostRole::kServer:
      return "server";
    case HostRole::kUnspecified:
      break;
  }
  return "unspecified";
}

std::string_view Name(AntivirusState state) {
  switch (state) {
    case AntivirusState::kOn:
      return "on";
    case AntivirusState::kOff:
      return "off";
    case AntivirusState::kSnoozed:
      return "snoozed";
    case AntivirusState::kExpired:
      return "expired";
    case AntivirusState::kPassive:
      return "passive";
    case AntivirusState::kUnspecified:
      break;
  }
  return "unspecified";
}

std::string_view Name(UsbStorageMode mode) {
  switch (mode) {
    case UsbStorageMode::kBlocked:
      return "blocked";
    case UsbStorageMode::kReadOnly:
      return "read_only";
    case UsbStorageMode::kAllowed:
      return "allowed";
    case UsbStorageMode::kUnspecified:
      break;
  }
  return "unspecified";
}

json ToJson(const SectionMeta& meta) {
  return {{"status", ToJson(meta.status)}, {"collected_at", Optional(meta.collected_at)}};
}

json ToJson(const Inventory& in) {
  json interfaces = json::array();
  for (const NetworkInterface& nic : in.interfaces) {
    interfaces.push_back({{"name", nic.name}, {"mac", nic.mac}, {"addresses", nic.addresses}});
  }
  json software = json::array();
  for (const InstalledSoftware& item : in.software) {
    software.push_back({{"name", item.name},
                        {"version", item.version},
                        {"publisher", item.publisher},
                        {"installed_at", Optional(item.installed_at)}});
  }
  return {{"meta", ToJson(in.meta)},
          {"hostname", in.hostname},
          {"os_family", Name(in.os_family)},
          {"os_id", in.os_id},
          {"os_name", in.os_name},
          {"os_version", in.os_version},
          {"os_build", in.os_build},
          {"os_codename", in.os_codename},
          {"os_pretty_name", in.os_pretty_name},
          {"kernel_version", in.kernel_version},
          {"architecture", in.architecture},
          {"cpu_model", in.cpu_model},
          {"cpu_logical_cores", Optional(in.cpu_logical_cores)},
          {"memory_bytes", Optional(in.memory_bytes)},
          {"boot_time", Optional(in.boot_time)},
          {"machine_id", in.machine_id},
          {"interfaces", std::move(interfaces)},
          {"hardware",
           {{"manufacturer", in.hardware.manufacturer},
            {"model", in.hardware.model},
            {"serial_number", in.hardware.serial_number}}},
          {"role", Name(in.role)},
          {"software", std::move(software)}};
}

json ToJson(const PatchState& in) {
  json pending = json::array();
  for (const PendingUpdate& update : in.pending) {
    pending.push_back({{"name", update.name},
                       {"current_version", update.current_version},
                       {"candidate_version", update.candidate_version},
                       {"source", update.source},
                       {"security", update.security}});
  }
  json installed = json::array();
  for (const InstalledUpdate& update : in.installed) {
    installed.push_back({{"id", update.id},
                         {"title", update.title},
                         {"installed_at", Optional(update.installed_at)}});
  }
  return {{"meta", ToJson(in.meta)},
          {"pending", std::move(pending)},
          {"installed", std::move(installed)},
          {"reboot_required", Optional(in.reboot_required)},
          {"last_update_installed", Optional(in.last_update_installed)},
          {"last_update_check", Optional(in.last_update_check)},
          {"update_service_disabled", Optional(in.update_service_disabled)},
          {"os_support_ends", in.os_support_ends}};
}

json ToJson(const Antivirus& in) {
  json products = json::array();
  for (const AntivirusProduct& product : in.products) {
    products.push_back({{"name", product.name},
                        {"source", product.source},
                        {"state", Name(product.state)},
                        {"realtime_protection", Optional(product.realtime_protection)},
                        {"signatures_up_to_date", Optional(product.signatures_up_to_date)},
                        {"signatures_updated_at", Optional(product.signatures_updated_at)},
                        {"version", product.version}});
  }
  return {{"meta", ToJson(in.meta)}, {"products", std::move(products)}};
}

json ToJson(const UsbStoragePolicy& in) {
  json controls = json::array();
  for (const UsbStorageControl& control : in.controls) {
    controls.push_back({{"mechanism", control.mechanism}, {"detail", control.detail}});
  }
  json devices = json::array();
  for (const UsbStorageDevice& device : in.devices) {
    devices.push_back({{"vendor", device.vendor},
                       {"product", device.product},
                       {"serial_number", device.serial_number},
                       {"present", device.present}});
  }
  return {{"meta", ToJson(in.meta)},
          {"mode", Name(in.mode)},
          {"controls", std::move(controls)},
          {"devices", std::move(devices)},
          {"driver_loaded", Optional(in.driver_loaded)},
          {"driver_builtin", Optional(in.driver_builtin)}};
}

json ToJson(const PowerState& in) {
  json sessions = json::array();
  for (const UserSession& session : in.sessions) {
    sessions.push_back({{"id", session.id},
                        {"user", session.user},
                        {"type", session.type},
                        {"remote", session.remote},
                        {"locked", Optional(session.locked)},
                        {"idle", Optional(session.idle)},
                        {"idle_since", Optional(session.idle_since)}});
  }
  return {{"meta", ToJson(in.meta)},
          {"uptime_seconds", Optional(in.uptime)},
          {"idle_seconds", Optional(in.idle)},
          {"sessions", std::move(sessions)},
          {"sleep_disabled", Optional(in.sleep_disabled)},
          {"sleep_after_ac_seconds", Optional(in.sleep_after_ac)},
          {"sleep_after_dc_seconds", Optional(in.sleep_after_dc)}};
}

json ToJson(const AccountList& in) {
  json accounts = json::array();
  for (const LocalAccount& account : in.accounts) {
    accounts.push_back({{"name", account.name},
                        {"id", account.id},
                        {"full_name", account.full_name},
                        {"groups", account.groups},
                        {"system_account", account.system_account},
                        {"enabled", Optional(account.enabled)},
                        {"locked", Optional(account.locked)},
                        {"admin", Optional(account.admin)},
                        {"password_empty", Optional(account.password_empty)},
                        {"password_expires", Optional(account.password_expires)},
                        {"password_changed_at", Optional(account.password_changed_at)},
                        {"last_logon", Optional(account.last_logon)}});
  }
  const PasswordPolicy& policy = in.password_policy;
  return {{"meta", ToJson(in.meta)},
          {"accounts", std::move(accounts)},
          {"password_policy",
           {{"min_length", Optional(policy.min_length)},
            {"min_classes", Optional(policy.min_classes)},
            {"max_age_days", Optional(policy.max_age_days)},
            {"complexity_required", Optional(policy.complexity_required)},
            {"lockout_threshold", Optional(policy.lockout_threshold)}}}};
}

json ToJson(const LogonSecurity& in) {
  return {{"meta", ToJson(in.meta)},
          {"auto_logon_enabled", Optional(in.auto_logon_enabled)},
          {"auto_logon_user", in.auto_logon_user},
          {"auto_logon_password_stored", Optional(in.auto_logon_password_stored)},
          {"screen_lock_enabled", Optional(in.screen_lock_enabled)},
          {"screen_lock_timeout_seconds", Optional(in.screen_lock_timeout)}};
}

json ToJson(const Firewall& in) {
  json profiles = json::array();
  for (const FirewallProfile& profile : in.profiles) {
    profiles.push_back({{"name", profile.name}, {"enabled", Optional(profile.enabled)}});
  }
  return {{"meta", ToJson(in.meta)},
          {"enabled", Optional(in.enabled)},
          {"product", in.product},
          {"profiles", std::move(profiles)}};
}

json ToJson(const DiskEncryption& in) {
  return {{"meta", ToJson(in.meta)},
          {"system_volume_encrypted", Optional(in.system_volume_encrypted)},
          {"method", in.method}};
}

json ToJson(const RemoteAccess& in) {
  return {{"meta", ToJson(in.meta)},
          {"ssh_enabled", Optional(in.ssh_enabled)},
          {"ssh_password_authentication", Optional(in.ssh_password_authentication)},
          {"ssh_root_login", Optional(in.ssh_root_login)},
          {"rdp_enabled", Optional(in.rdp_enabled)},
          {"rdp_nla_required", Optional(in.rdp_nla_required)}};
}

}  // namespace

json ToJson(const ProbeStatus& status) {
  return {{"state", Name(status.state)}, {"reason", status.reason}};
}

json ToJson(const HostFacts& facts) {
  return {{"inventory", ToJson(facts.inventory)},
          {"patch", ToJson(facts.patch)},
          {"antivirus", ToJson(facts.antivirus)},
          {"usb_storage", ToJson(facts.usb_storage)},
          {"power", ToJson(facts.power)},
          {"accounts", ToJson(facts.accounts)},
          {"logon", ToJson(facts.logon)},
          {"firewall", ToJson(facts.firewall)},
          {"disk_encryption", ToJson(facts.disk_encryption)},
          {"remote_access", ToJson(facts.remote_access)}};
}

}  // namespace mamori::facts
