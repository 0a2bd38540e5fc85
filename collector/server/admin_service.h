// The CollectorAdmin gRPC service (proto/mamori/v1/admin.proto) that mamorictl calls with a
// person's certificate. Each RPC is checked by the Authorizer's one table first, then does its work
// on the same stores the command line uses, and leaves an audit event either way.
#pragma once

#include <grpcpp/grpcpp.h>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "collector/server/authorization.h"
#include "collector/storage/agent_record_store.h"
#include "collector/storage/audit_log.h"
#include "collector/storage/trust_store.h"
#include "mamori/v1/admin.grpc.pb.h"

namespace mamori::collector {

// What the people's RPCs work on. Each store has its own SQLite connection; `hosts` must not be the
// one the writer thread commits through.
struct AdminStores {
  AgentRecordStore& hosts;
  TrustStore& trust;
  AuditLog& audit;
};

// Bounds of ListAuditEvents.
inline constexpr int kDefaultAuditEventLimit = 1000;
inline constexpr int kMaxAuditEventLimit = 10'000;

class CollectorAdminService final : public mamori::v1::CollectorAdmin::CallbackService {
 public:
  // Both must outlive the service.
  CollectorAdminService(Authorizer& authorizer, AdminStores stores)
      : authorizer_(authorizer), stores_(stores) {}

  grpc::ServerUnaryReactor* ListHosts(grpc::CallbackServerContext* context,
                                      const mamori::v1::ListHostsRequest* request,
                                      mamori::v1::ListHostsResponse* response) override;
  grpc::ServerUnaryReactor* ListEnrollmentTokens(
      grpc::CallbackServerContext* context, const mamori::v1::ListEnrollmentTokensRequest* request,
      mamori::v1::ListEnrollmentTokensResponse* response) override;
  grpc::ServerUnaryReactor* CreateEnrollmentToken(
      grpc::CallbackServerContext* context, const mamori::v1::CreateEnrollmentTokenRequest* request,
      mamori::v1::CreateEnrollmentTokenResponse* response) override;
  grpc::ServerUnaryReactor* RevokeEnrollmentToken(
      grpc::CallbackServerContext* context, const mamori::v1::RevokeEnrollmentTokenRequest* request,
      mamori::v1::RevokeEnrollmentTokenResponse* response) override;
  grpc::ServerUnaryReactor* RemoveHost(grpc::CallbackServerContext* context,
                                       const mamori::v1::RemoveHostRequest* request,
                                       mamori::v1::RemoveHostResponse* response) override;
  grpc::ServerUnaryReactor* ListAuditEvents(grpc::CallbackServerContext* context,
                                            const mamori::v1::ListAuditEventsRequest* request,
                                            mamori::v1::ListAuditEventsResponse* response) override;

 private:
  // What an RPC's work tells the audit log besides its outcome.
  struct Effect {
    std::string target;
    std::string detail;
  };
  using Work =
      absl::FunctionRef<absl::Status(const Principal& caller, absl::Time now, Effect& effect)>;

  // Authorizes `method` (a refusal is audited by the Authorizer), checks the request's bounds,
  // runs `work` and audits its outcome. Finishes the call.
  grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* context, absl::string_view method,
                                  const google::protobuf::Message& request, Work work);

  Authorizer& authorizer_;
  AdminStores stores_;
  // AgentRecordStore has no lock of its own.
  absl::Mutex hosts_mu_;
};

}  // namespace mamori::collector
