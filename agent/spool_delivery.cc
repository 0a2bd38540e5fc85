// The synchronous gRPC client with two threads per stream: this one writes records, a reader
// thread takes Welcome and Acks (gRPC allows one concurrent Read and Write on a stream). Both meet
// on one mutex and condition variable, which Notify and Stop use too.
#include "agent/spool_delivery.h"

#include <algorithm>
#include <optional>
#include <random>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "agent/collector_session.h"
#include "agent/version.h"
#include "mamori/v1/agent.grpc.pb.h"
#include "proto/connect_stream.h"
#include "spdlog/spdlog.h"

namespace mamori::agent {

namespace v1 = ::mamori::v1;
namespace spool = ::mamori::platform::spool;

std::string SpoolPayload(const v1::AgentMessage& message) { return message.SerializeAsString(); }

std::optional<v1::AgentMessage> MessageForRecord(const spool::SpoolRecord& record) {
  v1::AgentMessage message;
  if (!message.ParseFromString(record.payload)) {
    return std::nullopt;
  }
  if (record.kind == spool::RecordKind::kSnapshot && message.has_snapshot()) {
    message.mutable_snapshot()->set_seq(record.id);
    return message;
  }
  if (record.kind == spool::RecordKind::kHeartbeat && message.has_heartbeat()) {
    message.mutable_heartbeat()->set_seq(record.id);
    return message;
  }
  return std::nullopt;
}

SpoolDelivery::SpoolDelivery(spool::Spool& spool, ChannelFactory channels, std::string agent_id,
                             std::string hostname, DeliverySettings settings, DeliveryEvents events)
    : spool_(spool),
      channels_(std::move(channels)),
      agent_id_(std::move(agent_id)),
      settings_(std::move(settings)),
      events_(std::move(events)),
      hostname_(std::move(hostname)) {}

SpoolDelivery::~SpoolDelivery() { Stop(); }

void SpoolDelivery::SetHostname(std::string hostname) {
  std::lock_guard lock(mu_);
  hostname_ = std::move(hostname);
}

void SpoolDelivery::Notify() {
  {
    std::lock_guard lock(mu_);
    ++generation_;
  }
  changed_.notify_all();
}

void SpoolDelivery::Start() {
  std::lock_guard lock(mu_);
  if (!thread_.joinable() && !stopping_) {
    thread_ = std::thread([this] { RunUntilStopped(); });
  }
}

void SpoolDelivery::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    if (active_context_ != nullptr) {
      active_context_->TryCancel();
    }
  }
  changed_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

absl::Status SpoolDelivery::DrainOnce(absl::Time deadline) {
  return RunStream(/*drain=*/true, deadline).status;
}

void SpoolDelivery::RunUntilStopped() {
  std::mt19937_64 rng(std::random_device{}());
  std::uint32_t failures = 0;
  while (true) {
    const StreamEnd end = RunStream(/*drain=*/false, std::nullopt);
    std::unique_lock lock(mu_);
    if (stopping_) {
      return;
    }
    if (end.welcomed && end.open_for >= settings_.backoff.healthy_after) {
      failures = 0;
    }
    const absl::Duration delay = ReconnectDelay(settings_.backoff, failures, rng);
    // A collector away for a week must not fill the log: the first failure of a series is a
    // warning, the retries are debug.
    if (failures == 0) {
      spdlog::warn(
          "stream to the collector ended: {}; records stay in the spool, reconnecting in {}",
          end.status.ToString(), absl::FormatDuration(delay));
    } else {
      spdlog::debug("stream to the collector ended: {}; attempt {} in {}", end.status.ToString(),
                    failures + 1, absl::FormatDuration(delay));
    }
    failures = std::min<std::uint32_t>(failures + 1, 1000);
    changed_.wait_for(lock, absl::ToChronoNanoseconds(delay), [this] { return stopping_; });
    if (stopping_) {
      return;
    }
  }
}

