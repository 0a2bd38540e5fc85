#include "tests/load/fleet_simulator.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/load/fleet_facts.h"

namespace mamori::fleet {
namespace {

std::int64_t EpochMs(absl::Time t) { return absl::ToUnixMillis(t); }

const char* StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    default:
      return "OTHER";
  }
}

}  // namespace

void LatencyHistogram::Add(absl::Duration latency) {
  const std::int64_t tenths_of_ms = absl::ToInt64Microseconds(latency) / 100;
  const std::size_t bucket =
      static_cast<std::size_t>(std::clamp<std::int64_t>(tenths_of_ms, 0, kBuckets));
  ++buckets_[bucket];
  ++count_;
  max_ = std::max(max_, latency);
}

absl::Duration LatencyHistogram::Quantile(double q) const {
  if (count_ == 0) {
    return absl::ZeroDuration();
  }
  const std::uint64_t rank =
      std::max<std::uint64_t>(1, static_cast<std::uint64_t>(q * static_cast<double>(count_) + 0.5));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      // The bucket's upper edge: a conservative figure.
      return absl::Microseconds(static_cast<std::int64_t>(i + 1) * 100);
    }
  }
  return max_;
}

// One agent's stream: Hello, then records written as the agent hands them over, Welcome and Acks
// read in a loop. A hold keeps the reactor alive while writes may still be started from outside
// its reactions (the scheduler's thread); it is released once reading ends, after which no new
// operation starts, so OnDone comes only after every started operation completed.
class AgentStream final
    : public grpc::ClientBidiReactor<mamori::v1::AgentMessage, mamori::v1::CollectorMessage> {
 public:
  explicit AgentStream(SimulatedAgent& agent) : agent_(agent) {}

  grpc::ClientContext& context() { return context_; }
  mamori::v1::CollectorMessage& incoming() { return incoming_; }

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnDone(const grpc::Status& status) override;

 private:
  SimulatedAgent& agent_;
  grpc::ClientContext context_;
  mamori::v1::CollectorMessage incoming_;
};

class SimulatedAgent {
 public:
  SimulatedAgent(FleetSimulator& fleet, std::size_t slot, std::uint32_t index,
                 agent::AgentCredentials credentials)
      : fleet_(fleet),
        slot_(slot),
        index_(index),
        kind_(fleet.options().kind),
        credentials_(std::move(credentials)),
        rng_(fleet.options().seed * 0x9e3779b97f4a7c15ULL + index) {
    const FleetOptions& options = fleet_.options();
    const absl::Time now = absl::Now();
    for (int i = 0; i < options.backlog_snapshots; ++i) {
      Queue(MakeSnapshot(now - options.snapshot_interval * (options.backlog_snapshots - i)), true);
    }
    for (int i = 0; i < options.backlog_heartbeats; ++i) {
      Queue(MakeHeartbeat(now - options.heartbeat_interval * (options.backlog_heartbeats - i)),
            false);
    }
  }

  std::mt19937_64& rng() { return rng_; }

  // On the scheduler thread: a new channel (the agent's own: every attempt uses a fresh one) and
  // a Connect stream that starts with Hello.
  void Connect() {
    absl::MutexLock lock(&mu_);
    if (fleet_.stopping() || stream_ != nullptr) {
      return;
    }
    fleet_.mutable_counters().connect_attempts++;
    channel_ =
        agent::CollectorChannel(fleet_.options().collector, credentials_.ca_pem, &credentials_);
    stub_ = mamori::v1::AgentGateway::NewStub(channel_);
    stream_ = new AgentStream(*this);
    stream_alive_ = true;
    welcomed_ = false;
    writing_ = false;
    cursor_ = 0;
    stream_started_ = absl::Now();
    fleet_.mutable_counters().live_streams++;
    stub_->async()->Connect(&stream_->context(), stream_);
    stream_->AddHold();
    hello_.Clear();
    mamori::v1::Hello& hello = *hello_.mutable_hello();
    hello.set_agent_id(credentials_.agent_id());
    hello.set_agent_version("fleetsim");
    hello.set_last_acked_seq(highest_acked_);
    hello.set_hostname(FleetHostname(index_, kind_));
    hello.mutable_agent_time()->set_seconds(absl::ToUnixSeconds(stream_started_));
    writing_ = true;
    stream_->StartWrite(&hello_);
    stream_->StartRead(&stream_->incoming());
    stream_->StartCall();
  }

