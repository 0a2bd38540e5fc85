// The CollectorAdmin gRPC service (proto/mamori/v1/admin.proto, query.proto) that mamorictl calls
// with a person's certificate. Each RPC is checked by the Authorizer's one table first, then does
// its work on the same stores the command line uses, and leaves an audit event either way.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "collector/knowledge/knowledge_reader.h"
#include "collector/knowledge/org_register.h"
#include "collector/knowledge/policy_source.h"
#include "collector/report/report_builder.h"
#include "collector/server/authorization.h"
#include "collector/storage/audit_log.h"
#include "collector/storage/trust_store.h"
#include "mamori/v1/admin.grpc.pb.h"

namespace mamori::collector {

// What the people's RPCs work on. Each store has its own SQLite connection; `knowledge` must not be
// the one the writer thread commits through. `policy` decides which account reviews are due.
struct AdminStores {
  TrustStore& trust;
  AuditLog& audit;
  KnowledgeReader& knowledge;
  const PolicySource& policy;
  OrgRegisterStore& org;
  ReportBuilder& reports;
};

// A rendered report larger than this is refused (RESOURCE_EXHAUSTED); a clinic's visit report is a
// few hundred KiB.
inline constexpr std::size_t kMaxReportBytes = 64u * 1024 * 1024;
// GenerateReport streams the document in chunks of at most this size.
inline constexpr std::size_t kReportChunkBytes = 256u * 1024;

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

  // What the collector knows (query.proto), answered by the KnowledgeReader.
  grpc::ServerUnaryReactor* GetHost(grpc::CallbackServerContext* context,
                                    const mamori::v1::GetHostRequest* request,
                                    mamori::v1::GetHostResponse* response) override;
  grpc::ServerUnaryReactor* ListFindings(grpc::CallbackServerContext* context,
                                         const mamori::v1::ListFindingsRequest* request,
                                         mamori::v1::ListFindingsResponse* response) override;
  grpc::ServerUnaryReactor* ListFindingHistory(
      grpc::CallbackServerContext* context, const mamori::v1::ListFindingHistoryRequest* request,
      mamori::v1::ListFindingHistoryResponse* response) override;
  grpc::ServerUnaryReactor* ListLedger(grpc::CallbackServerContext* context,
                                       const mamori::v1::ListLedgerRequest* request,
                                       mamori::v1::ListLedgerResponse* response) override;
  grpc::ServerUnaryReactor* ListSoftware(grpc::CallbackServerContext* context,
                                         const mamori::v1::ListSoftwareRequest* request,
                                         mamori::v1::ListSoftwareResponse* response) override;
  grpc::ServerUnaryReactor* ListAccounts(grpc::CallbackServerContext* context,
                                         const mamori::v1::ListAccountsRequest* request,
                                         mamori::v1::ListAccountsResponse* response) override;
  grpc::ServerUnaryReactor* ListIdleEpisodes(
      grpc::CallbackServerContext* context, const mamori::v1::ListIdleEpisodesRequest* request,
      mamori::v1::ListIdleEpisodesResponse* response) override;
  grpc::ServerUnaryReactor* UpdateHostAnnotations(
      grpc::CallbackServerContext* context, const mamori::v1::UpdateHostAnnotationsRequest* request,
      mamori::v1::UpdateHostAnnotationsResponse* response) override;
  grpc::ServerUnaryReactor* RecordAccountReview(
      grpc::CallbackServerContext* context, const mamori::v1::RecordAccountReviewRequest* request,
      mamori::v1::RecordAccountReviewResponse* response) override;

  // Reports and the evidence register (report.proto).
  grpc::ServerWriteReactor<mamori::v1::ReportChunk>* GenerateReport(
      grpc::CallbackServerContext* context,
      const mamori::v1::GenerateReportRequest* request) override;
  grpc::ServerUnaryReactor* ListOrgEvidence(grpc::CallbackServerContext* context,
                                            const mamori::v1::ListOrgEvidenceRequest* request,
                                            mamori::v1::ListOrgEvidenceResponse* response) override;
  grpc::ServerUnaryReactor* RecordOrgEvidence(
      grpc::CallbackServerContext* context, const mamori::v1::RecordOrgEvidenceRequest* request,
      mamori::v1::RecordOrgEvidenceResponse* response) override;
  // The dashboard (query.proto GetClinicSummaryResponse).
  grpc::ServerUnaryReactor* GetClinicSummary(
      grpc::CallbackServerContext* context, const mamori::v1::GetClinicSummaryRequest* request,
      mamori::v1::GetClinicSummaryResponse* response) override;

  // The console's way in (collector/console/): the same table, bounds, work and audit as the gRPC
  // call, for a person the console has already identified by their session (`caller` has no
  // certificate serial). `method_name` is the RPC's name ("ListHosts"); the answer is that RPC's
  // response message. NOT_FOUND for a name that is no unary CollectorAdmin RPC. The audit detail
  // of such a call starts with "console: ".
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> CallAsPerson(
      const Principal& caller, absl::string_view method_name,
      const google::protobuf::Message& request);

  // GenerateReport for the console: the whole document and its header (the same digest the audit
  // records).
  struct RenderedReport {
    mamori::v1::ReportHeader header;
    std::string document;
  };
  absl::StatusOr<RenderedReport> GenerateReportAsPerson(
      const Principal& caller, const mamori::v1::GenerateReportRequest& request);

