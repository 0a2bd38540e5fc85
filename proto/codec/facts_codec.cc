// Field-by-field mapping between facts::HostFacts and mamori::v1::HostFacts. Each section has a
// pair of functions side by side so that a field added to one direction is visibly missing from the
// other.
#include "proto/codec/facts_codec.h"

#include <google/protobuf/duration.pb.h>
#include <google/protobuf/timestamp.pb.h>

namespace mamori::codec {
namespace {

namespace v1 = ::mamori::v1;
using facts::Seconds;
using facts::Timestamp;

// --- scalar helpers
// -------------------------------------------------------------------------------

std::optional<Timestamp> GetTime(bool present, const google::protobuf::Timestamp& t) {
  if (!present) {
    return std::nullopt;
  }
  return Timestamp(Seconds(t.seconds()));
}

std::optional<Seconds> GetDuration(bool present, const google::protobuf::Duration& d) {
  if (!present) {
    return std::nullopt;
  }
  return Seconds(d.seconds());
}

// proto3 `optional` scalars: has_x()/x() pairs.
#define MAMORI_GET_OPTIONAL(proto, field) \
  ((proto).has_##field() ? std::make_optional((proto).field()) : std::nullopt)
#define MAMORI_SET_OPTIONAL(value, proto, field) \
  do {                                           \
    if ((value)) {                               \
      (proto)->set_##field(*(value));            \
    }                                            \
  } while (false)
// Timestamp and Duration submessages: mutable_x() would create an empty one, so only touch present
// values.
#define MAMORI_SET_TIME(value, proto, field)                                        \
  do {                                                                              \
    if ((value)) {                                                                  \
      (proto)->mutable_##field()->set_seconds((value)->time_since_epoch().count()); \
    }                                                                               \
  } while (false)
#define MAMORI_SET_DURATION(value, proto, field)                 \
  do {                                                           \
    if ((value)) {                                               \
      (proto)->mutable_##field()->set_seconds((value)->count()); \
    }                                                            \
  } while (false)

template <typename T>
std::vector<std::string> ToStrings(const T& repeated) {
  return {repeated.begin(), repeated.end()};
}

// --- enums
// ------------------------------------------------------------------------------------------

v1::ProbeState ToProto(facts::ProbeState s) {
  switch (s) {
    case facts::ProbeState::kOk:
      return v1::PROBE_STATE_OK;
    case facts::ProbeState::kUnknown:
      return v1::PROBE_STATE_UNKNOWN;
    case facts::ProbeState::kError:
      return v1::PROBE_STATE_ERROR;
  }
  return v1::PROBE_STATE_UNSPECIFIED;
}
facts::ProbeState FromProto(v1::ProbeState s) {
  switch (s) {
    case v1::PROBE_STATE_OK:
      return facts::ProbeState::kOk;
    case v1::PROBE_STATE_ERROR:
      return facts::ProbeState::kError;
    default:
      // Unspecified or a state from a newer agent: not a pass.
      return facts::ProbeState::kUnknown;
  }
}

v1::OsFamily ToProto(facts::OsFamily f) {
  switch (f) {
    case facts::OsFamily::kLinux:
      return v1::OS_FAMILY_LINUX;
    case facts::OsFamily::kWindows:
      return v1::OS_FAMILY_WINDOWS;
    case facts::OsFamily::kUnspecified:
      break;
  }
  return v1::OS_FAMILY_UNSPECIFIED;
}
facts::OsFamily FromProto(v1::OsFamily f) {
  switch (f) {
    case v1::OS_FAMILY_LINUX:
      return facts::OsFamily::kLinux;
    case v1::OS_FAMILY_WINDOWS:
      return facts::OsFamily::kWindows;
    default:
      return facts::OsFamily::kUnspecified;
  }
}

v1::HostRole ToProto(facts::HostRole r) {
  switch (r) {
    case facts::HostRole::kWorkstation:
      return v1::HOST_ROLE_WORKSTATION;
    case facts::HostRole::kServer:
      return v1::HOST_ROLE_SERVER;
    case facts::HostRole::kUnspecified:
      break;
  }
  return v1::HOST_ROLE_UNSPECIFIED;
}
facts::HostRole FromProto(v1::HostRole r) {
  switch (r) {
    case v1::HOST_ROLE_WORKSTATION:
      return facts::HostRole::kWorkstation;
    case v1::HOST_ROLE_SERVER:
      return facts::HostRole::kServer;
    default:
      return facts::HostRole::kUnspecified;
  }
}

v1::AntivirusState ToProto(facts::AntivirusState s) {
  switch (s) {
    case facts::AntivirusState::kOn:
      return v1::ANTIVIRUS_STATE_ON;
    case facts::AntivirusState::kOff:
      return v1::ANTIVIRUS_STATE_OFF;
    case facts::AntivirusState::kSnoozed:
      return v1::ANTIVIRUS_STATE_SNOOZED;
    case facts::AntivirusState::kExpired:
      return v1::ANTIVIRUS_STATE_EXPIRED;
    case facts::AntivirusState::kPassive:
      return v1::ANTIVIRUS_STATE_PASSIVE;
    case facts::AntivirusState::kUnspecified:
      break;
  }
  return v1::ANTIVIRUS_STATE_UNSPECIFIED;
}
facts::AntivirusState FromProto(v1::AntivirusState s) {
  switch (s) {
    case v1::ANTIVIRUS_STATE_ON:
      return facts::AntivirusState::kOn;
    case v1::ANTIVIRUS_STATE_OFF:
      return facts::AntivirusState::kOff;
    case v1::ANTIVIRUS_STATE_SNOOZED:
      return facts::AntivirusState::kSnoozed;
    case v1::ANTIVIRUS_STATE_EXPIRED:
      return facts::AntivirusState::kExpired;
    case v1::ANTIVIRUS_STATE_PASSIVE:
      return facts::AntivirusState::kPassive;
    default:
      return facts::AntivirusState::kUnspecified;
  }
}

v1::UsbStorageMode ToProto(facts::UsbStorageMode m) {
  switch (m) {
    case facts::UsbStorageMode::kBlocked:
      return v1::USB_STORAGE_MODE_BLOCKED;
    case facts::UsbStorageMode::kReadOnly:
      return v1::USB_STORAGE_MODE_READ_ONLY;
    case facts::UsbStorageMode::kAllowed:
      return v1::USB_STORAGE_MODE_ALLOWED;
    case facts::UsbStorageMode::kUnspecified:
      break;
  }
  return v1::USB_STORAGE_MODE_UNSPECIFIED;
}
facts::UsbStorageMode FromProto(v1::UsbStorageMode m) {
  switch (m) {
    case v1::USB_STORAGE_MODE_BLOCKED:
      return facts::UsbStorageMode::kBlocked;
    case v1::USB_STORAGE_MODE_READ_ONLY:
      return facts::UsbStorageMode::kReadOnly;
    case v1::USB_STORAGE_MODE_ALLOWED:
      return facts::UsbStorageMode::kAllowed;
    default:
      return facts::UsbStorageMode::kUnspecified;
  }
}

// --- section metadata
// -------------------------------------------------------------------------------

void ToProto(const facts::SectionMeta& meta, v1::SectionMeta* out) {
  out->mutable_status()->set_state(ToProto(meta.status.state));
  out->mutable_status()->set_reason(meta.status.reason);
  MAMORI_SET_TIME(meta.collected_at, out, collected_at);
}
facts::SectionMeta FromProto(const v1::SectionMeta& meta) {
  return {.status = {FromProto(meta.status().state()), meta.status().reason()},
          .collected_at = GetTime(meta.has_collected_at(), meta.collected_at())};
}

// --- inventory
// --------------------------------------------------------------------------------------

void ToProto(const facts::Inventory& in, v1::Inventory* out) {
  ToProto(in.meta, out->mutable_meta());
  out->set_hostname(in.hostname);
  out->set_os_family(ToProto(in.os_family));
  out->set_os_id(in.os_id);
  out->set_os_name(in.os_name);
  out->set_os_version(in.os_version);
  out->set_os_build(in.os_build);
  out->set_os_codename(in.os_codename);
  out->set_os_pretty_name(in.os_pretty_name);
  out->set_kernel_version(in.kernel_version);
  out->set_architecture(in.architecture);
  out->set_cpu_model(in.cpu_model);
  MAMORI_SET_OPTIONAL(in.cpu_logical_cores, out, cpu_logical_cores);
  MAMORI_SET_OPTIONAL(in.memory_bytes, out, memory_bytes);
  MAMORI_SET_TIME(in.boot_time, out, boot_time);
  out->set_machine_id(in.machine_id);
  for (const auto& nic : in.interfaces) {
    auto* p = out->add_interfaces();
    p->set_name(nic.name);
    p->set_mac(nic.mac);
    for (const auto& a : nic.addresses) {
      p->add_addresses(a);
    }
  }
  out->mutable_hardware()->set_manufacturer(in.hardware.manufacturer);
  out->mutable_hardware()->set_model(in.hardware.model);
  out->mutable_hardware()->set_serial_number(in.hardware.serial_number);
  out->set_role(ToProto(in.role));
  for (const auto& sw : in.software) {
    auto* p = out->add_software();
    p->set_name(sw.name);
    p->set_version(sw.version);
    p->set_publisher(sw.publisher);
    MAMORI_SET_TIME(sw.installed_at, p, installed_at);
  }
}
facts::Inventory FromProto(const v1::Inventory& in) {
  facts::Inventory out;
  out.meta = FromProto(in.meta());
  out.hostname = in.hostname();
  out.os_family = FromProto(in.os_family());
  out.os_id = in.os_id();
  out.os_name = in.os_name();
  out.os_version = in.os_version();
  out.os_build = in.os_build();
  out.os_codename = in.os_codename();
  out.os_pretty_name = in.os_pretty_name();
  out.kernel_version = in.kernel_version();
  out.architecture = in.architecture();
  out.cpu_model = in.cpu_model();
  out.cpu_logical_cores = MAMORI_GET_OPTIONAL(in, cpu_logical_cores);
  out.memory_bytes = MAMORI_GET_OPTIONAL(in, memory_bytes);
  out.boot_time = GetTime(in.has_boot_time(), in.boot_time());
  out.machine_id = in.machine_id();
  for (const auto& p : in.interfaces()) {
    out.interfaces.push_back({p.name(), p.mac(), ToStrings(p.addresses())});
  }
  out.hardware = {in.hardware().manufacturer(), in.hardware().model(),
                  in.hardware().serial_number()};
  out.role = FromProto(in.role());
  for (const auto& p : in.software()) {
    out.software.push_back(
        {p.name(), p.version(), p.publisher(), GetTime(p.has_installed_at(), p.installed_at())});
  }
  return out;
}

// --- patch
// ------------------------------------------------------------------------------------------

void ToProto(const facts::PatchState& in, v1::PatchState* out) {
  ToProto(in.meta, out->mutable_meta());
  for (const auto& u : in.pending) {
    auto* p = out->add_pending();
    p->set_name(u.name);
    p->set_current_version(u.current_version);
    p->set_candidate_version(u.candidate_version);
    p->set_source(u.source);
    p->set_security(u.security);
  }
  for (const auto& u : in.installed) {
    auto* p = out->add_installed();
    p->set_id(u.id);
    p->set_title(u.title);
    MAMORI_SET_TIME(u.installed_at, p, installed_at);
  }
  MAMORI_SET_OPTIONAL(in.reboot_required, out, reboot_required);
  MAMORI_SET_TIME(in.last_update_installed, out, last_update_installed);
  MAMORI_SET_TIME(in.last_update_check, out, last_update_check);
  MAMORI_SET_OPTIONAL(in.update_service_disabled, out, update_service_disabled);
  out->set_os_support_ends(in.os_support_ends);
}
facts::PatchState FromProto(const v1::PatchState& in) {
  facts::PatchState out;
  out.meta = FromProto(in.meta());
  for (const auto& p : in.pending()) {
    out.pending.push_back(
        {p.name(), p.current_version(), p.candidate_version(), p.source(), p.security()});
  }
  for (const auto& p : in.installed()) {
    out.installed.push_back({p.id(), p.title(), GetTime(p.has_installed_at(), p.installed_at())});
  }
  out.reboot_required = MAMORI_GET_OPTIONAL(in, reboot_required);
  out.last_update_installed = GetTime(in.has_last_update_installed(), in.last_update_installed());
  out.last_update_check = GetTime(in.has_last_update_check(), in.last_update_check());
  out.update_service_disabled = MAMORI_GET_OPTIONAL(in, update_service_disabled);
  out.os_support_ends = in.os_support_ends();
  return out;
}

// --- antivirus
// --------------------------------------------------------------------------------------

void ToProto(const facts::Antivirus& in, v1::Antivirus* out) {
  ToProto(in.meta, out->mutable_meta());
  for (const auto& a : in.products) {
    auto* p = out->add_products();
    p->set_name(a.name);
    p->set_source(a.source);
    p->set_state(ToProto(a.state));
    MAMORI_SET_OPTIONAL(a.realtime_protection, p, realtime_protection);
    MAMORI_SET_OPTIONAL(a.signatures_up_to_date, p, signatures_up_to_date);
    MAMORI_SET_TIME(a.signatures_updated_at, p, signatures_updated_at);
    p->set_version(a.version);
  }
}
facts::Antivirus FromProto(const v1::Antivirus& in) {
  facts::Antivirus out;
  out.meta = FromProto(in.meta());
  for (const auto& p : in.products()) {
    out.products.push_back(
        {.name = p.name(),
         .source = p.source(),
         .state = FromProto(p.state()),
         .realtime_protection = MAMORI_GET_OPTIONAL(p, realtime_protection),
         .signatures_up_to_date = MAMORI_GET_OPTIONAL(p, signatures_up_to_date),
         .signatures_updated_at = GetTime(p.has_signatures_updated_at(), p.signatures_updated_at()),
         .version = p.version()});
  }
  return out;
}

// --- USB storage
// ------------------------------------------------------------------------------------

void ToProto(const facts::UsbStoragePolicy& in, v1::UsbStoragePolicy* out) {
  ToProto(in.meta, out->mutable_meta());
  out->set_mode(ToProto(in.mode));
  for (const auto& c : in.controls) {
    auto* p = out->add_controls();
    p->set_mechanism(c.mechanism);
    p->set_detail(c.detail);
  }
  for (const auto& d : in.devices) {
    auto* p = out->add_devices();
    p->set_vendor(d.vendor);
    p->set_product(d.product);
    p->set_serial_number(d.serial_number);
    p->set_present(d.present);
  }
  MAMORI_SET_OPTIONAL(in.driver_loaded, out, driver_loaded);
  MAMORI_SET_OPTIONAL(in.driver_builtin, out, driver_builtin);
}
facts::UsbStoragePolicy FromProto(const v1::UsbStoragePolicy& in) {
  facts::UsbStoragePolicy out;
  out.meta = FromProto(in.meta());
  out.mode = FromProto(in.mode());
  for (const auto& p : in.controls()) {
    out.controls.push_back({p.mechanism(), p.detail()});
  }
  for (const auto& p : in.devices()) {
    out.devices.push_back({p.vendor(), p.product(), p.serial_number(), p.present()});
  }
  out.driver_loaded = MAMORI_GET_OPTIONAL(in, driver_loaded);
  out.driver_builtin = MAMORI_GET_OPTIONAL(in, driver_builtin);
  return out;
}

// --- power and idle
// ---------------------------------------------------------------------------------

void ToProto(const facts::PowerState& in, v1::PowerState* out) {
  ToProto(in.meta, out->mutable_meta());
  MAMORI_SET_DURATION(in.uptime, out, uptime);
  MAMORI_SET_DURATION(in.idle, out, idle);
  for (const auto& s : in.sessions) {
    auto* p = out->add_sessions();
    p->set_id(s.id);
    p->set_user(s.user);
    p->set_type(s.type);
    p->set_remote(s.remote);
    MAMORI_SET_OPTIONAL(s.locked, p, locked);
    MAMORI_SET_OPTIONAL(s.idle, p, idle);
    MAMORI_SET_TIME(s.idle_since, p, idle_since);
  }
  MAMORI_SET_OPTIONAL(in.sleep_disabled, out, sleep_disabled);
  MAMORI_SET_DURATION(in.sleep_after_ac, out, sleep_after_ac);
  MAMORI_SET_DURATION(in.sleep_after_dc, out, sleep_after_dc);
}
facts::PowerState FromProto(const v1::PowerState& in) {
  facts::PowerState out;
  out.meta = FromProto(in.meta());
  out.uptime = GetDuration(in.has_uptime(), in.uptime());
  out.idle = GetDuration(in.has_idle(), in.idle());
  for (const auto& p : in.sessions()) {
    out.sessions.push_back({.id = p.id(),
                            .user = p.user(),
                            .type = p.type(),
                            .remote = p.remote(),
                            .locked = MAMORI_GET_OPTIONAL(p, locked),
                            .idle = MAMORI_GET_OPTIONAL(p, idle),
                            .idle_since = GetTime(p.has_idle_since(), p.idle_since())});
  }
  out.sleep_disabled = MAMORI_GET_OPTIONAL(in, sleep_disabled);
  out.sleep_after_ac = GetDuration(in.has_sleep_after_ac(), in.sleep_after_ac());
  out.sleep_after_dc = GetDuration(in.has_sleep_after_dc(), in.sleep_after_dc());
  return out;
}

// --- accounts
// ---------------------------------------------------------------------------------------

void ToProto(const facts::AccountList& in, v1::AccountList* out) {
  ToProto(in.meta, out->mutable_meta());
  for (const auto& a : in.accounts) {
    auto* p = out->add_accounts();
    p->set_name(a.name);
    p->set_id(a.id);
    p->set_full_name(a.full_name);
    for (const auto& g : a.groups) {
      p->add_groups(g);
    }
    p->set_system_account(a.system_account);
    MAMORI_SET_OPTIONAL(a.enabled, p, enabled);
    MAMORI_SET_OPTIONAL(a.locked, p, locked);
    MAMORI_SET_OPTIONAL(a.admin, p, admin);
    MAMORI_SET_OPTIONAL(a.password_empty, p, password_empty);
    MAMORI_SET_OPTIONAL(a.password_expires, p, password_expires);
    MAMORI_SET_TIME(a.password_changed_at, p, password_changed_at);
    MAMORI_SET_TIME(a.last_logon, p, last_logon);
  }
  auto* policy = out->mutable_password_policy();
  MAMORI_SET_OPTIONAL(in.password_policy.min_length, policy, min_length);
  MAMORI_SET_OPTIONAL(in.password_policy.min_classes, policy, min_classes);
  MAMORI_SET_OPTIONAL(in.password_policy.max_age_days, policy, max_age_days);
  MAMORI_SET_OPTIONAL(in.password_policy.complexity_required, policy, complexity_required);
  MAMORI_SET_OPTIONAL(in.password_policy.lockout_threshold, policy, lockout_threshold);
}
facts::AccountList FromProto(const v1::AccountList& in) {
  facts::AccountList out;
  out.meta = FromProto(in.meta());
  for (const auto& p : in.accounts()) {
    out.accounts.push_back(
        {.name = p.name(),
         .id = p.id(),
         .full_name = p.full_name(),
         .groups = ToStrings(p.groups()),
         .system_account = p.system_account(),
         .enabled = MAMORI_GET_OPTIONAL(p, enabled),
         .locked = MAMORI_GET_OPTIONAL(p, locked),
         .admin = MAMORI_GET_OPTIONAL(p, admin),
         .password_empty = MAMORI_GET_OPTIONAL(p, password_empty),
         .password_expires = MAMORI_GET_OPTIONAL(p, password_expires),
         .password_changed_at = GetTime(p.has_password_changed_at(), p.password_changed_at()),
         .last_logon = GetTime(p.has_last_logon(), p.last_logon())});
  }
  const auto& policy = in.password_policy();
  out.password_policy = {.min_length = MAMORI_GET_OPTIONAL(policy, min_length),
                         .min_classes = MAMORI_GET_OPTIONAL(policy, min_classes),
                         .max_age_days = MAMORI_GET_OPTIONAL(policy, max_age_days),
                         .complexity_required = MAMORI_GET_OPTIONAL(policy, complexity_required),
                         .lockout_threshold = MAMORI_GET_OPTIONAL(policy, lockout_threshold)};
  return out;
}

// --- logon, firewall, encryption, remote access
// -----------------------------------------------------

void ToProto(const facts::LogonSecurity& in, v1::LogonSecurity* out) {
  ToProto(in.meta, out->mutable_meta());
  MAMORI_SET_OPTIONAL(in.auto_logon_enabled, out, auto_logon_enabled);
  out->set_auto_logon_user(in.auto_logon_user);
  MAMORI_SET_OPTIONAL(in.auto_logon_password_stored, out, auto_logon_password_stored);
  MAMORI_SET_OPTIONAL(in.screen_lock_enabled, out, screen_lock_enabled);
  MAMORI_SET_DURATION(in.screen_lock_timeout, out, screen_lock_timeout);
}
facts::LogonSecurity FromProto(const v1::LogonSecurity& in) {
  return {
      .meta = FromProto(in.meta()),
      .auto_logon_enabled = MAMORI_GET_OPTIONAL(in, auto_logon_enabled),
      .auto_logon_user = in.auto_logon_user(),
      .auto_logon_password_stored = MAMORI_GET_OPTIONAL(in, auto_logon_password_stored),
      .screen_lock_enabled = MAMORI_GET_OPTIONAL(in, screen_lock_enabled),
      .screen_lock_timeout = GetDuration(in.has_screen_lock_timeout(), in.screen_lock_timeout())};
}

void ToProto(const facts::Firewall& in, v1::Firewall* out) {
  ToProto(in.meta, out->mutable_meta());
  MAMORI_SET_OPTIONAL(in.enabled, out, enabled);
  out->set_product(in.product);
  for (const auto& f : in.profiles) {
    auto* p = out->add_profiles();
    p->set_name(f.name);
    MAMORI_SET_OPTIONAL(f.enabled, p, enabled);
  }
}
facts::Firewall FromProto(const v1::Firewall& in) {
  facts::Firewall out;
  out.meta = FromProto(in.meta());
  out.enabled = MAMORI_GET_OPTIONAL(in, enabled);
  out.product = in.product();
  for (const auto& p : in.profiles()) {
    out.profiles.push_back({p.name(), MAMORI_GET_OPTIONAL(p, enabled)});
  }
  return out;
}

void ToProto(const facts::DiskEncryption& in, v1::DiskEncryption* out) {
  ToProto(in.meta, out->mutable_meta());
  MAMORI_SET_OPTIONAL(in.system_volume_encrypted, out, system_volume_encrypted);
  out->set_method(in.method);
}
facts::DiskEncryption FromProto(const v1::DiskEncryption& in) {
  return {.meta = FromProto(in.meta()),
          .system_volume_encrypted = MAMORI_GET_OPTIONAL(in, system_volume_encrypted),
          .method = in.method()};
}

void ToProto(const facts::RemoteAccess& in, v1::RemoteAccess* out) {
  ToProto(in.meta, out->mutable_meta());
  MAMORI_SET_OPTIONAL(in.ssh_enabled, out, ssh_enabled);
  MAMORI_SET_OPTIONAL(in.ssh_password_authentication, out, ssh_password_authentication);
  MAMORI_SET_OPTIONAL(in.ssh_root_login, out, ssh_root_login);
  MAMORI_SET_OPTIONAL(in.rdp_enabled, out, rdp_enabled);
  MAMORI_SET_OPTIONAL(in.rdp_nla_required, out, rdp_nla_required);
}
facts::RemoteAccess FromProto(const v1::RemoteAccess& in) {
  return {.meta = FromProto(in.meta()),
          .ssh_enabled = MAMORI_GET_OPTIONAL(in, ssh_enabled),
          .ssh_password_authentication = MAMORI_GET_OPTIONAL(in, ssh_password_authentication),
          .ssh_root_login = MAMORI_GET_OPTIONAL(in, ssh_root_login),
          .rdp_enabled = MAMORI_GET_OPTIONAL(in, rdp_enabled),
          .rdp_nla_required = MAMORI_GET_OPTIONAL(in, rdp_nla_required)};
}

#undef MAMORI_GET_OPTIONAL
#undef MAMORI_SET_OPTIONAL
#undef MAMORI_SET_TIME
#undef MAMORI_SET_DURATION

}  // namespace

v1::HostFacts ToProto(const facts::HostFacts& facts) {
  v1::HostFacts out;
  ToProto(facts.inventory, out.mutable_inventory());
  ToProto(facts.patch, out.mutable_patch());
  ToProto(facts.antivirus, out.mutable_antivirus());
  ToProto(facts.usb_storage, out.mutable_usb_storage());
  ToProto(facts.power, out.mutable_power());
  ToProto(facts.accounts, out.mutable_accounts());
  ToProto(facts.logon, out.mutable_logon());
  ToProto(facts.firewall, out.mutable_firewall());
  ToProto(facts.disk_encryption, out.mutable_disk_encryption());
  ToProto(facts.remote_access, out.mutable_remote_access());
  return out;
}

facts::HostFacts FromProto(const v1::HostFacts& proto) {
  return {.inventory = FromProto(proto.inventory()),
          .patch = FromProto(proto.patch()),
          .antivirus = FromProto(proto.antivirus()),
          .usb_storage = FromProto(proto.usb_storage()),
          .power = FromProto(proto.power()),
          .accounts = FromProto(proto.accounts()),
          .logon = FromProto(proto.logon()),
          .firewall = FromProto(proto.firewall()),
          .disk_encryption = FromProto(proto.disk_encryption()),
          .remote_access = FromProto(proto.remote_access())};
}

}  // namespace mamori::codec
