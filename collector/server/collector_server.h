// The running collector: the gRPC server, its AgentGateway service and the writer thread behind it,
// started and stopped in the order that keeps every Ack truthful.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "collector/ingest/group_committer.h"
#include "collector/server/agent_gateway.h"
#include "collector/server/listen_address.h"
#include "collector/storage/agent_record_store.h"

namespace mamori::collector {

class CollectorServer {
 public:
  // Listens on `listen` (loopback only; port 0 picks a free one). `store` must outlive the server.
  static absl::StatusOr<std::unique_ptr<CollectorServer>> Start(absl::string_view listen,
                                                                AgentRecordStore& store);
  ~CollectorServer();
  CollectorServer(const CollectorServer&) = delete;
  CollectorServer& operator=(const CollectorServer&) = delete;

  // The address actually bound, with the real port: e.g. 127.0.0.1:41234.
  const ListenAddress& address() const { return address_; }

  // Stops accepting streams, gives open ones `grace` to end before cancelling them, then commits
  // what is still queued and stops the writer. Idempotent.
  void Shutdown(absl::Duration grace);

 private:
  CollectorServer(AgentRecordStore& store, ListenAddress address);

  ListenAddress address_;
  // Declaration order is teardown order reversed: the server goes first, the committer last.
  GroupCommitter committer_;
  AgentGatewayService service_;
  std::unique_ptr<grpc::Server> server_;
  bool shut_down_ = false;
};

}  // namespace mamori::collector
