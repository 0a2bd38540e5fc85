// Renders a report's model (report.proto Report) into a document. Pure: the model in, bytes out,
// no clock, no I/O; the same model always gives the same bytes (golden tests rely on it).
//
// Every text in the model may come from an agent or a person (host, account and software names,
// evidence, notes) and is made inert for its format here: HTML-escaped; in CSV quoted and, when
// it could start a formula, prefixed so that a spreadsheet shows it as text.
#pragma once

#include <string>

#include "mamori/v1/report.pb.h"

namespace mamori::collector {

// A self-contained A4 document (inline CSS, no external fetch, no script), Japanese unless `en`:
// traffic-light status with words beside the colour, the most urgent first, page breaks between
// sections and table headers repeated on each printed page.
std::string RenderReportHtml(const mamori::v1::Report& report, mamori::v1::ReportLanguage language);

// UTF-8 with a BOM and CRLF line ends, for Japanese Excel. A report with several sections (visit)
// is one sheet: each section a title row, its header row and rows, then an empty row.
std::string RenderReportCsv(const mamori::v1::Report& report, mamori::v1::ReportLanguage language);

// The protobuf JSON mapping of the model (its schema is report.proto), pretty-printed, field names
// in lowerCamelCase, enums by name; language-independent (both languages' texts are in it).
std::string RenderReportJson(const mamori::v1::Report& report);

// The suggested file name: "mamori-<kind>-<YYYYMMDD>.<ext>" (the date of generated_at, JST).
std::string ReportFileName(const mamori::v1::Report& report, mamori::v1::ReportFormat format);

// "text/html; charset=utf-8", "text/csv; charset=utf-8", "application/json".
std::string ReportContentType(mamori::v1::ReportFormat format);

}  // namespace mamori::collector
