#include "collector/server/agent_gateway.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "collector/ingest/validate.h"
#include "proto/codec/proto_time.h"
#include "spdlog/spdlog.h"

namespace mamori::collector {
namespace {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  // absl::StatusCode and grpc::StatusCode share the canonical numbering.
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

absl::StatusOr<mamori::v1::AgentMessage> ParseAgentMessage(grpc::ByteBuffer& bytes) {
  if (bytes.Length() > kMaxAgentMessageBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("agent_message: larger than ", kMaxAgentMessageBytes, " bytes"));
  }
  mamori::v1::AgentMessage message;
  if (!grpc::SerializationTraits<mamori::v1::AgentMessage>::Deserialize(&bytes, &message).ok()) {
    return absl::InvalidArgumentError(
        "agent_message: not a valid AgentMessage (malformed protobuf, or a string field that is "
        "not valid UTF-8)");
  }
  return message;
}

grpc::ByteBuffer Serialize(const mamori::v1::CollectorMessage& message) {
  grpc::ByteBuffer bytes;
  bool own_buffer = false;
  // Serializing a message we built ourselves cannot fail short of running out of memory.
  (void)grpc::SerializationTraits<mamori::v1::CollectorMessage>::Serialize(message, &bytes,
                                                                           &own_buffer);
  return bytes;
}

// One agent's stream. Exactly one operation is outstanding at any time (a read, a commit or a
// write), so the callbacks never race each other and the reactor is deleted only in OnDone, after
// Finish.
class ConnectReactor final : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  ConnectReactor(GroupCommitter& committer, LiveAgentStreams& streams,
                 std::atomic<std::uint64_t>& thinned_heartbeats,
                 grpc::CallbackServerContext* context, Principal agent)
      : committer_(committer),
        streams_(streams),
        thinned_heartbeats_(thinned_heartbeats),
        peer_(context->peer()),
        certified_agent_id_(agent.id) {
    stream_id_ = streams_.Add(agent.id, agent.certificate_serial, context);
    StartRead(&incoming_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      // The agent closed its side or the call was cancelled: nothing is left in flight.
      FinishOnce(grpc::Status::OK);
      return;
    }
    absl::StatusOr<mamori::v1::AgentMessage> message = ParseAgentMessage(incoming_);
    incoming_.Clear();
    if (!message.ok()) {
      Reject(message.status());
      return;
    }
    if (absl::Status valid = ValidateAgentMessage(*message); !valid.ok()) {
      Reject(valid);
      return;
    }
    if (agent_id_.empty()) {
      if (!message->has_hello()) {
        Reject(absl::FailedPreconditionError("the first message on a stream must be Hello"));
        return;
      }
      if (message->hello().agent_id() != certified_agent_id_) {
        Reject(absl::PermissionDeniedError(
            absl::StrCat("Hello claims agent ", message->hello().agent_id(),
                         " but the certificate is for agent ", certified_agent_id_)));
        return;
      }
      agent_id_ = certified_agent_id_;
      agent_last_acked_seq_ = message->hello().last_acked_seq();
      spdlog::info("agent {} ({}) connected from {}", agent_id_, message->hello().hostname(),
                   peer_);
      if (const std::uint64_t thinned = message->hello().spool_dropped_heartbeats(); thinned > 0) {
        // The agent's spool was full (a long time offline): these heartbeats were never sent. The
        // count is logged and summed in memory; a schema column can follow.
        thinned_heartbeats_ += thinned;
        spdlog::warn("agent {} thinned {} heartbeats from its full spool; they will not arrive",
                     agent_id_, thinned);
      }
    } else if (message->has_hello()) {
      Reject(absl::FailedPreconditionError("Hello may be sent only once per stream"));
      return;
    }

    const bool is_hello = message->has_hello();
    const std::uint64_t seq =
        message->has_snapshot() ? message->snapshot().seq() : message->heartbeat().seq();
    committer_.Submit(AgentRecord{agent_id_, *std::move(message), absl::Now()},
                      [this, is_hello, seq](absl::StatusOr<RecordOutcome> outcome) {
                        OnCommitted(is_hello, seq, std::move(outcome));
                      });
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      FinishOnce(grpc::Status(grpc::StatusCode::CANCELLED, "the stream was closed"));
      return;
    }
    StartRead(&incoming_);
  }

  void OnCancel() override {
    // The outstanding read or write completes with ok=false and finishes the stream; a pending
    // commit calls back and its write then fails the same way.
    spdlog::debug("stream from {} cancelled", peer_);
  }

  void OnDone() override {
    streams_.Remove(stream_id_);
    delete this;
  }

 private:
  // Runs on the writer thread once the record's transaction is durable (or failed).
  void OnCommitted(bool is_hello, std::uint64_t seq, absl::StatusOr<RecordOutcome> outcome) {
    if (!outcome.ok()) {
      // A full disk is logged once per episode by the committer; each refused record only here.
      if (absl::IsUnavailable(outcome.status())) {
        spdlog::debug("agent {}: record refused: {}", agent_id_,
                      std::string(outcome.status().message()));
      } else {
        spdlog::error("agent {}: could not store a record: {}", agent_id_,
                      std::string(outcome.status().message()));
      }
      // The agent keeps the record in its spool and retries on a new stream.
      FinishOnce(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                              "the collector could not store the record; retry later"));
      return;
    }
    mamori::v1::CollectorMessage reply;
    if (is_hello) {
      if (agent_last_acked_seq_ > outcome->last_committed_seq) {
        // The agent already forgot those records on our word: only a database restored from an
        // older backup explains it. The gap is recorded when the agent's next record arrives.
        spdlog::warn("agent {} holds Acks up to seq {} but only {} is committed here", agent_id_,
                     agent_last_acked_seq_, outcome->last_committed_seq);
      }
      reply.mutable_welcome()->set_last_committed_seq(outcome->last_committed_seq);
      *reply.mutable_welcome()->mutable_collector_time() = codec::ToProtoTimestamp(absl::Now());
    } else {
      reply.mutable_ack()->set_seq(seq);
    }
    outgoing_ = Serialize(reply);
    StartWrite(&outgoing_);
  }

  void Reject(const absl::Status& status) {
    spdlog::warn("closing stream from {} (agent {}): {}", peer_,
                 agent_id_.empty() ? "unknown" : agent_id_, std::string(status.message()));
    FinishOnce(ToGrpcStatus(status));
  }

  void FinishOnce(const grpc::Status& status) {
    if (!finished_.exchange(true)) {
      Finish(status);
    }
  }

  GroupCommitter& committer_;
  LiveAgentStreams& streams_;
  std::atomic<std::uint64_t>& thinned_heartbeats_;
  const std::string peer_;
  const std::string certified_agent_id_;  // from the client certificate
  std::uint64_t stream_id_ = 0;
  std::string agent_id_;  // set by the stream's Hello, once it matched the certificate
  std::uint64_t agent_last_acked_seq_ = 0;
  grpc::ByteBuffer incoming_;
  grpc::ByteBuffer outgoing_;
  std::atomic<bool> finished_{false};
};