  void ProduceHeartbeat(absl::Time now) { Queue(MakeHeartbeat(now), false); }

  void ProduceSnapshot(absl::Time now) {
    std::bernoulli_distribution changed(fleet_.options().change_rate);
    bool send = false;
    {
      absl::MutexLock lock(&mu_);
      send = changed(rng_);
    }
    if (send) {
      Queue(MakeSnapshot(now), true);
    }
  }

  void Cancel() {
    absl::MutexLock lock(&mu_);
    if (stream_ != nullptr && stream_alive_) {
      stream_->context().TryCancel();
    }
  }

  // Reactions of the stream, on gRPC's threads.
  void OnRead(AgentStream* stream, bool ok) {
    if (!ok) {
      {
        absl::MutexLock lock(&mu_);
        EndStreamLocked();
      }
      stream->RemoveHold();
      return;
    }
    absl::MutexLock lock(&mu_);
    const mamori::v1::CollectorMessage& message = stream->incoming();
    if (message.has_welcome()) {
      OnWelcomeLocked(message.welcome().last_committed_seq());
    } else if (message.has_ack()) {
      ApplyAckLocked(message.ack().seq(), absl::Now());
    }
    MaybeWriteLocked();
    stream->StartRead(&stream->incoming());
  }

  void OnWrite(bool ok) {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (ok) {
      MaybeWriteLocked();
    }
  }

  void OnStreamDone(const grpc::Status& status) {
    absl::Time retry_at;
    {
      absl::MutexLock lock(&mu_);
      EndStreamLocked();
      const bool was_welcomed = welcomed_;
      const bool healthy =
          was_welcomed && absl::Now() - welcomed_at_ >= fleet_.options().backoff.healthy_after;
      stream_ = nullptr;
      welcomed_ = false;
      fleet_.mutable_counters().live_streams--;
      if (fleet_.stopping()) {
        return;
      }
      fleet_.RecordError(absl::StrCat(was_welcomed ? "stream_lost:" : "connect_failed:",
                                      StatusCodeName(status.error_code())));
      if (healthy) {
        failures_ = 0;
      }
      retry_at = absl::Now() + agent::ReconnectDelay(fleet_.options().backoff, failures_, rng_);
      ++failures_;
    }
    fleet_.ScheduleConnect(slot_, retry_at);
  }

  std::size_t pending() const {
    absl::MutexLock lock(&mu_);
    return pending_.size() + unsequenced_.size();
  }

  void WriteRecordLog(std::ostream& out) const {
    absl::MutexLock lock(&mu_);
    for (std::size_t i = 0; i < kinds_.size(); ++i) {
      const std::uint64_t seq = first_seq_ + i;
      out << credentials_.agent_id() << '\t' << seq << '\t'
          << (kinds_[i] ? "snapshot" : "heartbeat") << '\t' << (seq <= highest_acked_ ? 1 : 0)
          << '\n';
    }
  }

 private:
  struct PendingRecord {
    std::uint64_t seq = 0;
    bool snapshot = false;
    std::unique_ptr<mamori::v1::AgentMessage> message;
    absl::Time sent_at = absl::InfinitePast();  // on the current stream
    bool written_before = false;
  };

  std::unique_ptr<mamori::v1::AgentMessage> MakeSnapshot(absl::Time now) {
    auto message = std::make_unique<mamori::v1::AgentMessage>();
    std::uint64_t changes = 0;
    {
      absl::MutexLock lock(&mu_);
      changes = ++changes_;
    }
    *message->mutable_snapshot() = FleetSnapshot(index_, changes, now, kind_);
    return message;
  }

  std::unique_ptr<mamori::v1::AgentMessage> MakeHeartbeat(absl::Time now) {
    auto message = std::make_unique<mamori::v1::AgentMessage>();
    std::uint64_t beat = 0;
    {
      absl::MutexLock lock(&mu_);
      beat = ++beats_;
    }
    *message->mutable_heartbeat() = FleetHeartbeat(index_, beat, now, kind_);
    return message;
  }

