// The Windows patch probe.
#include "platform/windows/patch_probe.h"

#include <algorithm>
#include <utility>

#include "platform/parse/windows_time.h"
#include "platform/parse/windows_update.h"

namespace mamori::platform {
namespace {

// Windows Update writes this key when an installed update waits for a restart; servicing (CBS)
// writes the second one when a package install needs one. PendingFileRenameOperations is not
// read: installers, antivirus and drivers leave it set for reasons unrelated to updates, on most
// clinic PCs most of the time, so a warning from it would be noise.
constexpr std::string_view kRebootRequiredKey =
    R"(SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired)";
constexpr std::string_view kCbsRebootPendingKey =
    R"(SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending)";
constexpr std::string_view kCbsPackagesKey =
    R"(SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\Packages)";
constexpr std::string_view kWindowsUpdateServiceKey =
    R"(SYSTEM\CurrentControlSet\Services\wuauserv)";
constexpr std::string_view kOrchestratorServiceKey = R"(SYSTEM\CurrentControlSet\Services\UsoSvc)";
constexpr std::string_view kAutomaticUpdatesPolicyKey =
    R"(SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate\AU)";
constexpr uint32_t kServiceDisabled = 4;  // SERVICE_DISABLED

constexpr std::string_view kCimNamespace = R"(ROOT\CIMV2)";
constexpr std::string_view kQuickFixQuery =
    "SELECT HotFixID, Description, InstalledOn FROM Win32_QuickFixEngineering";

std::string Join(const std::vector<std::string>& parts) {
  std::string joined;
  for (const std::string& part : parts) {
    joined += joined.empty() ? part : "; " + part;
  }
  return joined;
}

// Whether Windows has been stopped from fetching updates by itself: the Windows Update service or
// the Update Orchestrator disabled (Start = 4), or Group Policy "Configure Automatic Updates" set
// to Disabled (NoAutoUpdate = 1). The policy is folded in because its effect on the clinic is the
// same: no update arrives unless someone installs it by hand. nullopt when wuauserv's start type
// cannot be read and nothing else says disabled.
std::optional<bool> UpdatesSwitchedOff(RegistryReader& registry) {
  const std::optional<uint32_t> update_service =
      registry.ReadDword(kWindowsUpdateServiceKey, "Start");
  // UsoSvc does not exist before Windows 10 1709: absent is not disabled.
  const std::optional<uint32_t> orchestrator = registry.ReadDword(kOrchestratorServiceKey, "Start");
  const std::optional<uint32_t> no_auto_update =
      registry.ReadDword(kAutomaticUpdatesPolicyKey, "NoAutoUpdate");
  if (update_service == kServiceDisabled || orchestrator == kServiceDisabled ||
      no_auto_update == 1u) {
    return true;
  }
  if (update_service) {
    return false;
  }
  return std::nullopt;
}

// Win32_QuickFixEngineering: what CBS reports as installed hotfixes. Cumulative updates are often
// missing from it (they are servicing packages, see LatestRollup).
std::string ReadQuickFixes(WmiClient& wmi, std::vector<facts::InstalledUpdate>& installed) {
  const WmiQueryResult result = wmi.Query(kCimNamespace, kQuickFixQuery);
  if (!result.ok()) {
    return "installed updates from Win32_QuickFixEngineering unknown: " + result.error;
  }
  for (const WmiObject& object : result.objects) {
    const std::string id = WmiString(object, "HotFixID").value_or("");
    // Windows XP-era entries named "File 1" carry nothing a reader can use.
    if (id.empty() || id == "File 1") {
      continue;
    }
    installed.push_back(
        {id, WmiString(object, "Description").value_or(""),
         parse::ParseQfeInstalledOn(WmiString(object, "InstalledOn").value_or(""))});
  }
  return {};
}

// The newest installed cumulative update from the servicing store: its package name carries the OS
// build it brings (e.g. 19041.5073), its InstallLocation usually the KB, and InstallTimeHigh/Low a
// FILETIME. Superseded rollups stay listed (CurrentState 0x50) and are skipped.
std::string ReadLatestRollup(RegistryReader& registry,
                             std::vector<facts::InstalledUpdate>& installed) {
  // Filtered while enumerating: the store holds thousands of other packages, and "Microsoft-..."
  // sorts before "Package_for_RollupFix".
  const std::vector<std::string> packages =
      registry.ListSubkeysStartingWith(kCbsPackagesKey, "Package_for_RollupFix~");
  if (packages.empty()) {
    return "no cumulative update found: HKLM\\" + std::string(kCbsPackagesKey) +
           " lists no Package_for_RollupFix package";
  }
  std::optional<parse::RollupFixPackage> newest;
  std::string newest_key;
  for (const std::string& name : packages) {
    const std::optional<parse::RollupFixPackage> rollup = parse::ParseRollupFixPackage(name);
    if (!rollup || (newest && *rollup <= *newest)) {
      continue;
    }
    const std::string key = std::string(kCbsPackagesKey) + "\\" + name;
    const std::optional<uint32_t> state = registry.ReadDword(key, "CurrentState");
    if (state && parse::IsCbsStateInstalled(*state)) {
      newest = rollup;
      newest_key = key;
    }
  }
  if (newest) {
    facts::InstalledUpdate update;
    update.id =
        parse::FindKbArticle(registry.ReadString(newest_key, "InstallLocation").value_or(""));
    if (update.id.empty()) {
      update.id = newest_key.substr(kCbsPackagesKey.size() + 1);
    }
    update.title = "Cumulative update, OS build " + newest->BuildText();
    const std::optional<uint32_t> high = registry.ReadDword(newest_key, "InstallTimeHigh");
    const std::optional<uint32_t> low = registry.ReadDword(newest_key, "InstallTimeLow");
    if (high && low) {
      update.installed_at = parse::FromFileTime((uint64_t{*high} << 32) | *low);
    }
    const auto same = std::find_if(installed.begin(), installed.end(),
                                   [&](const auto& known) { return known.id == update.id; });
    if (same == installed.end()) {
      installed.push_back(std::move(update));
    } else if (!same->installed_at) {
      same->installed_at = update.installed_at;
    }
  }
  if (packages.size() >= RegistryReader::kMaxSubkeys) {
    return "the servicing store lists more than " + std::to_string(RegistryReader::kMaxSubkeys) +
           " cumulative update packages; only the first were searched for the latest";
  }
  return {};
}

std::optional<facts::Timestamp> LatestSuccessfulInstall(
    const std::vector<UpdateHistoryEntry>& entries) {
  std::optional<facts::Timestamp> latest;
  for (const UpdateHistoryEntry& entry : entries) {
    if (entry.date && parse::IsSuccessfulInstall(entry.operation, entry.result_code) &&
        (!latest || *entry.date > *latest)) {
      latest = entry.date;
    }
  }
  return latest;
}

std::optional<facts::Timestamp> LatestInstalledAt(
    const std::vector<facts::InstalledUpdate>& installed) {
  std::optional<facts::Timestamp> latest;
  for (const facts::InstalledUpdate& update : installed) {
    if (update.installed_at && (!latest || *update.installed_at > *latest)) {
      latest = update.installed_at;
    }
  }
  return latest;
}

facts::PendingUpdate ToPendingUpdate(const AvailableUpdate& available) {
  facts::PendingUpdate pending;
  pending.name = available.title;
  if (pending.name.empty() && !available.kb_article_ids.empty()) {
    pending.name = "KB" + available.kb_article_ids.front();
  }
  pending.source = "Windows Update";
  pending.security = parse::IsSecurityUpdate(available.msrc_severity, available.category_ids);
  return pending;
}

}  // namespace

WindowsPatchProbe::WindowsPatchProbe(ProbeEnvironment env, std::unique_ptr<RegistryReader> registry,
                                     std::unique_ptr<WmiClient> wmi,
                                     std::unique_ptr<WindowsUpdateAgent> updates,
                                     std::chrono::seconds search_timeout)
    : env_(std::move(env)),
      registry_(std::move(registry)),
      wmi_(std::move(wmi)),
      updates_(std::move(updates)),
      search_timeout_(search_timeout) {}

WindowsPatchProbe::PendingResult WindowsPatchProbe::Pending(facts::Timestamp now) {
  if (searched_at_ && now >= *searched_at_) {
    const auto reuse_for = last_pending_.problem.empty() ? std::chrono::seconds(kSearchInterval)
                                                         : std::chrono::seconds(kRetryInterval);
    // A clock that went backwards (NTP step) also triggers a fresh search.
    if (now - *searched_at_ < reuse_for) {
      return last_pending_;
    }
  }
  PendingResult result;
  const UpdateSearch search = updates_->SearchPending(search_timeout_);
  if (search.ok()) {
    for (const AvailableUpdate& available : search.updates) {
      result.updates.push_back(ToPendingUpdate(available));
    }
    result.truncated = search.truncated;
  } else {
    result.problem = "pending updates unknown: " + search.error;
  }
  searched_at_ = now;
  last_pending_ = result;
  return result;
}

facts::PatchState WindowsPatchProbe::Collect() {
  facts::PatchState patch;
  const facts::Timestamp now = env_.now();
  patch.meta.collected_at = now;
  std::vector<std::string> unknown;  // what leaves the section unknown
  std::vector<std::string> missing;  // what an otherwise usable section lacks

  PendingResult pending = Pending(now);
  patch.pending = std::move(pending.updates);
  if (!pending.problem.empty()) {
    unknown.push_back(std::move(pending.problem));
  } else if (pending.truncated) {
    // Still a definite answer: hundreds of updates are pending.
    missing.push_back("only the first " + std::to_string(WindowsUpdateAgent::kMaxAvailableUpdates) +
                      " pending updates are listed");
  }

  patch.reboot_required =
      registry_->KeyExists(kRebootRequiredKey) || registry_->KeyExists(kCbsRebootPendingKey);

  patch.update_service_disabled = UpdatesSwitchedOff(*registry_);
  if (!patch.update_service_disabled) {
    missing.push_back("update service state unknown: cannot read Start under HKLM\\" +
                      std::string(kWindowsUpdateServiceKey));
  }

  if (std::string problem = ReadQuickFixes(*wmi_, patch.installed); !problem.empty()) {
    missing.push_back(std::move(problem));
  }
  if (std::string problem = ReadLatestRollup(*registry_, patch.installed); !problem.empty()) {
    missing.push_back(std::move(problem));
  }

  const UpdateHistory history = updates_->History();
  if (history.ok()) {
    patch.last_update_installed = LatestSuccessfulInstall(history.entries);
  } else {
    missing.push_back("update history unknown: " + history.error);
  }
  // Without a usable history, the newest install date the installed updates carry still shows
  // that updating happened (dates only: InstalledOn has no time).
  if (!patch.last_update_installed) {
    patch.last_update_installed = LatestInstalledAt(patch.installed);
  }

  // Only Automatic Updates' own searches count: the probe's searches say nothing about whether the
  // PC keeps itself up to date, and WUA does not record them here.
  const AutomaticSearch automatic = updates_->LastAutomaticSearch();
  if (automatic.ok()) {
    patch.last_update_check = automatic.succeeded_at;
  } else {
    missing.push_back("last automatic update search unknown: " + automatic.error);
  }

  if (!unknown.empty()) {
    unknown.insert(unknown.end(), missing.begin(), missing.end());
    patch.meta.status = facts::ProbeStatus::Unknown(Join(unknown));
  } else {
    patch.meta.status = facts::ProbeStatus{facts::ProbeState::kOk, Join(missing)};
  }
  return patch;
}

}  // namespace mamori::platform