// A Connect refused before its first read: finishes at once with the authorization error.
class RefusedStream final : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  explicit RefusedStream(const absl::Status& status) { Finish(ToGrpcStatus(status)); }
  void OnDone() override { delete this; }
};

}  // namespace

grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* AgentGatewayService::Connect(
    grpc::CallbackServerContext* context) {
  absl::StatusOr<Principal> agent =
      authorizer_.Authorize(kConnectMethod, *context->auth_context(), absl::Now());
  if (!agent.ok()) {
    spdlog::warn("refused Connect from {}: {}", context->peer(),
                 std::string(agent.status().message()));
    return new RefusedStream(agent.status());
  }
  return new ConnectReactor(committer_, streams_, thinned_heartbeats_reported_, context,
                            *std::move(agent));
}

grpc::ServerUnaryReactor* AgentGatewayService::Enroll(grpc::CallbackServerContext* context,
                                                      const mamori::v1::EnrollRequest* request,
                                                      mamori::v1::EnrollResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const absl::Time now = absl::Now();
  absl::StatusOr<Principal> caller =
      authorizer_.Authorize(kEnrollMethod, *context->auth_context(), now);
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  absl::StatusOr<mamori::v1::EnrollResponse> enrolled =
      enrollment_.Enroll(*request, context->peer(), now);
  if (enrolled.ok()) {
    *response = *std::move(enrolled);
  }
  reactor->Finish(ToGrpcStatus(enrolled.status()));
  return reactor;
}

grpc::ServerUnaryReactor* AgentGatewayService::Renew(grpc::CallbackServerContext* context,
                                                     const mamori::v1::RenewRequest* request,
                                                     mamori::v1::EnrollResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const absl::Time now = absl::Now();
  absl::StatusOr<Principal> agent =
      authorizer_.Authorize(kRenewMethod, *context->auth_context(), now);
  if (!agent.ok()) {
    reactor->Finish(ToGrpcStatus(agent.status()));
    return reactor;
  }
  absl::StatusOr<mamori::v1::EnrollResponse> renewed = enrollment_.Renew(*agent, *request, now);
  if (renewed.ok()) {
    *response = *std::move(renewed);
  }
  reactor->Finish(ToGrpcStatus(renewed.status()));
  return reactor;
}

}  // namespace mamori::collector