absl::Status SpoolDelivery::Reconcile(const v1::Welcome& welcome, std::uint64_t thinned_reported) {
  const std::uint64_t committed = welcome.last_committed_seq();
  const spool::SpoolStats stats = spool_.Stats();
  if (committed > stats.acknowledged_id) {
    if (committed >= stats.next_id) {
      // The collector has seqs this spool has not issued: the agent's data was restored from an
      // older copy. Continue above them so new records are not taken for replays.
      spdlog::warn(
          "the collector has committed seq {} but this agent's spool has only issued up to {}; "
          "continuing from {}",
          committed, stats.next_id - 1, committed + 1);
      if (std::string error = spool_.ContinueAfter(committed); !error.empty()) {
        return absl::InternalError(error);
      }
    } else if (spool::AcknowledgeResult acked = spool_.Acknowledge(committed); !acked.ok()) {
      return absl::InternalError(acked.error);
    }
    if (events_.acknowledged) {
      events_.acknowledged(committed);
    }
  } else if (committed < stats.acknowledged_id) {
    spdlog::warn(
        "the collector has committed only up to seq {} but acknowledged up to {}: its database "
        "lost records (restored from a backup?); a full snapshot follows",
        committed, stats.acknowledged_id);
    if (events_.collector_behind) {
      events_.collector_behind();
    }
  }
  if (thinned_reported > 0) {
    if (std::string error = spool_.ForgetThinnedHeartbeats(thinned_reported); !error.empty()) {
      // Reported again in the next Hello: the collector counts it twice, nothing is lost.
      spdlog::warn("{}", error);
    }
  }
  return absl::OkStatus();
}

