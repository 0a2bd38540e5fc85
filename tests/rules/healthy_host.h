// A hand-built host on which every rule passes: each test changes one fact and watches one rule.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "platform/facts/host_facts.h"
#include "platform/rules/evaluate.h"

namespace mamori::rules {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

// 2026-11-25T00:00:00Z, the scan time of every test.
inline facts::Timestamp TestNow() {
  return facts::Timestamp{std::chrono::sys_days{std::chrono::year{2026} / 11 / 25}};
}

inline facts::SectionMeta Collected() { return {facts::ProbeStatus::Ok(), TestNow()}; }

// Moves every time in `host` by `by`: the built-in hosts describe TestNow(), and a program that
// sends them to a live collector (mamori-fixture-agent, mamori-fleetsim) moves them to now so a
// healthy host stays healthy whenever it runs (signatures hours old, not days).
inline void ShiftFactTimes(facts::HostFacts& host, std::chrono::seconds by) {
  auto shift = [by](std::optional<facts::Timestamp>& t) {
    if (t.has_value()) {
      *t += by;
    }
  };
  for (facts::SectionMeta* meta :
       {&host.inventory.meta, &host.patch.meta, &host.antivirus.meta, &host.usb_storage.meta,
        &host.power.meta, &host.accounts.meta, &host.logon.meta, &host.firewall.meta,
        &host.disk_encryption.meta, &host.remote_access.meta}) {
    shift(meta->collected_at);
  }
  shift(host.inventory.boot_time);
  for (facts::InstalledSoftware& software : host.inventory.software) {
    shift(software.installed_at);
  }
  for (facts::InstalledUpdate& update : host.patch.installed) {
    shift(update.installed_at);
  }
  shift(host.patch.last_update_installed);
  shift(host.patch.last_update_check);
  for (facts::AntivirusProduct& product : host.antivirus.products) {
    shift(product.signatures_updated_at);
  }
  for (facts::UserSession& session : host.power.sessions) {
    shift(session.idle_since);
  }
  for (facts::LocalAccount& account : host.accounts.accounts) {
    shift(account.password_changed_at);
    shift(account.last_logon);
  }
}

inline facts::LocalAccount Person(std::string name, std::string uid) {
  facts::LocalAccount account;
  account.name = std::move(name);
  account.id = std::move(uid);
  account.enabled = true;
  account.locked = false;
  account.admin = false;
  account.password_empty = false;
  account.password_changed_at = TestNow() - days{10};
  account.last_logon = TestNow() - days{1};
  return account;
}

inline facts::HostFacts HealthyDebianWorkstation() {
  facts::HostFacts host;
  facts::Inventory& inventory = host.inventory;
  inventory.meta = Collected();
  inventory.hostname = "reception-01";
  inventory.os_family = facts::OsFamily::kLinux;
  inventory.os_id = "debian";
  inventory.os_name = "Debian GNU/Linux";
  inventory.os_version = "12";
  inventory.os_pretty_name = "Debian GNU/Linux 12 (bookworm)";
  inventory.role = facts::HostRole::kWorkstation;

  host.patch.meta = Collected();
  host.patch.pending.push_back({"vim", "2:9.0.1378-2", "2:9.0.1378-3", "bookworm", false});
  host.patch.reboot_required = false;
  host.patch.last_update_installed = TestNow() - days{2};
  host.patch.last_update_check = TestNow() - days{1};

  host.antivirus.meta = Collected();
  facts::AntivirusProduct clamav;
  clamav.name = "ClamAV";
  clamav.source = "process:clamd";
  clamav.state = facts::AntivirusState::kOn;
  clamav.realtime_protection = true;
  clamav.signatures_updated_at = TestNow() - hours{20};
  host.antivirus.products.push_back(clamav);

  host.usb_storage.meta = Collected();
  host.usb_storage.mode = facts::UsbStorageMode::kBlocked;
  host.usb_storage.controls.push_back(
      {"modprobe: install usb-storage /bin/false", "/etc/modprobe.d/mamori.conf"});
  host.usb_storage.driver_loaded = false;
  host.usb_storage.driver_builtin = false;

  host.power.meta = Collected();
  host.power.uptime = hours{5};
  facts::UserSession session;
  session.id = "2";
  session.user = "uketsuke";
  session.type = "x11";
  session.idle = false;
  host.power.sessions.push_back(session);
  host.power.sleep_disabled = false;

  host.accounts.meta = Collected();
  facts::LocalAccount root = Person("root", "0");
  root.enabled = true;
  root.locked = true;  // "!" in /etc/shadow
  root.admin = true;
  root.system_account = true;
  host.accounts.accounts.push_back(root);
  facts::LocalAccount daemon = Person("daemon", "1");
  daemon.system_account = true;
  daemon.locked = true;
  daemon.last_logon.reset();
  host.accounts.accounts.push_back(daemon);
  facts::LocalAccount admin = Person("jimu", "1000");
  admin.admin = true;
  host.accounts.accounts.push_back(admin);
  host.accounts.accounts.push_back(Person("uketsuke", "1001"));
  host.accounts.password_policy.min_length = 14;
  host.accounts.password_policy.max_age_days = 99999;

  host.logon.meta = Collected();
  host.logon.auto_logon_enabled = false;
  host.logon.screen_lock_enabled = true;
  host.logon.screen_lock_timeout = minutes{10};

  host.firewall.meta = Collected();
  host.firewall.enabled = true;
  host.firewall.product = "ufw";
  host.firewall.profiles.push_back({"ufw", true});

  host.disk_encryption.meta = Collected();
  host.disk_encryption.system_volume_encrypted = true;
  host.disk_encryption.method = "LUKS2";

  host.remote_access.meta = Collected();
  host.remote_access.ssh_enabled = true;
  host.remote_access.ssh_password_authentication = false;
  host.remote_access.ssh_root_login = false;
  return host;
}

// The reception PC of a clinic on a supported Windows 11 with Defender, as the Windows probes
// report it: every rule passes.
inline facts::HostFacts HealthyWindowsWorkstation() {
  facts::HostFacts host;
  facts::Inventory& inventory = host.inventory;
  inventory.meta = Collected();
  inventory.hostname = "UKETSUKE-PC";
  inventory.os_family = facts::OsFamily::kWindows;
  inventory.os_id = "Professional";
  inventory.os_name = "Windows 11 Pro";
  inventory.os_version = "25H2";
  inventory.os_build = "26200.7171";
  inventory.os_pretty_name = "Windows 11 Pro 25H2";
  inventory.kernel_version = "10.0.26200";
  inventory.role = facts::HostRole::kWorkstation;

  host.patch.meta = Collected();
  host.patch.installed.push_back({"KB5046617", "2024-11 累積更新プログラム", TestNow() - days{6}});
  host.patch.reboot_required = false;
  host.patch.update_service_disabled = false;
  host.patch.last_update_installed = TestNow() - days{6};
  host.patch.last_update_check = TestNow() - days{1};

  host.antivirus.meta = Collected();
  facts::AntivirusProduct defender;
  defender.name = "Microsoft Defender Antivirus";
  defender.source = "SecurityCenter2+MSFT_MpComputerStatus";
  defender.state = facts::AntivirusState::kOn;
  defender.realtime_protection = true;
  defender.signatures_up_to_date = true;
  defender.signatures_updated_at = TestNow() - hours{8};
  host.antivirus.products.push_back(defender);

  host.usb_storage.meta = Collected();
  host.usb_storage.mode = facts::UsbStorageMode::kBlocked;
  host.usb_storage.controls.push_back(
      {"USBSTOR Start=4", R"(HKLM\SYSTEM\CurrentControlSet\Services\USBSTOR\Start)"});

  host.power.meta = Collected();
  host.power.uptime = hours{5};
  facts::UserSession session;
  session.id = "1";
  session.user = "受付";
  session.type = "console";
  session.locked = false;
  session.idle = false;
  host.power.sessions.push_back(session);
  host.power.sleep_disabled = false;
  host.power.sleep_after_ac = minutes{30};

  host.accounts.meta = Collected();
  constexpr std::string_view kMachineSid = "S-1-5-21-1004336348-1177238915-682003330-";
  facts::LocalAccount administrator = Person("Administrator", std::string(kMachineSid) + "500");
  administrator.enabled = false;
  administrator.admin = true;
  administrator.last_logon.reset();
  host.accounts.accounts.push_back(administrator);
  facts::LocalAccount guest = Person("Guest", std::string(kMachineSid) + "501");
  guest.enabled = false;
  guest.last_logon.reset();
  host.accounts.accounts.push_back(guest);
  facts::LocalAccount admin = Person("事務長", std::string(kMachineSid) + "1001");
  admin.admin = true;
  host.accounts.accounts.push_back(admin);
  host.accounts.accounts.push_back(Person("受付", std::string(kMachineSid) + "1002"));
  host.accounts.password_policy.min_length = 13;
  host.accounts.password_policy.max_age_days = 0;
  host.accounts.password_policy.lockout_threshold = 10;

  host.logon.meta = Collected();
  host.logon.auto_logon_enabled = false;
  host.logon.auto_logon_password_stored = false;
  host.logon.screen_lock_enabled = true;
  host.logon.screen_lock_timeout = minutes{10};

  host.firewall.meta = Collected();
  host.firewall.enabled = true;
  host.firewall.product = "Windows Defender Firewall";
  host.firewall.profiles = {{"Domain", true}, {"Private", true}, {"Public", true}};

  host.disk_encryption.meta = Collected();
  host.disk_encryption.system_volume_encrypted = true;
  host.disk_encryption.method = "BitLocker XTS-AES 128";

  host.remote_access.meta = Collected();
  host.remote_access.ssh_enabled = false;
  host.remote_access.rdp_enabled = false;
  return host;
}

// The finding of one rule.
inline Finding FindingFor(const facts::HostFacts& host, std::string_view rule_id,
                          const Policy& policy = Policy{}) {
  for (Finding& finding : Evaluate(host, policy, TestNow())) {
    if (finding.rule_id == rule_id) {
      return finding;
    }
  }
  return Finding{};
}

}  // namespace mamori::rules
