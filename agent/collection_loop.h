// The enrolled agent's steady state, shared by the Linux command line (main.cc) and the Windows
// service (windows/service_main.cc): renew the certificate when due, deliver a snapshot every
// snapshot interval and heartbeats between them, wait for what is due next; what it waits on is the
// caller's.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "agent/agent_credentials.h"
#include "agent/agent_options.h"
#include "agent/agent_spool.h"
#include "agent/agent_state.h"
#include "agent/collector_address.h"
#include "agent/snapshot_cycle.h"
#include "agent/spool_delivery.h"
#include "platform/probe.h"

namespace mamori::agent {

// Between cycles: Linux waits for the interval or SIGINT/SIGTERM; the Windows service also for
// pause and continue.
class CycleWaiter {
 public:
  virtual ~CycleWaiter() = default;
  // Waits up to `interval`. True: run the next cycle now (a wait ended early asks for a snapshot).
  // False: stop.
  virtual bool WaitForNextCycle(absl::Duration interval) = 0;
};

struct CollectionLoopOptions {
  absl::Duration snapshot_interval = absl::FromChrono(kDefaultSnapshotInterval);
  // At most snapshot_interval (CheckHeartbeatInterval); equal means no heartbeats in between.
  absl::Duration heartbeat_interval = absl::FromChrono(kDefaultHeartbeatInterval);
  bool once = false;  // deliver one snapshot (and whatever the spool still holds), then return
  // With `once`: how long the one stream may take. Otherwise records wait in the spool for as
  // long as the collector is away.
  absl::Duration delivery_timeout = absl::Seconds(60);
  // The bound of DATA_DIR/spool (docs/spool.md): full, heartbeats are thinned first.
  std::uint64_t spool_max_bytes = kDefaultSpoolMaxBytes;
  DeliverySettings delivery;
  absl::Duration renewal_timeout = absl::Seconds(20);
  // Called after each snapshot of this run the collector committed (from the delivery thread).
  std::function<void(const DeliveredSnapshot&)> on_delivered;
  // Called after each heartbeat of this run the collector committed, with its seq.
  std::function<void(uint64_t seq)> on_heartbeat;
  // The probes to run. The Windows service swaps the power probe's idle source for the session
  // helpers' pipe (docs/windows.md); everyone else takes the platform's probes as they are.
  std::function<platform::ProbeRegistry(const platform::ProbeEnvironment&)> make_probes =
      platform::MakeHostProbes;
};

// Runs until `waiter` says stop: a snapshot at once, then what NextCollection says is due. Each
// record is appended to the spool (DATA_DIR/spool) before it is sent; one long-lived
// stream delivers the spool in the background and reconnects with backoff (spool_delivery.h). A
// snapshot whose facts did not change since the last one spooled is replaced by a heartbeat, but a
// full snapshot goes out at least daily (snapshot_digest.h). A record the spool refuses is logged
// (a snapshot is collected again at the next snapshot time). With `once` the snapshot is always
// spooled and one stream delivers the spool; its failure is returned (the records stay spooled for
// the next run). A failed renewal is logged: the current certificate still works until it expires.
absl::Status RunCollectionLoop(const CollectorAddress& address,
                               const std::filesystem::path& data_dir, AgentCredentials credentials,
                               AgentState& state, const CollectionLoopOptions& options,
                               CycleWaiter& waiter);

}  // namespace mamori::agent