SpoolDelivery::StreamEnd SpoolDelivery::RunStream(bool drain, std::optional<absl::Time> deadline) {
  StreamEnd end;
  const std::shared_ptr<grpc::Channel> channel = channels_();
  std::unique_ptr<v1::AgentGateway::Stub> stub = v1::AgentGateway::NewStub(channel);
  grpc::ClientContext context;
  if (deadline.has_value()) {
    context.set_deadline(absl::ToChronoTime(*deadline));
  }
  Incoming incoming;
  std::string hostname;
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      end.status = absl::CancelledError("the agent is stopping");
      return end;
    }
    active_context_ = &context;
    hostname = hostname_;
  }
  std::unique_ptr<grpc::ClientReaderWriter<v1::AgentMessage, v1::CollectorMessage>> stream =
      stub->Connect(&context);

  const spool::SpoolStats at_hello = spool_.Stats();
  v1::AgentMessage hello;
  hello.mutable_hello()->set_agent_id(agent_id_);
  hello.mutable_hello()->set_agent_version(kAgentVersion);
  hello.mutable_hello()->set_last_acked_seq(at_hello.acknowledged_id);
  hello.mutable_hello()->set_hostname(hostname);
  hello.mutable_hello()->mutable_agent_time()->set_seconds(absl::ToUnixSeconds(absl::Now()));
  hello.mutable_hello()->set_spool_dropped_heartbeats(at_hello.thinned_heartbeats);

  std::thread reader;
  absl::Status error;  // what ended the stream on this side, if anything
  bool closed_cleanly = false;
  absl::Time welcomed_at;
  if (stream->Write(hello)) {
    reader = std::thread([this, &stream, &incoming] {
      v1::CollectorMessage message;
      while (stream->Read(&message)) {
        std::lock_guard lock(mu_);
        if (message.has_welcome() && !incoming.welcome.has_value()) {
          incoming.welcome = message.welcome();
        } else if (message.has_ack()) {
          incoming.max_ack = std::max(incoming.max_ack, message.ack().seq());
        } else if (message.has_command()) {
          spdlog::info("collector sent command {} (not acted on by this agent version)",
                       message.command().command_id());
        }
        changed_.notify_all();
      }
      std::lock_guard lock(mu_);
      incoming.ended = true;
      changed_.notify_all();
    });

    std::optional<v1::Welcome> welcome;
    {
      std::unique_lock lock(mu_);
      changed_.wait_for(lock, absl::ToChronoNanoseconds(settings_.welcome_timeout), [&] {
        return incoming.welcome.has_value() || incoming.ended || stopping_;
      });
      welcome = incoming.welcome;
    }
    if (!welcome.has_value()) {
      if (!incoming.ended) {
        error = absl::DeadlineExceededError("the collector did not answer Hello in time");
      }
    } else {
      end.welcomed = true;
      welcomed_at = absl::Now();
      error = Reconcile(*welcome, at_hello.thinned_heartbeats);
    }

    std::uint64_t acked = spool_.Stats().acknowledged_id;
    std::uint64_t sent = acked;
    while (end.welcomed && error.ok()) {
      std::uint64_t max_ack = 0;
      std::uint64_t generation = 0;
      {
        std::lock_guard lock(mu_);
        if (stopping_ || incoming.ended) {
          break;
        }
        max_ack = incoming.max_ack;
        generation = generation_;
      }
      if (max_ack > acked) {
        if (max_ack > sent) {
          error = absl::InternalError(
              absl::StrCat("the collector acknowledged seq ", max_ack, ", never sent"));
          break;
        }
        if (spool::AcknowledgeResult result = spool_.Acknowledge(max_ack); !result.ok()) {
          error = absl::InternalError(result.error);
          break;
        }
        acked = max_ack;
        if (events_.acknowledged) {
          events_.acknowledged(acked);
        }
      }

      if (sent - acked < settings_.window_records) {
        spool::PendingResult pending =
            spool_.Pending(settings_.window_records, settings_.window_bytes);
        if (!pending.error.empty() && pending.records.empty()) {
          // The oldest record cannot be read back (its checksum fails on disk): it can never be
          // sent, and everything after it would wait behind it forever.
          const std::optional<std::uint64_t> oldest = spool_.Stats().oldest_id;
          spdlog::error("spool: {}; dropping record {} that cannot be read", pending.error,
                        oldest.value_or(0));
          if (oldest.has_value() && sent == acked) {
            if (spool::AcknowledgeResult dropped = spool_.Acknowledge(*oldest); !dropped.ok()) {
              error = absl::InternalError(dropped.error);
              break;
            }
            acked = sent = *oldest;
            continue;
          }
        }
        bool write_failed = false;
        bool dropped_any = false;
        for (const spool::SpoolRecord& record : pending.records) {
          if (record.id <= sent) {
            continue;
          }
          std::optional<v1::AgentMessage> message = MessageForRecord(record);
          const bool too_big =
              message.has_value() && message->ByteSizeLong() > wire::kMaxAgentMessageBytes;
          if (!message.has_value() || too_big) {
            // Never deliverable. It is dropped once it is the oldest (acknowledging is "up to").
            if (&record != &pending.records.front() || sent != acked) {
              break;
            }
            spdlog::error("spool: record {} {}; it can never be delivered and is dropped",
                          record.id,
                          too_big ? absl::StrCat("is larger than the collector's bound of ",
                                                 wire::kMaxAgentMessageBytes, " bytes")
                                  : std::string("does not parse as a snapshot or heartbeat"));
            if (spool::AcknowledgeResult dropped = spool_.Acknowledge(record.id); !dropped.ok()) {
              error = absl::InternalError(dropped.error);
              break;
            }
            acked = sent = record.id;
            dropped_any = true;
            continue;
          }
          if (!stream->Write(*message)) {
            write_failed = true;  // the reader sees the end and its status
            break;
          }
          sent = record.id;
        }
        if (write_failed || !error.ok()) {
          break;
        }
        if (dropped_any) {
          continue;  // what waited behind the dropped record may fit the window now
        }
      }

      if (drain && acked == sent && spool_.Stats().records == 0) {
        closed_cleanly = true;
        stream->WritesDone();
        break;
      }

      std::unique_lock lock(mu_);
      changed_.wait(lock, [&] {
        return stopping_ || incoming.ended || incoming.max_ack > acked ||
               (generation_ != generation && sent - acked < settings_.window_records);
      });
    }
  }

  if (!closed_cleanly) {
    context.TryCancel();
  }
  if (reader.joinable()) {
    reader.join();
  }
  const grpc::Status finished = stream->Finish();
  {
    std::lock_guard lock(mu_);
    active_context_ = nullptr;
  }
  if (end.welcomed) {
    end.open_for = absl::Now() - welcomed_at;
  }
  if (!error.ok()) {
    end.status = error;
  } else if (closed_cleanly) {
    end.status = FromGrpcStatus(finished);
  } else if (!finished.ok() && finished.error_code() != grpc::StatusCode::CANCELLED) {
    end.status = FromGrpcStatus(finished);
  } else {
    std::lock_guard lock(mu_);
    end.status = stopping_
                     ? absl::CancelledError("the agent is stopping")
                     : (finished.ok() ? absl::UnavailableError("the collector closed the stream")
                                      : FromGrpcStatus(finished));
  }
  return end;
}

}  // namespace mamori::agent
