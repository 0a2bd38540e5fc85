// The AgentGateway gRPC service on the callback API: one reactor per agent stream, no thread held
// while a stream is idle, so thousands of quiet agents cost memory, not threads.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdint>

#include "collector/ingest/group_committer.h"
#include "collector/server/authorization.h"
#include "collector/server/enrollment.h"
#include "collector/server/live_agent_streams.h"
#include "mamori/v1/agent.grpc.pb.h"

namespace mamori::collector {

// Connect is registered raw (ByteBuffer in, ByteBuffer out) so the gateway parses AgentMessage
// itself: a message that fails to parse, e.g. a string that is not UTF-8, then ends the stream with
// INVALID_ARGUMENT and a reason. With the generated typed handler gRPC 1.51 reports a failed parse
// to the reactor only as a failed read, indistinguishable from the agent hanging up.
using AgentGatewayBase = mamori::v1::AgentGateway::WithCallbackMethod_Enroll<
    mamori::v1::AgentGateway::WithRawCallbackMethod_Connect<
        mamori::v1::AgentGateway::WithCallbackMethod_Renew<mamori::v1::AgentGateway::Service>>>;

class AgentGatewayService final : public AgentGatewayBase {
 public:
  // Everything passed in must outlive the service and every stream it serves.
  AgentGatewayService(GroupCommitter& committer, Authorizer& authorizer,
                      AgentEnrollment& enrollment, LiveAgentStreams& streams)
      : committer_(committer),
        authorizer_(authorizer),
        enrollment_(enrollment),
        streams_(streams) {}

  // The generated bases also declare the synchronous overloads; keep them visible.
  using AgentGatewayBase::Connect;
  using AgentGatewayBase::Enroll;
  using AgentGatewayBase::Renew;

  // Every RPC is first checked by the Authorizer (authorization.h); the agent id of a stream is the
  // one in its client certificate.
  // Protocol: Hello first (else FAILED_PRECONDITION) naming the certificate's agent (else
  // PERMISSION_DENIED, nothing stored), answered by Welcome once the agent row is committed; then
  // each Snapshot or Heartbeat is validated, committed and answered by Ack{seq}. One message is in
  // flight per stream: the next read starts only after the reply is written.
  grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* Connect(
      grpc::CallbackServerContext* context) override;

  grpc::ServerUnaryReactor* Enroll(grpc::CallbackServerContext* context,
                                   const mamori::v1::EnrollRequest* request,
                                   mamori::v1::EnrollResponse* response) override;

  grpc::ServerUnaryReactor* Renew(grpc::CallbackServerContext* context,
                                  const mamori::v1::RenewRequest* request,
                                  mamori::v1::EnrollResponse* response) override;

  // Heartbeats agents said they thinned from a full spool (Hello.spool_dropped_heartbeats), summed
  // since start. Each report is also logged with the agent id; nothing is stored in the database.
  std::uint64_t thinned_heartbeats_reported() const { return thinned_heartbeats_reported_; }

 private:
  GroupCommitter& committer_;
  Authorizer& authorizer_;
  AgentEnrollment& enrollment_;
  LiveAgentStreams& streams_;
  std::atomic<std::uint64_t> thinned_heartbeats_reported_{0};
};

}  // namespace mamori::collector
