// The running collector: the gRPC server (TLS only) with its AgentGateway service, the writer
// thread behind it, the revocation watcher and the knowledge's maintenance (contact sweeps, policy
// file reloads), started and stopped in the order that keeps every Ack truthful.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "collector/ingest/group_committer.h"
#include "collector/knowledge/knowledge_reader.h"
#include "collector/knowledge/knowledge_writer.h"
#include "collector/knowledge/org_register.h"
#include "collector/knowledge/policy_source.h"
#include "collector/report/report_builder.h"
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

// What the people's side (CollectorAdmin, admin.proto) needs. `knowledge` is a connection of its
// own, not the store the writer thread commits through; `policy` is the policy in force. All must
// outlive the server.
struct PeopleServices {
  UserStore& users;
  AuditLog& audit;
  KnowledgeReader& knowledge;
  const PolicySource& policy;
  OrgRegisterStore& org;
  ReportBuilder& reports;
};

// What evaluates while serving. The store's observer must already be `writer` (set before Start, so
// that no record is ever committed without its findings). All must outlive the server.
struct KnowledgeServices {
  KnowledgeWriter& writer;
  PolicySource& policy;
  // Watched for edits (a valid edit replaces the policy and re-evaluates every host); nullopt: the
  // built-in defaults, nothing to watch.
  std::optional<std::filesystem::path> policy_file;
  absl::Duration sweep_interval = absl::Seconds(30);
  absl::Duration policy_poll_interval = absl::Seconds(5);
};

class CollectorServer {
 public:
  // Listens on `listen` (an IP literal; port 0 picks a free one) with TLS: the server certificate
  // and CA of `identity`, client certificates requested and, when presented, verified against the
  // CA (Enroll runs without one; every other RPC requires one, see authorization.h). `store`,
  // `trust` and `identity` must outlive the server.
  static absl::StatusOr<std::unique_ptr<CollectorServer>> Start(
      absl::string_view listen, AgentRecordStore& store, TrustStore& trust,
      const CollectorIdentity& identity, const PeopleServices* people = nullptr,
      const KnowledgeServices* knowledge = nullptr);
  ~CollectorServer();
  CollectorServer(const CollectorServer&) = delete;
  CollectorServer& operator=(const CollectorServer&) = delete;

  // The address actually bound, with the real port: e.g. 127.0.0.1:41234.
  const ListenAddress& address() const { return address_; }
  const AgentGatewayService& agent_gateway() const { return service_; }
  const LiveAgentStreams& live_agent_streams() const { return streams_; }
  // The people's RPCs, for the console's calls without gRPC (collector/console/); null without
  // PeopleServices.
  CollectorAdminService* admin_service() { return admin_service_.get(); }

  // Stops accepting streams, gives open ones `grace` to end before cancelling them, then commits
  // what is still queued and stops the writer. Idempotent.
  void Shutdown(absl::Duration grace);

 private:
  CollectorServer(AgentRecordStore& store, TrustStore& trust, const CollectorIdentity& identity,
                  ListenAddress address, const PeopleServices* people);
  // Polls the revocation generation; when it moves, cancels the streams of revoked certificates.
  void WatchRevocations();
  // Submits a Sweep every sweep_interval and reloads the policy file when it changes, both as
  // writer tasks so they never contend with ingest.
  void RunMaintenance();
  void SubmitSweep();
  void SubmitReevaluation(bool only_if_policy_changed);

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
  std::optional<KnowledgeServices> knowledge_;
  std::optional<PolicyFileWatcher> policy_watcher_;
  std::atomic<bool> sweep_pending_{false};  // at most one sweep queued at a time
  std::thread maintenance_;
  bool shut_down_ = false;
};

}  // namespace mamori::collector
