// The engine of mamori-fleetsim (TEST ONLY): many enrolled agents in one process, each with its
// own mutual-TLS channel and one long-lived Connect stream on gRPC's callback API (no thread per
// agent), sending heartbeats and snapshots with the agent's seq discipline: every record kept in
// memory until its Ack, everything unacknowledged resent after a reconnect from the Welcome's
// last_committed_seq on, reconnects paced by the agent's own backoff (agent/reconnect_backoff.h).
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <ostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "agent/agent_credentials.h"
#include "agent/collector_address.h"
#include "agent/reconnect_backoff.h"
#include "agent/spool_delivery.h"
#include "mamori/v1/agent.grpc.pb.h"
#include "tests/load/fleet_facts.h"

namespace mamori::fleet {

struct FleetOptions {
  agent::CollectorAddress collector;
  absl::Duration heartbeat_interval = absl::Minutes(5);
  absl::Duration snapshot_interval = absl::Minutes(15);
  // The share of snapshot collections that found changed facts and so send a snapshot (the agent
  // sends a snapshot only when its facts changed).
  double change_rate = 1.0;
  absl::Duration duration = absl::Minutes(1);
  // Initial connections are spread uniformly over this time.
  absl::Duration ramp = absl::Seconds(5);
  // Records queued per agent before its first Welcome (a spooled backlog being drained).
  int backlog_snapshots = 0;
  int backlog_heartbeats = 0;
  // Records written on a stream before their Acks arrive: the real agent's window by default.
  int in_flight = static_cast<int>(agent::DeliverySettings{}.window_records);
  // Unacknowledged records an agent keeps; a record that would exceed it is not produced.
  std::size_t max_pending = 100'000;
  agent::ReconnectBackoff backoff;
  bool record_log = false;
  std::uint64_t seed = 1;
  // Load (healthy varied PCs) or the demo clinic (fleet_facts.h).
  FleetKind kind = FleetKind::kLoad;
};

// Latency of Acks with 0.1 ms resolution up to 60 s (beyond: counted in the last bucket).
class LatencyHistogram {
 public:
  LatencyHistogram() : buckets_(kBuckets + 1, 0) {}
  void Add(absl::Duration latency);
  std::uint64_t count() const { return count_; }
  // The q-quantile (0..1); zero when empty.
  absl::Duration Quantile(double q) const;
  absl::Duration max() const { return max_; }

 private:
  static constexpr std::size_t kBuckets = 600'000;
  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
  absl::Duration max_ = absl::ZeroDuration();
};

// What the whole fleet did; counters are updated from gRPC's threads.
struct FleetCounters {
  std::atomic<std::uint64_t> produced_snapshots{0};
  std::atomic<std::uint64_t> produced_heartbeats{0};
  std::atomic<std::uint64_t> sent{0};    // writes, resends included
  std::atomic<std::uint64_t> resent{0};  // writes of a record already written on an older stream
  std::atomic<std::uint64_t> acked_snapshots{0};
  std::atomic<std::uint64_t> acked_heartbeats{0};
  std::atomic<std::uint64_t> not_produced_queue_full{0};
  std::atomic<std::uint64_t> connect_attempts{0};
  std::atomic<std::uint64_t> welcomes{0};
  std::atomic<std::int64_t> connected{0};
  std::atomic<std::int64_t> live_streams{0};
  std::atomic<std::uint64_t> pending{0};  // unacknowledged records held by all agents
};

class SimulatedAgent;

class FleetSimulator {
 public:
  // One enrolled identity per agent; `indexes[i]` chooses agent i's facts and host name.
  FleetSimulator(FleetOptions options, std::vector<agent::AgentCredentials> identities,
                 std::vector<std::uint32_t> indexes);
  ~FleetSimulator();
  FleetSimulator(const FleetSimulator&) = delete;
  FleetSimulator& operator=(const FleetSimulator&) = delete;

  // Connects every agent (spread over options.ramp) and produces records until options.duration
  // has passed. Returns at once; the scheduler runs on its own thread.
  void Start();
  bool ProductionEnded() const;
  // Ends production now (SIGINT): what is pending is still drained.
  void EndProduction();
  // Waits until no agent holds an unacknowledged record, or `timeout`. True when drained.
  bool Drain(absl::Duration timeout);
  // Cancels every stream and waits (up to `timeout`) for gRPC to finish them.
  void Stop(absl::Duration timeout);

  std::size_t size() const { return agents_.size(); }
  const FleetCounters& counters() const { return counters_; }
  LatencyHistogram LatencySnapshot() const;
  std::map<std::string, std::uint64_t> Errors() const;
  // Epoch milliseconds when every agent was connected (after not being so) and when the first one
  // dropped after that: the reconnect storm's timeline.
  std::vector<std::int64_t> AllConnectedAtMs() const;
  std::vector<std::int64_t> DroppedAtMs() const;
  std::int64_t max_connected() const;

  // Every (agent id, seq, kind, acked) produced in this run, one per line, tab-separated.
  void WriteRecordLog(std::ostream& out) const;

  // Called by the agents.
  void RecordLatency(absl::Duration latency);
  void RecordError(const std::string& kind);
  void ConnectedChanged(int delta);
  void ScheduleConnect(std::size_t agent, absl::Time at);
  FleetCounters& mutable_counters() { return counters_; }
  const FleetOptions& options() const { return options_; }
  bool stopping() const { return stopping_.load(); }

 private:
  enum class EventKind { kConnect, kHeartbeat, kSnapshot };
  struct Event {
    absl::Time at;
    std::size_t agent;
    EventKind kind;
    bool operator>(const Event& other) const { return at > other.at; }
  };
  void Schedule(Event event);
  void RunScheduler();

  const FleetOptions options_;
  std::vector<std::unique_ptr<SimulatedAgent>> agents_;
  FleetCounters counters_;
  // Unix nanoseconds; read by the scheduler thread, moved earlier by EndProduction().
  std::atomic<std::int64_t> production_end_ns_{std::numeric_limits<std::int64_t>::max()};

  mutable absl::Mutex events_mu_;
  std::vector<Event> events_ ABSL_GUARDED_BY(events_mu_);  // a min-heap on `at`
  bool scheduler_stop_ ABSL_GUARDED_BY(events_mu_) = false;
  std::thread scheduler_;

  mutable absl::Mutex stats_mu_;
  LatencyHistogram latency_ ABSL_GUARDED_BY(stats_mu_);
  std::map<std::string, std::uint64_t> errors_ ABSL_GUARDED_BY(stats_mu_);
  bool all_connected_ ABSL_GUARDED_BY(stats_mu_) = false;
  std::int64_t max_connected_ ABSL_GUARDED_BY(stats_mu_) = 0;
  std::vector<std::int64_t> all_connected_at_ms_ ABSL_GUARDED_BY(stats_mu_);
  std::vector<std::int64_t> dropped_at_ms_ ABSL_GUARDED_BY(stats_mu_);

  std::atomic<bool> stopping_{false};
};

}  // namespace mamori::fleet