  // A seq is reserved only once a Welcome said where this agent's sequence stands (as the real
  // agent does); records made before that wait unsequenced, in order.
  void Queue(std::unique_ptr<mamori::v1::AgentMessage> message, bool snapshot) {
    FleetCounters& counters = fleet_.mutable_counters();
    absl::MutexLock lock(&mu_);
    if (pending_.size() + unsequenced_.size() >= fleet_.options().max_pending) {
      counters.not_produced_queue_full++;
      return;
    }
    (snapshot ? counters.produced_snapshots : counters.produced_heartbeats)++;
    counters.pending++;
    PendingRecord record;
    record.snapshot = snapshot;
    record.message = std::move(message);
    if (next_seq_ == 0) {
      unsequenced_.push_back(std::move(record));
      return;
    }
    AssignSeqLocked(record);
    pending_.push_back(std::move(record));
    MaybeWriteLocked();
  }

  void AssignSeqLocked(PendingRecord& record) {
    record.seq = next_seq_++;
    if (record.snapshot) {
      record.message->mutable_snapshot()->set_seq(record.seq);
    } else {
      record.message->mutable_heartbeat()->set_seq(record.seq);
    }
    if (fleet_.options().record_log) {
      kinds_.push_back(record.snapshot);
    }
  }

  void OnWelcomeLocked(std::uint64_t last_committed) {
    welcomed_ = true;
    welcomed_at_ = absl::Now();
    fleet_.mutable_counters().welcomes++;
    fleet_.ConnectedChanged(+1);
    if (next_seq_ == 0) {
      // First Welcome of this run: continue above what the collector holds (a cached identity
      // from an earlier run), then give the waiting records their seqs.
      next_seq_ = last_committed + 1;
      first_seq_ = next_seq_;
      highest_acked_ = last_committed;
      while (!unsequenced_.empty()) {
        AssignSeqLocked(unsequenced_.front());
        pending_.push_back(std::move(unsequenced_.front()));
        unsequenced_.pop_front();
      }
    } else {
      // Everything up to last_committed is stored (its Ack may have been lost with the old
      // stream); the rest is sent again, in order.
      ApplyAckLocked(last_committed, absl::InfinitePast());
    }
    for (PendingRecord& record : pending_) {
      record.sent_at = absl::InfinitePast();
    }
    cursor_ = 0;
  }

  // Acks are cumulative: `seq` and everything below it is committed.
  void ApplyAckLocked(std::uint64_t seq, absl::Time now) {
    FleetCounters& counters = fleet_.mutable_counters();
    while (!pending_.empty() && pending_.front().seq <= seq) {
      PendingRecord& record = pending_.front();
      if (record.sent_at != absl::InfinitePast() && now != absl::InfinitePast()) {
        fleet_.RecordLatency(now - record.sent_at);
      }
      (record.snapshot ? counters.acked_snapshots : counters.acked_heartbeats)++;
      counters.pending--;
      pending_.pop_front();
      if (cursor_ > 0) {
        --cursor_;
      }
    }
    highest_acked_ = std::max(highest_acked_, seq);
  }

  void MaybeWriteLocked() {
    if (stream_ == nullptr || !stream_alive_ || !welcomed_ || writing_ ||
        cursor_ >= pending_.size() ||
        cursor_ >= static_cast<std::size_t>(fleet_.options().in_flight)) {
      return;
    }
    PendingRecord& record = pending_[cursor_++];
    FleetCounters& counters = fleet_.mutable_counters();
    counters.sent++;
    if (record.written_before) {
      counters.resent++;
    }
    record.written_before = true;
    record.sent_at = absl::Now();
    writing_ = true;
    stream_->StartWrite(record.message.get());
  }

  void EndStreamLocked() {
    if (!stream_alive_) {
      return;
    }
    stream_alive_ = false;
    if (welcomed_) {
      fleet_.ConnectedChanged(-1);
    }
  }

  FleetSimulator& fleet_;
  const std::size_t slot_;
  const std::uint32_t index_;
  const FleetKind kind_;
  const agent::AgentCredentials credentials_;

