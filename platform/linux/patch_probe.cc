// The Linux patch probe.
#include "platform/linux/patch_probe.h"

#include <sys/stat.h>

#include <ctime>
#include <utility>

#include "platform/linux/bounded_file.h"
#include "platform/parse/apt_history.h"
#include "platform/parse/apt_simulation.h"

namespace mamori::platform {
namespace {

// The recent end of history.log is what tells the last upgrade; the log grows until logrotate
// runs (monthly), to a few MiB on a busy host.
constexpr std::size_t kHistoryTailBytes = 1024 * 1024;

bool IsLiveRoot(const std::filesystem::path& root) {
  return root.lexically_normal() == std::filesystem::path("/");
}

std::string Describe(const std::filesystem::path& root, std::string_view relative) {
  std::string described = "/" + std::string(relative);
  if (!IsLiveRoot(root)) {
    described += " under root " + root.string();
  }
  return described;
}

std::optional<facts::Timestamp> ModifiedAt(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
    return std::nullopt;
  }
  return facts::Timestamp(std::chrono::seconds(info.st_mtim.tv_sec));
}

bool Exists(const std::filesystem::path& path) {
  struct stat info {};
  return ::lstat(path.c_str(), &info) == 0;
}

// history.log holds local times without a zone. On the live host the C library knows the zone
// (/etc/localtime); a fixture tree's zone is not known to this process, so its times are read as
// UTC (at most half a day off, which no rule about weeks-old updates notices).
std::optional<facts::Timestamp> LocalToUtc(std::chrono::local_seconds local, bool live_host) {
  const facts::Timestamp as_utc(local.time_since_epoch());
  if (!live_host) {
    return as_utc;
  }
  const std::time_t seconds = std::chrono::system_clock::to_time_t(as_utc);
  std::tm fields{};
  if (::gmtime_r(&seconds, &fields) == nullptr) {
    return std::nullopt;
  }
  fields.tm_isdst = -1;
  const std::time_t converted = ::mktime(&fields);
  if (converted == static_cast<std::time_t>(-1)) {
    return std::nullopt;
  }
  return facts::Timestamp(std::chrono::seconds(converted));
}

}  // namespace

LinuxPatchProbe::LinuxPatchProbe(ProbeEnvironment env, std::unique_ptr<PackageUpdateSource> updates)
    : env_(std::move(env)), updates_(std::move(updates)) {}

LinuxPatchProbe::PendingResult LinuxPatchProbe::Pending() {
  if (!updates_) {
    return {{},
            "pending updates unknown: apt-get is run only on the live host (root \"/\" with "
            "/usr/bin/apt-get); another root needs a recorded simulation at "
            "/var/cache/mamori/apt-get-simulate.txt"};
  }
  const facts::Timestamp now = env_.now();
  // A clock that went backwards (NTP step) also triggers a fresh run.
  if (simulated_at_ && now >= *simulated_at_ && now - *simulated_at_ < kSimulationInterval) {
    return last_pending_;
  }
  PendingResult result;
  const SimulationOutput output = updates_->Simulate();
  if (!output.ok()) {
    result.problem = "pending updates unknown: " + output.error;
  } else if (auto simulation = parse::ParseAptSimulation(output.text)) {
    // A truncated list is still a definite answer: thousands of updates are pending.
    result.updates = std::move(simulation->updates);
  } else {
    result.problem = "pending updates unknown: apt-get's output is not a simulation";
  }
  // Failures are remembered too: a host whose apt is broken is not asked every cycle.
  simulated_at_ = now;
  last_pending_ = result;
  return result;
}

facts::PatchState LinuxPatchProbe::Collect() {
  facts::PatchState patch;
  patch.meta.collected_at = env_.now();
  const std::filesystem::path& root = env_.root;
  if (!Exists(root / "var/lib/dpkg")) {
    patch.meta.status =
        facts::ProbeStatus::Unknown("not an apt/dpkg system: no " + Describe(root, "var/lib/dpkg") +
                                    " (only apt-based distributions are probed for updates)");
    return patch;
  }
  std::vector<std::string> problems;

  PendingResult pending = Pending();
  patch.pending = std::move(pending.updates);
  if (!pending.problem.empty()) {
    problems.push_back(std::move(pending.problem));
  }

  // Debian's kernel and libc packages (and update-notifier on Ubuntu) create this file; /var/run is
  // a symlink to /run on current systems but a separate directory on old or fixture trees.
  patch.reboot_required =
      Exists(root / "run/reboot-required") || Exists(root / "var/run/reboot-required");

  const std::filesystem::path history = root / "var/log/apt/history.log";
  if (const FileText log = ReadFileTail(history, kHistoryTailBytes); log.ok()) {
    if (const auto local = parse::ParseAptHistoryLastUpgrade(log.text)) {
      patch.last_update_installed = LocalToUtc(*local, IsLiveRoot(root));
    }
  }
  // APT::Periodic (apt.systemd.daily) touches the stamp after each successful `apt-get update`;
  // without it the last check is unknown, not "never".
  patch.last_update_check = ModifiedAt(root / "var/lib/apt/periodic/update-success-stamp");

  if (problems.empty()) {
    patch.meta.status = facts::ProbeStatus::Ok();
  } else {
    std::string reason;
    for (const std::string& problem : problems) {
      reason += reason.empty() ? problem : "; " + problem;
    }
    patch.meta.status = facts::ProbeStatus::Unknown(std::move(reason));
  }
  return patch;
}

}  // namespace mamori::platform
