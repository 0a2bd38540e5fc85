// One loop for both OSes, so a fix to renewal or delivery reaches Linux and Windows alike. This
// thread collects and spools; SpoolDelivery's thread sends.
#include "agent/collection_loop.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/time/clock.h"
#include "agent/collection_schedule.h"
#include "agent/heartbeat_cycle.h"
#include "agent/host_name.h"
#include "agent/snapshot_digest.h"
#include "platform/probe.h"
#include "proto/codec/facts_codec.h"
#include "proto/connect_stream.h"
#include "spdlog/spdlog.h"

namespace mamori::agent {
namespace {

namespace spool = ::mamori::platform::spool;
namespace v1 = ::mamori::v1;

// Beside the spool's files: the digest of the last snapshot spooled (snapshot_digest.h).
constexpr char kLastSnapshotFile[] = "last-snapshot.json";
// Room for the seq set when the record is sent (tag + varint of a uint64).
constexpr std::size_t kSeqFieldBytes = 12;

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

  absl::StatusOr<std::unique_ptr<spool::Spool>> opened =
      OpenAgentSpool(data_dir, state, options.spool_max_bytes);
  if (!opened.ok()) {
    return opened.status();
  }
  spool::Spool& records = **opened;
  const std::filesystem::path last_snapshot_file = AgentSpoolDir(data_dir) / kLastSnapshotFile;
  std::optional<LastSnapshot> last_spooled = LoadLastSnapshot(last_snapshot_file);

  spdlog::info(
      "agent {} reporting to {} over mutual TLS: a snapshot every {} when facts change (at least "
      "daily), a heartbeat every {}",
      state.agent_id(), address.Target(), absl::FormatDuration(schedule.snapshot_interval),
      absl::FormatDuration(schedule.heartbeat_interval));

  // Renewal (this thread) and new streams (the delivery thread) share the credentials.
  std::mutex credentials_mu;
  auto channels = [&]() {
    std::lock_guard lock(credentials_mu);
    return CollectorChannel(address, credentials.ca_pem, &credentials);
  };

  // What this run spooled, reported to the caller once the collector committed it.
  std::mutex spooled_mu;
  std::map<std::uint64_t, DeliveredSnapshot> spooled_snapshots;
  std::set<std::uint64_t> spooled_heartbeats;
  std::atomic<bool> collector_behind{false};
  DeliveryEvents events;
  events.acknowledged = [&](std::uint64_t up_to) {
    std::vector<DeliveredSnapshot> snapshots;
    std::vector<std::uint64_t> heartbeats;
    {
      std::lock_guard lock(spooled_mu);
      for (auto it = spooled_snapshots.begin();
           it != spooled_snapshots.end() && it->first <= up_to;) {
        snapshots.push_back(it->second);
        it = spooled_snapshots.erase(it);
      }
      for (auto it = spooled_heartbeats.begin(); it != spooled_heartbeats.end() && *it <= up_to;) {
        heartbeats.push_back(*it);
        it = spooled_heartbeats.erase(it);
      }
    }
    for (const DeliveredSnapshot& snapshot : snapshots) {
      if (options.on_delivered) {
        options.on_delivered(snapshot);
      }
    }
    for (const std::uint64_t seq : heartbeats) {
      spdlog::debug("delivered heartbeat seq {}", seq);
      if (options.on_heartbeat) {
        options.on_heartbeat(seq);
      }
    }
  };
  events.collector_behind = [&collector_behind] { collector_behind = true; };
  SpoolDelivery delivery(records, channels, state.agent_id(), ThisHostName(), options.delivery,
                         events);
  if (!options.once) {
    delivery.Start();
  }

