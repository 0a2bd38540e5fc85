#include "tests/load/fleet_facts.h"

#include <array>
#include <chrono>
#include <cstdio>
#include <string_view>

#include "agent/heartbeat_cycle.h"
#include "proto/codec/facts_codec.h"
#include "tests/rules/healthy_host.h"

namespace mamori::fleet {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

struct Package {
  std::string_view name;
  std::string_view version;
  std::string_view publisher;
};

// What a Japanese clinic's Windows PCs carry: the electronic medical record and receipt clients,
// office software, PDF readers, the remote-support tool of the vendor.
constexpr std::array<Package, 32> kWindowsPackages = {{
    {"電子カルテ クライアント", "7.2.1", "メディカルシステムズ株式会社"},
    {"レセプトコンピュータ 端末", "5.0.3", "日本医療ソフト株式会社"},
    {"ORCA クライアント", "5.2.0", "日本医師会ORCA管理機構"},
    {"オンライン資格確認 連携ソフト", "2.1.0", "医療情報連携株式会社"},
    {"予約受付システム", "3.4.2", "クリニックサポート株式会社"},
    {"画像ビューア DICOM Viewer", "4.8.0", "メディカルイメージング株式会社"},
    {"Microsoft 365 Apps for business - ja-jp", "16.0.18129.20158", "Microsoft Corporation"},
    {"Microsoft Edge", "131.0.2903.70", "Microsoft Corporation"},
    {"Microsoft Edge WebView2 Runtime", "131.0.2903.70", "Microsoft Corporation"},
    {"Microsoft Teams", "24295.605.3225.8804", "Microsoft Corporation"},
    {"Microsoft OneDrive", "24.211.1020.0002", "Microsoft Corporation"},
    {"Microsoft Visual C++ 2015-2022 Redistributable (x64)", "14.40.33816", "Microsoft"},
    {"Microsoft Visual C++ 2015-2022 Redistributable (x86)", "14.40.33816", "Microsoft"},
    {"Google Chrome", "131.0.6778.86", "Google LLC"},
    {"Mozilla Firefox (x64 ja)", "133.0", "Mozilla"},
    {"Adobe Acrobat Reader (64-bit)", "24.005.20320", "Adobe"},
    {"7-Zip 24.08 (x64)", "24.08", "Igor Pavlov"},
    {"Lhaplus", "1.74", "HoeHoe"},
    {"CubePDF", "3.2.0", "CubeSoft, Inc."},
    {"Zoom Workplace (64-bit)", "6.2.11", "Zoom Video Communications, Inc."},
    {"TeamViewer QuickSupport", "15.60.3", "TeamViewer Germany GmbH"},
    {"ATOK 2024", "34.0.0", "JUSTSYSTEMS CORPORATION"},
    {"一太郎 2024", "34.0.0", "JUSTSYSTEMS CORPORATION"},
    {"筆まめ Ver.34", "34.0.1", "ソースネクスト株式会社"},
    {"EPSON プリンタードライバー", "3.02.00", "SEIKO EPSON Corporation"},
    {"Canon Generic Plus UFR II", "3.10", "CANON INC."},
    {"Brother スキャナードライバー", "1.8.0", "Brother Industries, Ltd."},
    {"Intel(R) Graphics Driver", "31.0.101.5595", "Intel Corporation"},
    {"Realtek Audio Driver", "6.0.9722.1", "Realtek Semiconductor Corp."},
    {"Java 8 Update 431", "8.0.4310.10", "Oracle Corporation"},
    {"カード リーダー ドライバー", "2.0.1", "NTTコミュニケーションズ"},
    {"診療予約 キオスク", "1.3.0", "クリニックサポート株式会社"},
}};

constexpr std::array<std::string_view, 6> kWorkstationRooms = {"受付PC", "診察室PC", "処置室PC",
                                                               "事務PC", "検査室PC", "院長PC"};
constexpr std::array<std::string_view, 4> kManufacturers = {"FUJITSU", "NEC", "Dell Inc.", "HP"};
constexpr std::array<std::string_view, 4> kModels = {"ESPRIMO D7012/M", "Mate MKM36/B",
                                                     "OptiPlex 7010", "ProDesk 400 G9 SFF"};

// A cheap, stable mix of the index: which packages, which hardware.
std::uint64_t Mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

facts::Timestamp ToFactsTime(absl::Time t) {
  return facts::Timestamp{std::chrono::seconds(absl::ToUnixSeconds(t))};
}

facts::HostFacts WindowsWorkstation(std::uint32_t index, bool windows10) {
  facts::HostFacts host = rules::HealthyWindowsWorkstation();
  if (windows10) {
    facts::Inventory& inventory = host.inventory;
    inventory.os_name = "Windows 10 Pro";
    inventory.os_version = "22H2";
    inventory.os_build = "19045.5131";
    inventory.os_pretty_name = "Windows 10 Pro 22H2";
    inventory.kernel_version = "10.0.19045";
  }
  const std::uint64_t mix = Mix(index);
  host.inventory.hardware = {std::string(kManufacturers[mix % kManufacturers.size()]),
                             std::string(kModels[mix % kModels.size()]),
                             "JP" + std::to_string(10'000'000 + index)};
  host.inventory.architecture = "x86_64";
  host.inventory.cpu_model = "Intel(R) Core(TM) i5-12500 CPU @ 3.00GHz";
  host.inventory.cpu_logical_cores = 12;
  host.inventory.memory_bytes = std::uint64_t{16} << 30;
  // The first six packages (the clinic's systems) everywhere; of the rest, about two thirds.
  for (std::size_t i = 0; i < kWindowsPackages.size(); ++i) {
    if (i >= 6 && ((mix >> (i % 60)) & 3) == 0) {
      continue;
    }
    const Package& package = kWindowsPackages[i];
    host.inventory.software.push_back(
        {std::string(package.name), std::string(package.version), std::string(package.publisher),
         rules::TestNow() - days{30 + static_cast<int>((mix >> 8) % 300)}});
  }
  return host;
}

facts::HostFacts LinuxServer() {
  facts::HostFacts host = rules::HealthyDebianWorkstation();
  host.inventory.role = facts::HostRole::kServer;
  host.inventory.architecture = "x86_64";
  host.inventory.hardware = {"FUJITSU", "PRIMERGY TX1320 M5", ""};
  host.power.sessions.clear();
  for (std::string_view name : {"postgresql-15", "nginx", "openssh-server", "clamav", "rsync"}) {
    host.inventory.software.push_back({std::string(name), "1.0", "Debian", std::nullopt});
  }
  return host;
}

// The demo clinic's PCs by index % 8 (FleetKind::kDemo).
enum DemoSlot : std::uint32_t {
  kDemoHealthy = 0,
  kDemoAntivirusOff = 1,
  kDemoUpdatesStale = 2,
  kDemoUsbAllowed = 3,
  kDemoUnusedAccount = 4,
  kDemoWindows10 = 5,
  kDemoLeftOn = 6,
  kDemoReceiptServer = 7,
};

// Applies the demo slot's one problem to a healthy host.
void ApplyDemoProblem(std::uint32_t index, facts::HostFacts& host, absl::Time now) {
  const facts::Timestamp at = ToFactsTime(now);
  switch (index % 8) {
    case kDemoAntivirusOff:
      for (facts::AntivirusProduct& product : host.antivirus.products) {
        product.state = facts::AntivirusState::kOff;
        product.realtime_protection = false;
      }
      break;
    case kDemoUpdatesStale:
      host.patch.last_update_installed = at - days{75};
      host.patch.last_update_check = at - days{75};
      host.patch.pending.push_back(
          {"2025-11 Windows 11 累積更新プログラム (KB5068861)", "", "", "Windows Update", true});
      break;
    case kDemoUsbAllowed:
      host.usb_storage.mode = facts::UsbStorageMode::kAllowed;
      host.usb_storage.controls.clear();
      host.usb_storage.devices.push_back({"BUFFALO", "USB Flash Disk", "0701DEMO0042", true});
      break;
    case kDemoUnusedAccount: {
      facts::LocalAccount former;
      former.name = "kyu-shokuin";
      former.full_name = "旧職員 (退職済み)";
      former.id = "S-1-5-21-1004336348-1177238915-682003330-1012";
      former.groups = {"Users"};
      former.enabled = true;
      former.admin = false;
      former.password_empty = false;
      former.password_changed_at = at - days{400};
      former.last_logon = at - days{200};
      host.accounts.accounts.push_back(former);
      break;
    }
    case kDemoLeftOn:
      host.power.idle = std::chrono::hours{5};
      for (facts::UserSession& session : host.power.sessions) {
        session.locked = false;
        session.idle = true;
        session.idle_since = at - hours{5};
      }
      break;
    default:
      break;
  }
}

}  // namespace

