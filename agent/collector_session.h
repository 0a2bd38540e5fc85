// One session with the collector over AgentGateway.Connect: Hello, then records acknowledged one by
// one.
#pragma once

#include <cstdint>
#include <memory>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "mamori/v1/agent.grpc.pb.h"

namespace mamori::agent {

class CollectorSession {
 public:
  // Opens the Connect stream, sends Hello and waits for the collector's Welcome. The whole session,
  // including every later record, must finish within `deadline`.
  static absl::StatusOr<std::unique_ptr<CollectorSession>> Open(
      const std::shared_ptr<grpc::Channel>& channel, const mamori::v1::Hello& hello,
      absl::Time deadline);

  const mamori::v1::Welcome& welcome() const { return welcome_; }

  // Sends one Snapshot or Heartbeat and returns once the collector acknowledges its seq (that is,
  // once it is committed). Commands arriving meanwhile are logged and left for the scheduler of a
  // later version.
  absl::Status SendAndAwaitAck(const mamori::v1::AgentMessage& message, uint64_t seq);

  // Half-closes the stream and returns the collector's final status.
  absl::Status Close();

  ~CollectorSession();
  CollectorSession(const CollectorSession&) = delete;
  CollectorSession& operator=(const CollectorSession&) = delete;

 private:
  CollectorSession() = default;
  // Reads the next message; on end of stream returns the collector's status as the error.
  absl::StatusOr<mamori::v1::CollectorMessage> Read();
  absl::Status FinishWithError(absl::string_view what);

  std::unique_ptr<mamori::v1::AgentGateway::Stub> stub_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReaderWriter<mamori::v1::AgentMessage, mamori::v1::CollectorMessage>>
      stream_;
  mamori::v1::Welcome welcome_;
  bool finished_ = false;
};

// grpc::Status -> absl::Status at the RPC edge, keeping code and message.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace mamori::agent