  mutable absl::Mutex mu_;
  std::mt19937_64 rng_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<grpc::Channel> channel_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<mamori::v1::AgentGateway::Stub> stub_ ABSL_GUARDED_BY(mu_);
  AgentStream* stream_ ABSL_GUARDED_BY(mu_) = nullptr;
  bool stream_alive_ ABSL_GUARDED_BY(mu_) = false;
  bool welcomed_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time stream_started_ ABSL_GUARDED_BY(mu_);
  absl::Time welcomed_at_ ABSL_GUARDED_BY(mu_);
  std::uint32_t failures_ ABSL_GUARDED_BY(mu_) = 0;
  mamori::v1::AgentMessage hello_ ABSL_GUARDED_BY(mu_);

  std::uint64_t next_seq_ ABSL_GUARDED_BY(mu_) = 0;  // 0: no Welcome yet in this run
  std::uint64_t first_seq_ ABSL_GUARDED_BY(mu_) = 0;
  std::uint64_t highest_acked_ ABSL_GUARDED_BY(mu_) = 0;
  std::deque<PendingRecord> pending_ ABSL_GUARDED_BY(mu_);      // seq ascending, unacknowledged
  std::deque<PendingRecord> unsequenced_ ABSL_GUARDED_BY(mu_);  // before the first Welcome
  std::size_t cursor_ ABSL_GUARDED_BY(mu_) = 0;  // pending_[0, cursor_) written on this stream
  std::uint64_t changes_ ABSL_GUARDED_BY(mu_) = 0;
  std::uint64_t beats_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<bool> kinds_ ABSL_GUARDED_BY(mu_);  // per seq from first_seq_: snapshot?
};

void AgentStream::OnReadDone(bool ok) { agent_.OnRead(this, ok); }
void AgentStream::OnWriteDone(bool ok) { agent_.OnWrite(ok); }
void AgentStream::OnDone(const grpc::Status& status) {
  agent_.OnStreamDone(status);
  delete this;
}

FleetSimulator::FleetSimulator(FleetOptions options,
                               std::vector<agent::AgentCredentials> identities,
                               std::vector<std::uint32_t> indexes)
    : options_(std::move(options)) {
  agents_.reserve(identities.size());
  for (std::size_t i = 0; i < identities.size(); ++i) {
    agents_.push_back(
        std::make_unique<SimulatedAgent>(*this, i, indexes[i], std::move(identities[i])));
  }
}

FleetSimulator::~FleetSimulator() {
  Stop(absl::Seconds(30));
  {
    absl::MutexLock lock(&events_mu_);
    scheduler_stop_ = true;
  }
  if (scheduler_.joinable()) {
    scheduler_.join();
  }
}

void FleetSimulator::Start() {
  const absl::Time start = absl::Now();
  production_end_ns_ = absl::ToUnixNanos(start + options_.duration);
  std::mt19937_64 rng(options_.seed);
  auto spread = [&rng](absl::Duration over) {
    const std::int64_t ms = std::max<std::int64_t>(0, absl::ToInt64Milliseconds(over));
    return absl::Milliseconds(std::uniform_int_distribution<std::int64_t>(0, ms)(rng));
  };
  for (std::size_t i = 0; i < agents_.size(); ++i) {
    Schedule({start + spread(options_.ramp), i, EventKind::kConnect});
    Schedule({start + spread(options_.heartbeat_interval), i, EventKind::kHeartbeat});
    Schedule({start + spread(options_.snapshot_interval), i, EventKind::kSnapshot});
  }
  scheduler_ = std::thread([this] { RunScheduler(); });
}

bool FleetSimulator::ProductionEnded() const {
  return absl::ToUnixNanos(absl::Now()) >= production_end_ns_.load();
}

void FleetSimulator::EndProduction() {
  const std::int64_t now = absl::ToUnixNanos(absl::Now());
  std::int64_t end = production_end_ns_.load();
  while (now < end && !production_end_ns_.compare_exchange_weak(end, now)) {
  }
}

void FleetSimulator::Schedule(Event event) {
  absl::MutexLock lock(&events_mu_);
  events_.push_back(event);
  std::push_heap(events_.begin(), events_.end(), std::greater<>());
}

