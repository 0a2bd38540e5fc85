// The Windows patch probe: pending updates and whether any is a security update, installed updates,
// when updates were last installed and searched for, whether a reboot is due, and whether Windows
// has been stopped from updating itself.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/probe.h"
#include "platform/windows/registry_reader.h"
#include "platform/windows/windows_update_agent.h"
#include "platform/windows/wmi_client.h"

namespace mamori::platform {

class WindowsPatchProbe final : public Probe<facts::PatchState> {
 public:
  // The pending-update search asks Windows Update (or the clinic's WSUS) over the network and takes
  // tens of seconds, so a successful answer is reused for this long; Windows itself searches about
  // once a day, and Microsoft publishes monthly, so fresher answers would tell nothing new.
  static constexpr std::chrono::hours kSearchInterval{6};
  // A failed or timed-out search (PC offline at boot, proxy down) is retried sooner.
  static constexpr std::chrono::hours kRetryInterval{1};
  // Windows 10/11 answer in 10-60 s; a search still running after this is aborted and the pending
  // updates are reported unknown rather than holding up the whole collection.
  static constexpr std::chrono::seconds kSearchTimeout{180};

  // search_timeout is kSearchTimeout except in tests that run the real agent under Wine.
  WindowsPatchProbe(ProbeEnvironment env, std::unique_ptr<RegistryReader> registry,
                    std::unique_ptr<WmiClient> wmi, std::unique_ptr<WindowsUpdateAgent> updates,
                    std::chrono::seconds search_timeout = kSearchTimeout);

  std::string_view Name() const override { return "windows patch"; }
  // Unknown (with every reason) when the pending updates could not be learnt: MAM-PATCH-001 must
  // not pass on a host that was never asked. Otherwise ok; when a secondary source failed
  // (Win32_QuickFixEngineering, the history, the last automatic search, the servicing store) the
  // status stays ok and its reason says what is missing. os_support_ends is left to the rules
  // engine, which owns the end-of-support table.
  facts::PatchState Collect() override;

 private:
  struct PendingResult {
    std::vector<facts::PendingUpdate> updates;
    bool truncated = false;
    std::string problem;  // empty when `updates` is the answer
  };
  PendingResult Pending(facts::Timestamp now);

  ProbeEnvironment env_;
  std::unique_ptr<RegistryReader> registry_;
  std::unique_ptr<WmiClient> wmi_;
  std::unique_ptr<WindowsUpdateAgent> updates_;
  std::chrono::seconds search_timeout_;
  std::optional<facts::Timestamp> searched_at_;
  PendingResult last_pending_;
};

}  // namespace mamori::platform
