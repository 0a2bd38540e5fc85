// Delivery of the spool over one long-lived Connect stream: Hello with what the spool holds, then
// every pending record in order (a bounded window in flight), each acknowledged in the spool when
// the collector's Ack says it is committed. The stream stays open between cycles; new records go
// out as they are spooled. A stream that ends is reopened after a backoff with full jitter.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "agent/reconnect_backoff.h"
#include "mamori/v1/agent.pb.h"
#include "platform/spool/spool.h"

namespace mamori::agent {

struct DeliverySettings {
  // At most this many records, and about this many payload bytes, sent and not yet acknowledged.
  // The collector commits one record of a stream at a time; the window lets the next records wait
  // in its receive buffer instead of a round trip each.
  std::size_t window_records = 64;
  std::size_t window_bytes = 4 * 1024 * 1024;
  // Hello must be answered within this, else the stream is given up and retried.
  absl::Duration welcome_timeout = absl::Seconds(30);
  ReconnectBackoff backoff;
};

// What the delivery tells its owner, from its own thread; neither may block for long.
struct DeliveryEvents {
  // Every record up to `up_to_id` is committed by the collector and acknowledged in the spool.
  std::function<void(std::uint64_t up_to_id)> acknowledged;
  // The collector has committed less than this agent holds Acks for: its database lost records
  // (restored from an older backup). The owner sends a full snapshot at its next cycle.
  std::function<void()> collector_behind;
};

// A new channel for each stream, so a renewed certificate is used from the next stream on.
using ChannelFactory = std::function<std::shared_ptr<grpc::Channel>()>;

// The spooled form of a record: the AgentMessage serialized with seq 0; the spool id becomes the
// seq when it is sent.
std::string SpoolPayload(const mamori::v1::AgentMessage& message);

// The AgentMessage to send for a spooled record, with its seq set; nullopt when the payload does
// not parse or holds neither a snapshot nor a heartbeat.
std::optional<mamori::v1::AgentMessage> MessageForRecord(
    const platform::spool::SpoolRecord& record);

class SpoolDelivery {
 public:
  // `spool` must outlive this object.
  SpoolDelivery(platform::spool::Spool& spool, ChannelFactory channels, std::string agent_id,
                std::string hostname, DeliverySettings settings, DeliveryEvents events);
  ~SpoolDelivery();
  SpoolDelivery(const SpoolDelivery&) = delete;
  SpoolDelivery& operator=(const SpoolDelivery&) = delete;

  // The host name the next Hello carries (the newest snapshot's).
  void SetHostname(std::string hostname);
  // Records were appended: send them on the open stream.
  void Notify();

  // Keeps a stream open on a thread of its own, reconnecting with backoff, until Stop.
  void Start();
  // Ends the stream (records in flight stay in the spool and are sent again) and joins the thread.
  void Stop();

  // One stream in the calling thread: sends everything pending and closes once all of it is
  // acknowledged (OK), or returns why it could not; gives up at `deadline`. For --once.
  absl::Status DrainOnce(absl::Time deadline);

 private:
  struct StreamEnd {
    absl::Status status;
    bool welcomed = false;
    absl::Duration open_for;  // from Welcome to the end
  };
  // What the stream's reader thread saw; guarded by mu_.
  struct Incoming {
    std::optional<mamori::v1::Welcome> welcome;
    std::uint64_t max_ack = 0;
    bool ended = false;
  };

  void RunUntilStopped();
  StreamEnd RunStream(bool drain, std::optional<absl::Time> deadline);
  // Applies Welcome: acknowledges what the collector already has, reports the thinned count as
  // delivered. Returns the error that ends the stream, if any.
  absl::Status Reconcile(const mamori::v1::Welcome& welcome, std::uint64_t thinned_reported);

  platform::spool::Spool& spool_;
  const ChannelFactory channels_;
  const std::string agent_id_;
  const DeliverySettings settings_;
  const DeliveryEvents events_;

  std::mutex mu_;
  std::condition_variable changed_;
  std::string hostname_;                           // guarded by mu_
  std::uint64_t generation_ = 0;                   // guarded by mu_; bumped by Notify
  bool stopping_ = false;                          // guarded by mu_
  grpc::ClientContext* active_context_ = nullptr;  // guarded by mu_
  std::thread thread_;
};

}  // namespace mamori::agent
