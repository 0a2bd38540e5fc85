// Builds a report's model (report.proto Report) from what the collector knows: the knowledge
// reader's findings, ledger, software, accounts and idle episodes, the evidence register, and the
// previous report (report_runs) for "what changed since". Pure of formats: the renderers
// (report_render.h) turn the model into HTML, CSV or JSON.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "collector/knowledge/knowledge_reader.h"
#include "collector/knowledge/org_register.h"
#include "collector/storage/database.h"
#include "mamori/v1/report.pb.h"
#include "platform/rules/policy.h"

namespace mamori::collector {

inline constexpr char kReportSchema[] = "mamori.report.v1";

struct ReportRequest {
  mamori::v1::ReportKind kind = mamori::v1::REPORT_KIND_UNSPECIFIED;
  std::string generated_by;       // the certificate's user name
  std::string generated_by_role;  // "admin", "vendor"
  absl::Time now;
};

// What the cover names besides the request.
struct ReportOrigin {
  std::string collector_name;  // the collector machine's host name
  std::string mamori_version;
};

// What one generated document was, for report_runs.
struct ReportRun {
  mamori::v1::ReportKind kind = mamori::v1::REPORT_KIND_UNSPECIFIED;
  mamori::v1::ReportFormat format = mamori::v1::REPORT_FORMAT_UNSPECIFIED;
  mamori::v1::ReportLanguage language = mamori::v1::REPORT_LANGUAGE_UNSPECIFIED;
  std::string generated_by;
  std::string generated_by_role;
  absl::Time generated_at;
  int64_t size_bytes = 0;
  std::string sha256;
};

class ReportBuilder {
 public:
  // `db` is a connection of its own (report_runs); the reader and register are shared with the
  // admin service, which serializes calls. All must outlive the builder.
  ReportBuilder(Database& db, KnowledgeReader& knowledge, OrgRegisterStore& org,
                ReportOrigin origin)
      : db_(db), knowledge_(knowledge), org_(org), origin_(std::move(origin)) {}

  // INVALID_ARGUMENT for an unknown kind. The previous report is the newest findings or visit
  // report generated before the start of `now`'s day (Asia/Tokyo), so the formats of one visit
  // pulled the same day all compare with the same baseline (docs/reports.md).
  absl::StatusOr<mamori::v1::Report> Build(const ReportRequest& request,
                                           const rules::Policy& policy);

  // Records a generated document and, for findings and visit reports, the findings open in it.
  absl::Status RecordRun(const mamori::v1::Report& report, const ReportRun& run);

 private:
  Database& db_;
  KnowledgeReader& knowledge_;
  OrgRegisterStore& org_;
  ReportOrigin origin_;
};

}  // namespace mamori::collector
