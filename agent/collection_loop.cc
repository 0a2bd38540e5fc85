// One loop for both OSes, so a fix to renewal or delivery reaches Linux and Windows alike.
#include "agent/collection_loop.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <grpcpp/grpcpp.h>

#include "absl/time/clock.h"
#include "agent/collection_schedule.h"
#include "agent/heartbeat_cycle.h"
#include "agent/host_name.h"
#include "platform/probe.h"
#include "spdlog/spdlog.h"

namespace mamori::agent {
namespace {

// The schedule runs on the steady clock, so a step of the wall clock (NTP, someone setting the
// time) neither stops heartbeats nor sends a burst of them. Records carry wall-clock times.
absl::Time ScheduleNow() {
  return absl::UnixEpoch() + absl::FromChrono(std::chrono::steady_clock::now().time_since_epoch());
}

void RenewIfDue(const CollectorAddress& address, const std::filesystem::path& data_dir,
                AgentCredentials& credentials, absl::Duration timeout) {
  if (!RenewalDue(credentials.certificate, absl::Now())) {
    return;
  }
  absl::StatusOr<AgentCredentials> renewed =
      RenewCertificate(address, data_dir, credentials, timeout);
  if (renewed.ok()) {
    spdlog::info("renewed the certificate; valid until {}",
                 absl::FormatTime(renewed->certificate.NotAfter()));
    credentials = *std::move(renewed);
  } else {
    // The current certificate still works until it expires; the next record tries again.
    spdlog::warn("certificate renewal failed: {}", renewed.status().ToString());
  }
}

}  // namespace

absl::Status RunCollectionLoop(const CollectorAddress& address,
                               const std::filesystem::path& data_dir, AgentCredentials credentials,
                               AgentState& state, const CollectionLoopOptions& options,
                               CycleWaiter& waiter) {
  const platform::ProbeEnvironment env;
  platform::ProbeRegistry probes = options.make_probes(env);
  const CollectionSchedule schedule{
      options.snapshot_interval, std::min(options.heartbeat_interval, options.snapshot_interval)};
  spdlog::info(
      "agent {} reporting to {} over mutual TLS: a snapshot every {}, a heartbeat every {}",
      state.agent_id(), address.Target(), absl::FormatDuration(schedule.snapshot_interval),
      absl::FormatDuration(schedule.heartbeat_interval));
  // The Hello of a heartbeat names the host as its last snapshot did.
  std::string hostname = ThisHostName();
  Collection next = Collection::kSnapshot;
  absl::Time last_snapshot;
  std::optional<absl::Time> last_heartbeat;
  while (true) {
    RenewIfDue(address, data_dir, credentials, options.renewal_timeout);
    const std::shared_ptr<grpc::Channel> channel =
        CollectorChannel(address, credentials.ca_pem, &credentials);
    if (next == Collection::kSnapshot) {
      absl::StatusOr<DeliveredSnapshot> delivered =
          CollectAndDeliver(state, probes, env, channel, options.delivery_timeout);
      if (delivered.ok()) {
        hostname = delivered->hostname;
        if (options.on_delivered) {
          options.on_delivered(*delivered);
        }
      } else {
        spdlog::error("delivery failed: {}", delivered.status().ToString());
        if (options.once) {
          return delivered.status();
        }
      }
      last_snapshot = ScheduleNow();
      last_heartbeat.reset();
      if (options.once) {
        break;
      }
    } else {
      const facts::PowerState power = CollectPowerState(probes, env);
      absl::StatusOr<uint64_t> seq =
          DeliverHeartbeat(state, power, hostname, channel, options.delivery_timeout);
      if (seq.ok()) {
        spdlog::debug("delivered heartbeat seq {}", *seq);
        if (options.on_heartbeat) {
          options.on_heartbeat(*seq);
        }
      } else {
        // Dropped, not retried: the next heartbeat says the same, only fresher.
        spdlog::warn("heartbeat not delivered: {}", seq.status().ToString());
      }
      last_heartbeat = ScheduleNow();
    }
    const DueCollection due = NextCollection(schedule, last_snapshot, last_heartbeat);
    if (!waiter.WaitForNextCycle(std::max(due.at - ScheduleNow(), absl::ZeroDuration()))) {
      break;
    }
    next = CollectionAfterWait(due, ScheduleNow());
  }
  spdlog::info("agent stopped");
  return absl::OkStatus();
}

}  // namespace mamori::agent
