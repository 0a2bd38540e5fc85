// The JSON report, file names and content types. HTML and CSV: report_render_html.cc and
// report_render_csv.cc; their texts: report_text.h.
#include "collector/report/report_render.h"

#include "absl/strings/str_cat.h"
#include "collector/report/report_text.h"
#include "google/protobuf/util/json_util.h"
#include "proto/codec/report_names.h"

namespace mamori::collector {

// Every field is written, also those at their default (always_print_primitive_fields), so a
// reader finds the same keys in every report: `"hosts": 0` rather than no key. Field names in
// lowerCamelCase, the protobuf JSON mapping's default, as report.proto documents.
std::string RenderReportJson(const mamori::v1::Report& report) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = false;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(report, &json, options).ok()) {
    // Only invalid UTF-8 in a string fails here, and the collector validates every text it
    // stores: an empty document rather than a partial one.
    return "";
  }
  if (json.empty() || json.back() != '\n') {
    json += '\n';
  }
  return json;
}

std::string ReportFileName(const mamori::v1::Report& report, mamori::v1::ReportFormat format) {
  const std::string kind(codec::ReportKindName(report.kind()));
  const std::string extension(codec::ReportFormatName(format));
  const std::string date = report_text::ClinicDateCompact(report.cover().generated_at());
  return absl::StrCat("mamori-", kind.empty() ? "report" : kind, date.empty() ? "" : "-", date, ".",
                      extension.empty() ? "bin" : extension);
}

std::string ReportContentType(mamori::v1::ReportFormat format) {
  switch (format) {
    case mamori::v1::REPORT_FORMAT_HTML:
      return "text/html; charset=utf-8";
    case mamori::v1::REPORT_FORMAT_CSV:
      return "text/csv; charset=utf-8";
    case mamori::v1::REPORT_FORMAT_JSON:
      return "application/json";
    default:
      return "application/octet-stream";
  }
}

}  // namespace mamori::collector