void FleetSimulator::ScheduleConnect(std::size_t agent, absl::Time at) {
  Schedule({at, agent, EventKind::kConnect});
}

void FleetSimulator::RunScheduler() {
  while (true) {
    Event event;
    {
      absl::MutexLock lock(&events_mu_);
      while (true) {
        if (scheduler_stop_) {
          return;
        }
        if (!events_.empty() && events_.front().at <= absl::Now()) {
          break;
        }
        const absl::Duration wait =
            events_.empty() ? absl::Milliseconds(100)
                            : std::min(absl::Milliseconds(100), events_.front().at - absl::Now());
        events_mu_.AwaitWithTimeout(absl::Condition(&scheduler_stop_), wait);
      }
      std::pop_heap(events_.begin(), events_.end(), std::greater<>());
      event = events_.back();
      events_.pop_back();
    }
    SimulatedAgent& agent = *agents_[event.agent];
    const absl::Time now = absl::Now();
    const bool producing = absl::ToUnixNanos(now) < production_end_ns_.load();
    switch (event.kind) {
      case EventKind::kConnect:
        agent.Connect();
        break;
      case EventKind::kHeartbeat:
        if (producing) {
          agent.ProduceHeartbeat(now);
          Schedule({event.at + options_.heartbeat_interval, event.agent, EventKind::kHeartbeat});
        }
        break;
      case EventKind::kSnapshot:
        if (producing) {
          agent.ProduceSnapshot(now);
          Schedule({event.at + options_.snapshot_interval, event.agent, EventKind::kSnapshot});
        }
        break;
    }
  }
}

bool FleetSimulator::Drain(absl::Duration timeout) {
  const absl::Time until = absl::Now() + timeout;
  while (counters_.pending.load() > 0) {
    if (absl::Now() >= until) {
      return false;
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  return true;
}

void FleetSimulator::Stop(absl::Duration timeout) {
  if (stopping_.exchange(true)) {
    return;
  }
  for (const std::unique_ptr<SimulatedAgent>& agent : agents_) {
    agent->Cancel();
  }
  const absl::Time until = absl::Now() + timeout;
  while (counters_.live_streams.load() > 0 && absl::Now() < until) {
    absl::SleepFor(absl::Milliseconds(20));
  }
}

void FleetSimulator::RecordLatency(absl::Duration latency) {
  absl::MutexLock lock(&stats_mu_);
  latency_.Add(latency);
}

void FleetSimulator::RecordError(const std::string& kind) {
  absl::MutexLock lock(&stats_mu_);
  ++errors_[kind];
}

void FleetSimulator::ConnectedChanged(int delta) {
  const std::int64_t now_connected = counters_.connected.fetch_add(delta) + delta;
  absl::MutexLock lock(&stats_mu_);
  max_connected_ = std::max(max_connected_, now_connected);
  const bool all = now_connected == static_cast<std::int64_t>(agents_.size());
  if (all && !all_connected_) {
    all_connected_at_ms_.push_back(EpochMs(absl::Now()));
  } else if (!all && all_connected_) {
    dropped_at_ms_.push_back(EpochMs(absl::Now()));
  }
  all_connected_ = all;
}

LatencyHistogram FleetSimulator::LatencySnapshot() const {
  absl::MutexLock lock(&stats_mu_);
  return latency_;
}

std::map<std::string, std::uint64_t> FleetSimulator::Errors() const {
  absl::MutexLock lock(&stats_mu_);
  return errors_;
}

std::vector<std::int64_t> FleetSimulator::AllConnectedAtMs() const {
  absl::MutexLock lock(&stats_mu_);
  return all_connected_at_ms_;
}

std::vector<std::int64_t> FleetSimulator::DroppedAtMs() const {
  absl::MutexLock lock(&stats_mu_);
  return dropped_at_ms_;
}

std::int64_t FleetSimulator::max_connected() const {
  absl::MutexLock lock(&stats_mu_);
  return max_connected_;
}

void FleetSimulator::WriteRecordLog(std::ostream& out) const {
  for (const std::unique_ptr<SimulatedAgent>& agent : agents_) {
    agent->WriteRecordLog(out);
  }
}

}  // namespace mamori::fleet