FleetProfile ProfileOf(std::uint32_t index, FleetKind kind) {
  if (kind == FleetKind::kDemo) {
    switch (index % 8) {
      case kDemoWindows10:
        return FleetProfile::kWindows10Workstation;
      case kDemoReceiptServer:
        return FleetProfile::kLinuxServer;
      default:
        return FleetProfile::kWindows11Workstation;
    }
  }
  const std::uint32_t slot = index % 20;
  if (slot < 12) {
    return FleetProfile::kWindows11Workstation;
  }
  return slot < 18 ? FleetProfile::kWindows10Workstation : FleetProfile::kLinuxServer;
}

std::string FleetHostname(std::uint32_t index, FleetKind kind) {
  char number[16];
  std::snprintf(number, sizeof(number), "%04u", index + 1);
  const std::string prefix = kind == FleetKind::kDemo ? "デモ-" : "";
  if (ProfileOf(index, kind) == FleetProfile::kLinuxServer) {
    return prefix + (kind == FleetKind::kDemo ? "ORCAサーバ-" : "電子カルテSV-") + number;
  }
  return prefix + std::string(kWorkstationRooms[index % kWorkstationRooms.size()]) + "-" + number;
}

std::string FleetMachineId(std::uint32_t index) {
  char id[40];
  std::snprintf(id, sizeof(id), "fleetsim-%08x%016llx", index,
                static_cast<unsigned long long>(Mix(index)));
  return id;
}

