// The running collector: the gRPC server (TLS only) with its AgentGateway service, the writer
// thread behind it and the revocation watcher, started and stopped in the order that keeps every
// Ack truthful.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "collector/ingest/group_committer.h"
#include "collector/server/admin_service.h"
#include "collector/server/agent_gateway.h"
#include "collector/server/authorization.h"
#include "collector/server/collector_identity.h"
#include "collector/server/enrollment.h"
#include "collector/server/listen_address.h"
#include "collector/server/live_agent_streams.h"
#include "collector/storage/agent_record_store.h"
#include "collector/storage/audit_log.h"
#include "collector/storage/trust_store.h"
#include "collector/storage/user_store.h"

namespace mamori::collector {

// How often the server looks for revocations made by other processes (`host remove`).
inline constexpr absl::Duration kRevocationPollInterval = absl::Seconds(1);

// What the people's side (CollectorAdmin, admin.proto) needs. `hosts_reader` is a connection of
// its own, not the store the writer thread commits through. All must outlive the server.
struct PeopleServices {
  UserStore& users;
  AuditLog& audit;
  AgentRecordStore& hosts_reader;
};

class CollectorServer {
 public:
  // Listens on `listen` (an IP literal; port 0 picks a free one) with TLS: the server certificate
  // and CA of `identity`, client certificates requested and, when presented, verified against the
  // CA (Enroll runs without one; every other RPC requires one, see authorization.h). `store`,
  // `trust` and `identity` must outlive the server.
  static absl::StatusOr<std::unique_ptr<CollectorServer>> Start(
      absl::string_view listen, AgentRecordStore& store, TrustStore& trust,
      const CollectorIdentity& identity, const PeopleServices* people = nullptr);
  ~CollectorServer();
  CollectorServer(const CollectorServer&) = delete;
  CollectorServer& operator=(const CollectorServer&) = delete;

  // The address actually bound, with the real port: e.g. 127.0.0.1:41234.
  const ListenAddress& address() const { return address_; }

  // Stops accepting streams, gives open ones `grace` to end before cancelling them, then commits
  // what is still queued and stops the writer. Idempotent.
  void Shutdown(absl::Duration grace);

 private:
  CollectorServer(AgentRecordStore& store, TrustStore& trust, const CollectorIdentity& identity,
                  ListenAddress address, const PeopleServices* people);
  // Polls the revocation generation; when it moves, cancels the streams of revoked certificates.
  void WatchRevocations();

  ListenAddress address_;
  TrustStore& trust_;
  // Declaration order is teardown order reversed: the server goes first, the committer last.
  GroupCommitter committer_;
  Authorizer authorizer_;
  AgentEnrollment enrollment_;
  LiveAgentStreams streams_;
  AgentGatewayService service_;
  std::unique_ptr<CollectorAdminService> admin_service_;  // null without PeopleServices
  std::unique_ptr<grpc::Server> server_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread revocation_watcher_;
  bool shut_down_ = false;
};

}  // namespace mamori::collector