  // An empty request message of the CollectorAdmin RPC `method_name` ("ListHosts"); NOT_FOUND when
  // the service has no such RPC.
  static absl::StatusOr<std::unique_ptr<google::protobuf::Message>> NewRequest(
      absl::string_view method_name);

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
  // The part of Serve that does not finish the call: authorizes, checks bounds, runs `work` and
  // audits. Returns the status the call ends with.
  absl::Status Handle(grpc::CallbackServerContext* context, absl::string_view method,
                      const google::protobuf::Message& request, Work work);
  // The part of Handle after authorization: checks bounds, runs `work` and audits with
  // `detail_prefix` before the work's detail ("console: " for the console).
  absl::Status Run(const Principal& caller, absl::Time now, absl::string_view method,
                   const google::protobuf::Message& request, absl::string_view detail_prefix,
                   Work work);

  // One unary RPC's work, shared by the gRPC method and CallAsPerson.
  absl::Status DoListHosts(const mamori::v1::ListHostsRequest* request,
                           mamori::v1::ListHostsResponse* response, const Principal& caller,
                           absl::Time now, Effect& effect);
  absl::Status DoListEnrollmentTokens(const mamori::v1::ListEnrollmentTokensRequest* request,
                                      mamori::v1::ListEnrollmentTokensResponse* response,
                                      const Principal& caller, absl::Time now, Effect& effect);
  absl::Status DoCreateEnrollmentToken(const mamori::v1::CreateEnrollmentTokenRequest* request,
                                       mamori::v1::CreateEnrollmentTokenResponse* response,
                                       const Principal& caller, absl::Time now, Effect& effect);
  absl::Status DoRevokeEnrollmentToken(const mamori::v1::RevokeEnrollmentTokenRequest* request,
                                       mamori::v1::RevokeEnrollmentTokenResponse* response,
                                       const Principal& caller, absl::Time now, Effect& effect);
  absl::Status DoRemoveHost(const mamori::v1::RemoveHostRequest* request,
                            mamori::v1::RemoveHostResponse* response, const Principal& caller,
                            absl::Time now, Effect& effect);
  absl::Status DoListAuditEvents(const mamori::v1::ListAuditEventsRequest* request,
                                 mamori::v1::ListAuditEventsResponse* response,
                                 const Principal& caller, absl::Time now, Effect& effect);
  absl::Status DoGetHost(const mamori::v1::GetHostRequest* request,
                         mamori::v1::GetHostResponse* response, const Principal& caller,
                         absl::Time now, Effect& effect);
  absl::Status DoListFindings(const mamori::v1::ListFindingsRequest* request,
                              mamori::v1::ListFindingsResponse* response, const Principal& caller,
                              absl::Time now, Effect& effect);
  absl::Status DoListFindingHistory(const mamori::v1::ListFindingHistoryRequest* request,
                                    mamori::v1::ListFindingHistoryResponse* response,
                                    const Principal& caller, absl::Time now, Effect& effect);
  absl::Status DoListLedger(const mamori::v1::ListLedgerRequest* request,
                            mamori::v1::ListLedgerResponse* response, const Principal& caller,
                            absl::Time now, Effect& effect);
  absl::Status DoListSoftware(const mamori::v1::ListSoftwareRequest* request,
                              mamori::v1::ListSoftwareResponse* response, const Principal& caller,
                              absl::Time now, Effect& effect);
  absl::Status DoListAccounts(const mamori::v1::ListAccountsRequest* request,
                              mamori::v1::ListAccountsResponse* response, const Principal& caller,
                              absl::Time now, Effect& effect);
  absl::Status DoListIdleEpisodes(const mamori::v1::ListIdleEpisodesRequest* request,
                                  mamori::v1::ListIdleEpisodesResponse* response,
                                  const Principal& caller, absl::Time now, Effect& effect);
  absl::Status DoUpdateHostAnnotations(const mamori::v1::UpdateHostAnnotationsRequest* request,
                                       mamori::v1::UpdateHostAnnotationsResponse* response,
                                       const Principal& caller, absl::Time now, Effect& effect);
  absl::Status DoRecordAccountReview(const mamori::v1::RecordAccountReviewRequest* request,
                                     mamori::v1::RecordAccountReviewResponse* response,
                                     const Principal& caller, absl::Time now, Effect& effect);
  absl::Status DoListOrgEvidence(const mamori::v1::ListOrgEvidenceRequest* request,
                                 mamori::v1::ListOrgEvidenceResponse* response,
                                 const Principal& caller, absl::Time now, Effect& effect);
  absl::Status DoRecordOrgEvidence(const mamori::v1::RecordOrgEvidenceRequest* request,
                                   mamori::v1::RecordOrgEvidenceResponse* response,
                                   const Principal& caller, absl::Time now, Effect& effect);

  absl::Status DoGetClinicSummary(const mamori::v1::GetClinicSummaryRequest* request,
                                  mamori::v1::GetClinicSummaryResponse* response,
                                  const Principal& caller, absl::Time now, Effect& effect);
  absl::Status DoGenerateReport(const mamori::v1::GenerateReportRequest* request,
                                RenderedReport* rendered, const Principal& caller, absl::Time now,
                                Effect& effect);

  // How CallAsPerson finds the work of a method name.
  struct PersonMethod;
  static const PersonMethod* FindPersonMethod(absl::string_view method_name);
  template <typename Request, typename Response,
            absl::Status (CollectorAdminService::*Do)(const Request*, Response*, const Principal&,
                                                      absl::Time, Effect&)>
  static PersonMethod MakePersonMethod(absl::string_view name, absl::string_view method);

  // Builds and renders the report a caller asked for, or says why not.
  absl::StatusOr<std::string> RenderReport(const mamori::v1::GenerateReportRequest& request,
                                           const Principal& caller, absl::Time now,
                                           mamori::v1::ReportHeader& header);

  Authorizer& authorizer_;
  AdminStores stores_;
  // KnowledgeReader, OrgRegisterStore and ReportBuilder have no lock of their own; the builder
  // reads through the other two, so one lock covers all three.
  absl::Mutex knowledge_mu_;
};

}  // namespace mamori::collector
