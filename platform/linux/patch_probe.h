// The Linux patch probe (apt systems): which updates are pending and whether any is a security
// update, when updates were last installed and checked for, and whether a reboot is due.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/linux/package_update_source.h"
#include "platform/probe.h"

namespace mamori::platform {

class LinuxPatchProbe final : public Probe<facts::PatchState> {
 public:
  // The simulation costs seconds to minutes of CPU on a clinic PC, so it runs at most this often;
  // collections in between report the last result.
  static constexpr std::chrono::hours kSimulationInterval{1};

  // updates may be null (fixture roots, hosts without /usr/bin/apt-get): the pending updates are
  // then unknown, with the reason. MakeHostProbes passes the real apt-get only when root is "/".
  LinuxPatchProbe(ProbeEnvironment env, std::unique_ptr<PackageUpdateSource> updates);

  std::string_view Name() const override { return "linux patch"; }
  // Unknown (with every reason) when the host has no dpkg, or the pending updates could not be
  // learnt; the facts that could be read are filled either way. os_support_ends is left to the
  // rules engine, which owns the end-of-support table.
  facts::PatchState Collect() override;

 private:
  struct PendingResult {
    std::vector<facts::PendingUpdate> updates;
    std::string problem;  // empty when `updates` is the full list
  };
  PendingResult Pending();

  ProbeEnvironment env_;
  std::unique_ptr<PackageUpdateSource> updates_;
  std::optional<facts::Timestamp> simulated_at_;
  PendingResult last_pending_;
};

}  // namespace mamori::platform
