// The fixture clinic's report model (tests/fixtures/reports/clinic.textproto) for the renderers'
// tests, and the model of each kind made from it (a kind without a section has it empty, as the
// builder makes it).
#pragma once

#include <fstream>
#include <iterator>
#include <string>

#include "google/protobuf/text_format.h"
#include "mamori/v1/report.pb.h"

namespace mamori::testing {

// Empty when the file is missing or does not parse (the caller asserts on it).
inline mamori::v1::Report LoadFixtureReport(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string text(std::istreambuf_iterator<char>(in), {});
  mamori::v1::Report report;
  if (text.empty() || !google::protobuf::TextFormat::ParseFromString(text, &report)) {
    return {};
  }
  return report;
}

inline mamori::v1::Report ReportOfKind(mamori::v1::Report report, mamori::v1::ReportKind kind) {
  report.set_kind(kind);
  const bool visit = kind == mamori::v1::REPORT_KIND_VISIT;
  if (!visit && kind != mamori::v1::REPORT_KIND_CHECKLIST) {
    report.clear_checklist();
    report.clear_org_records();
  }
  if (!visit && kind != mamori::v1::REPORT_KIND_LEDGER) {
    report.clear_ledger();
    report.clear_software();
  }
  if (!visit && kind != mamori::v1::REPORT_KIND_ACCOUNTS) {
    report.clear_accounts();
  }
  if (!visit && kind != mamori::v1::REPORT_KIND_FINDINGS) {
    report.clear_findings();
  }
  if (!visit) {
    report.clear_idle_episodes();
  }
  return report;
}

}  // namespace mamori::testing
