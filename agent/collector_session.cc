// Client side of AgentGateway.Connect with the synchronous gRPC API: an agent holds one stream and
// sends one record at a time, so the simpler API costs nothing here (the collector, which holds
// thousands of streams, uses the callback API).
#include "agent/collector_session.h"

#include "absl/strings/str_cat.h"
#include "spdlog/spdlog.h"

namespace mamori::agent {

namespace v1 = ::mamori::v1;

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) {
    return absl::OkStatus();
  }
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

absl::StatusOr<std::unique_ptr<CollectorSession>> CollectorSession::Open(
    const std::shared_ptr<grpc::Channel>& channel, const v1::Hello& hello, absl::Time deadline) {
  std::unique_ptr<CollectorSession> session(new CollectorSession());
  session->stub_ = v1::AgentGateway::NewStub(channel);
  session->context_.set_deadline(absl::ToChronoTime(deadline));
  session->context_.set_wait_for_ready(false);
  session->stream_ = session->stub_->Connect(&session->context_);

  v1::AgentMessage message;
  *message.mutable_hello() = hello;
  if (!session->stream_->Write(message)) {
    return session->FinishWithError("sending Hello");
  }
  absl::StatusOr<v1::CollectorMessage> reply = session->Read();
  if (!reply.ok()) {
    return reply.status();
  }
  if (!reply->has_welcome()) {
    return absl::InternalError("the collector answered Hello without a Welcome");
  }
  session->welcome_ = reply->welcome();
  return session;
}

absl::StatusOr<v1::CollectorMessage> CollectorSession::Read() {
  v1::CollectorMessage reply;
  if (!stream_->Read(&reply)) {
    return FinishWithError("waiting for the collector");
  }
  return reply;
}

absl::Status CollectorSession::FinishWithError(absl::string_view what) {
  finished_ = true;
  const grpc::Status status = stream_->Finish();
  if (status.ok()) {
    return absl::UnavailableError(absl::StrCat("the collector closed the stream while ", what));
  }
  const absl::Status error = FromGrpcStatus(status);
  return absl::Status(error.code(), absl::StrCat(what, ": ", error.message()));
}

absl::Status CollectorSession::SendAndAwaitAck(const v1::AgentMessage& message, uint64_t seq) {
  if (finished_) {
    return absl::FailedPreconditionError("the session with the collector has ended");
  }
  if (!stream_->Write(message)) {
    return FinishWithError(absl::StrCat("sending record ", seq));
  }
  while (true) {
    absl::StatusOr<v1::CollectorMessage> reply = Read();
    if (!reply.ok()) {
      return reply.status();
    }
    if (reply->has_ack()) {
      if (reply->ack().seq() >= seq) {
        return absl::OkStatus();
      }
      continue;  // an Ack for an earlier record
    }
    if (reply->has_command()) {
      spdlog::info("collector sent command {} (not acted on by this agent version)",
                   reply->command().command_id());
    }
  }
}

absl::Status CollectorSession::Close() {
  if (finished_) {
    return absl::OkStatus();
  }
  finished_ = true;
  stream_->WritesDone();
  v1::CollectorMessage ignored;
  while (stream_->Read(&ignored)) {
  }
  return FromGrpcStatus(stream_->Finish());
}

CollectorSession::~CollectorSession() {
  if (!finished_) {
    context_.TryCancel();
    stream_->Finish();
  }
}

}  // namespace mamori::agent
