// SCAFFOLD (issue 7, helper C replaces): the renderers.
#include "collector/report/report_render.h"

namespace mamori::collector {

std::string RenderReportHtml(const mamori::v1::Report&, mamori::v1::ReportLanguage) { return {}; }
std::string RenderReportCsv(const mamori::v1::Report&, mamori::v1::ReportLanguage) { return {}; }
std::string RenderReportJson(const mamori::v1::Report&) { return {}; }
std::string ReportFileName(const mamori::v1::Report&, mamori::v1::ReportFormat) { return {}; }
std::string ReportContentType(mamori::v1::ReportFormat) { return {}; }

}  // namespace mamori::collector