facts::HostFacts FleetHostFacts(std::uint32_t index, std::uint64_t changes, absl::Time now,
                                FleetKind kind) {
  const FleetProfile profile = ProfileOf(index, kind);
  facts::HostFacts host =
      profile == FleetProfile::kLinuxServer
          ? LinuxServer()
          : WindowsWorkstation(index, profile == FleetProfile::kWindows10Workstation);
  rules::ShiftFactTimes(host, ToFactsTime(now) - rules::TestNow());
  facts::Inventory& inventory = host.inventory;
  inventory.hostname = FleetHostname(index, kind);
  inventory.machine_id = FleetMachineId(index);
  const std::uint32_t octet = index % 250 + 2;
  inventory.interfaces.push_back(
      {"eth0",
       [&] {
         char mac[18];
         std::snprintf(mac, sizeof(mac), "02:00:%02x:%02x:%02x:%02x", (index >> 24) & 0xff,
                       (index >> 16) & 0xff, (index >> 8) & 0xff, index & 0xff);
         return std::string(mac);
       }(),
       {"192.168." + std::to_string(index / 250 % 250) + "." + std::to_string(octet) + "/24"}});
  inventory.boot_time = ToFactsTime(now) - hours{1 + static_cast<int>(Mix(index) % 200)};
  host.power.uptime =
      std::chrono::duration_cast<std::chrono::seconds>(ToFactsTime(now) - *inventory.boot_time);
  // Each change is something a clinic PC really sees between collections: the browser updated, a
  // monthly patch installed, a pending update appeared or went away.
  if (changes > 0 && !inventory.software.empty()) {
    facts::InstalledSoftware& updated = inventory.software[changes % inventory.software.size()];
    updated.version += "." + std::to_string(changes);
    updated.installed_at = ToFactsTime(now) - minutes{5};
  }
  if (changes % 3 == 1) {
    host.patch.installed.push_back(
        {"KB50" + std::to_string(46000 + changes % 1000), "累積更新プログラム", ToFactsTime(now)});
  }
  if (profile == FleetProfile::kLinuxServer && changes % 2 == 1) {
    host.patch.pending.push_back(
        {"openssl", "3.0.15-1~deb12u1", "3.0.15-1~deb12u2", "bookworm-security", true});
  }
  if (kind == FleetKind::kDemo) {
    ApplyDemoProblem(index, host, now);
    if (profile == FleetProfile::kLinuxServer && host.patch.pending.empty()) {
      host.patch.pending.push_back(
          {"openssl", "3.0.15-1~deb12u1", "3.0.15-1~deb12u2", "bookworm-security", true});
    }
  }
  return host;
}

mamori::v1::Snapshot FleetSnapshot(std::uint32_t index, std::uint64_t changes, absl::Time now,
                                   FleetKind kind) {
  mamori::v1::Snapshot snapshot;
  snapshot.mutable_collected_at()->set_seconds(absl::ToUnixSeconds(now));
  *snapshot.mutable_facts() = codec::ToProto(FleetHostFacts(index, changes, now, kind));
  return snapshot;
}

mamori::v1::Heartbeat FleetHeartbeat(std::uint32_t index, std::uint64_t beat, absl::Time now,
                                     FleetKind kind) {
  facts::PowerState power;
  const std::uint64_t mix = Mix(index);
  power.uptime = std::chrono::seconds(3600 + static_cast<std::int64_t>(mix % 200) * 3600 +
                                      static_cast<std::int64_t>(beat) * 60);
  if (ProfileOf(index, kind) != FleetProfile::kLinuxServer) {
    // Mostly in use; now and then idle and locked for a while, as a reception PC at lunch. The
    // demo's PC left on: untouched for hours and not locked.
    const bool left_on = kind == FleetKind::kDemo && index % 8 == kDemoLeftOn;
    const bool idle = left_on || (beat + mix) % 7 == 0;
    power.idle = std::chrono::seconds(left_on ? 5 * 3600 + static_cast<std::int64_t>(beat) * 60
                                      : idle  ? 1800 + static_cast<std::int64_t>(beat % 5) * 300
                                              : static_cast<std::int64_t>(beat % 60));
    facts::UserSession session;
    session.id = "1";
    session.user = "受付";
    session.type = "console";
    session.locked = idle && !left_on;
    power.sessions.push_back(session);
  }
  return agent::HeartbeatFromPower(power, now);
}

}  // namespace mamori::fleet
