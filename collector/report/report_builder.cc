// SCAFFOLD (issue 7, helper B replaces): the report model builder.
#include "collector/report/report_builder.h"

namespace mamori::collector {

absl::StatusOr<mamori::v1::Report> ReportBuilder::Build(const ReportRequest&,
                                                        const rules::Policy&) {
  return absl::UnimplementedError("reports are not built yet");
}

absl::Status ReportBuilder::RecordRun(const mamori::v1::Report&, const ReportRun&) {
  return absl::UnimplementedError("reports are not built yet");
}

}  // namespace mamori::collector
