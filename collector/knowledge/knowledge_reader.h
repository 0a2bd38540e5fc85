// The read side of what the collector knows (proto/mamori/v1/query.proto): findings and their
// history, the ledger, software across hosts, accounts with their review state, idle episodes.
// It has its own SQLite connection (WAL lets it read while the writer thread commits) and is not
// thread-safe: the admin service serializes calls on it. Requests are validated here (page sizes,
// tokens, enum values, text lengths) and answered with INVALID_ARGUMENT naming the field.
#pragma once

#include <filesystem>
#include <span>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "collector/storage/database.h"
#include "mamori/v1/admin.pb.h"
#include "mamori/v1/query.pb.h"
#include "platform/rules/finding.h"
#include "platform/rules/policy.h"

namespace mamori::collector {

// Page sizes: 0 means kDefaultPageSize; above kMaxPageSize is INVALID_ARGUMENT.
inline constexpr int kDefaultPageSize = 100;
inline constexpr int kMaxPageSize = 1000;

class KnowledgeReader {
 public:
  // The database must exist (the server creates and migrates it first).
  static absl::StatusOr<KnowledgeReader> Open(const std::filesystem::path& path);

  KnowledgeReader(KnowledgeReader&&) noexcept = default;
  KnowledgeReader& operator=(KnowledgeReader&&) noexcept = default;

  // `now` and `policy` decide what is due (account reviews) and how contact is described; the
  // stored findings are returned as the writer evaluated them.
  absl::StatusOr<mamori::v1::ListHostsResponse> ListHosts(
      const mamori::v1::ListHostsRequest& request);
  // NOT_FOUND "no host named X"; FAILED_PRECONDITION "X names N hosts; use the agent id".
  absl::StatusOr<mamori::v1::GetHostResponse> GetHost(const mamori::v1::GetHostRequest& request);
  absl::StatusOr<mamori::v1::ListFindingsResponse> ListFindings(
      const mamori::v1::ListFindingsRequest& request);
  absl::StatusOr<mamori::v1::ListFindingHistoryResponse> ListFindingHistory(
      const mamori::v1::ListFindingHistoryRequest& request);
  absl::StatusOr<mamori::v1::ListLedgerResponse> ListLedger(
      const mamori::v1::ListLedgerRequest& request);
  absl::StatusOr<mamori::v1::ListSoftwareResponse> ListSoftware(
      const mamori::v1::ListSoftwareRequest& request);
  absl::StatusOr<mamori::v1::ListAccountsResponse> ListAccounts(
      const mamori::v1::ListAccountsRequest& request, const rules::Policy& policy, absl::Time now);
  absl::StatusOr<mamori::v1::ListIdleEpisodesResponse> ListIdleEpisodes(
      const mamori::v1::ListIdleEpisodesRequest& request);
  // The dashboard (clinic_summary.cc): counts of PCs, the three most urgent actions, open findings
  // per area and 90 days of compliance from finding_history. `clinic_findings` are the MAM-ORG
  // verdicts of the evidence register (rules::EvaluateOrgRules), which are not stored; days are
  // the policy's time zone's (Asia/Tokyo).
  absl::StatusOr<mamori::v1::GetClinicSummaryResponse> GetClinicSummary(
      const mamori::v1::GetClinicSummaryRequest& request, const rules::Policy& policy,
      absl::Time now, std::span<const rules::Finding> clinic_findings);

  // The admins' writes. They are small and rare, so they go through this connection (SQLite's
  // busy timeout serializes them with the writer thread). `actor` is the admin's user name.
  absl::StatusOr<mamori::v1::UpdateHostAnnotationsResponse> UpdateHostAnnotations(
      const mamori::v1::UpdateHostAnnotationsRequest& request, absl::string_view actor,
      absl::Time now);
  absl::StatusOr<mamori::v1::RecordAccountReviewResponse> RecordAccountReview(
      const mamori::v1::RecordAccountReviewRequest& request, absl::string_view actor,
      const rules::Policy& policy, absl::Time now);

 private:
  explicit KnowledgeReader(Database db) : db_(std::move(db)) {}
  Database db_;
};

}  // namespace mamori::collector