  auto spool_heartbeat = [&](const facts::PowerState& power) {
    v1::AgentMessage message;
    *message.mutable_heartbeat() = HeartbeatFromPower(power, absl::Now());
    const spool::AppendResult appended =
        records.Append(spool::RecordKind::kHeartbeat, SpoolPayload(message));
    if (!appended.ok()) {
      // Not retried: the next heartbeat says the same, only fresher.
      spdlog::warn("heartbeat not spooled: {}", appended.error);
      return;
    }
    if (appended.heartbeats_thinned > 0) {
      spdlog::warn("the spool is full: {} older heartbeats were dropped to make room",
                   appended.heartbeats_thinned);
    }
    {
      std::lock_guard lock(spooled_mu);
      spooled_heartbeats.insert(appended.id);
    }
    delivery.Notify();
  };

  Collection next = Collection::kSnapshot;
  absl::Time last_snapshot;
  std::optional<absl::Time> last_heartbeat;
  absl::Status once_result = absl::OkStatus();
  while (true) {
    {
      std::lock_guard lock(credentials_mu);
      RenewIfDue(address, data_dir, credentials, options.renewal_timeout);
    }
    if (next == Collection::kSnapshot) {
      const facts::HostFacts host = platform::CollectHostFacts(probes, env);
      const absl::Time now = absl::Now();
      v1::AgentMessage message;
      v1::Snapshot* snapshot = message.mutable_snapshot();
      snapshot->mutable_collected_at()->set_seconds(absl::ToUnixSeconds(now));
      *snapshot->mutable_facts() = codec::ToProto(host);
      const std::string digest = FactsDigest(snapshot->facts());
      const bool forced = options.once || collector_behind.exchange(false);
      if (!forced && !SnapshotDue(last_spooled, digest, now)) {
        spdlog::debug("facts unchanged since the snapshot of {}: a heartbeat instead",
                      absl::FormatTime(last_spooled->spooled_at));
        spool_heartbeat(host.power);
      } else if (const std::size_t size = message.ByteSizeLong();
                 size + kSeqFieldBytes > wire::kMaxAgentMessageBytes) {
        spdlog::error(
            "the snapshot of this PC is {} bytes, above the collector's bound of {} bytes: it "
            "cannot be delivered and is not spooled",
            size, wire::kMaxAgentMessageBytes);
      } else {
        const spool::AppendResult appended =
            records.Append(spool::RecordKind::kSnapshot, SpoolPayload(message));
        if (!appended.ok()) {
          spdlog::error("snapshot not spooled (collected again at the next snapshot time): {}",
                        appended.error);
        } else {
          if (appended.heartbeats_thinned > 0) {
            spdlog::warn("the spool is full: {} older heartbeats were dropped to make room",
                         appended.heartbeats_thinned);
          }
          {
            std::lock_guard lock(spooled_mu);
            spooled_snapshots.emplace(appended.id,
                                      DeliveredSnapshot{appended.id, host.inventory.hostname,
                                                        host.inventory.os_pretty_name});
          }
          last_spooled = LastSnapshot{digest, now};
          if (absl::Status saved = SaveLastSnapshot(last_snapshot_file, *last_spooled);
              !saved.ok()) {
            // The cost is one snapshot at the next cycle that may repeat this one.
            spdlog::warn("could not record the snapshot's digest: {}", saved.ToString());
          }
          if (!host.inventory.hostname.empty()) {
            delivery.SetHostname(host.inventory.hostname);
          }
          delivery.Notify();
        }
      }
      last_snapshot = ScheduleNow();
      last_heartbeat.reset();
      if (options.once) {
        once_result = delivery.DrainOnce(absl::Now() + options.delivery_timeout);
        if (!once_result.ok()) {
          spdlog::error("delivery failed (the records stay in the spool): {}",
                        once_result.ToString());
        }
        break;
      }
    } else {
      spool_heartbeat(CollectPowerState(probes, env));
      last_heartbeat = ScheduleNow();
    }
    const DueCollection due = NextCollection(schedule, last_snapshot, last_heartbeat);
    if (!waiter.WaitForNextCycle(std::max(due.at - ScheduleNow(), absl::ZeroDuration()))) {
      break;
    }
    next = CollectionAfterWait(due, ScheduleNow());
  }
  delivery.Stop();
  spdlog::info("agent stopped");
  return once_result;
}

}  // namespace mamori::agent
