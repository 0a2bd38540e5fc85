// The enrolled agent's steady state, shared by the Linux command line (main.cc) and the Windows
// service (windows/service_main.cc): renew the certificate when due, collect and deliver a
// snapshot, wait for the next cycle; what it waits on is the caller's.
#pragma once

#include <filesystem>
#include <functional>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "agent/agent_credentials.h"
#include "agent/agent_state.h"
#include "agent/collector_address.h"
#include "agent/snapshot_cycle.h"
#include "platform/probe.h"

namespace mamori::agent {

// Between cycles: Linux waits for the interval or SIGINT/SIGTERM; the Windows service also for
// pause and continue.
class CycleWaiter {
 public:
  virtual ~CycleWaiter() = default;
  // Waits up to `interval`. True: run the next cycle now. False: stop.
  virtual bool WaitForNextCycle(absl::Duration interval) = 0;
};

struct CollectionLoopOptions {
  absl::Duration interval = absl::Minutes(5);
  bool once = false;  // deliver one snapshot, then return
  absl::Duration delivery_timeout = absl::Seconds(60);
  absl::Duration renewal_timeout = absl::Seconds(20);
  // Called after each snapshot the collector committed.
  std::function<void(const DeliveredSnapshot&)> on_delivered;
  // The probes to run. The Windows service swaps the power probe's idle source for the session
  // helpers' pipe (docs/windows.md); everyone else takes the platform's probes as they are.
  std::function<platform::ProbeRegistry(const platform::ProbeEnvironment&)> make_probes =
      platform::MakeHostProbes;
};

// Runs cycles until `waiter` says stop. A failed delivery is logged and tried again at the next
// cycle; with `once` it is returned instead. A failed renewal is logged: the current certificate
// still works until it expires.
absl::Status RunCollectionLoop(const CollectorAddress& address,
                               const std::filesystem::path& data_dir, AgentCredentials credentials,
                               AgentState& state, const CollectionLoopOptions& options,
                               CycleWaiter& waiter);

}  // namespace mamori::agent
