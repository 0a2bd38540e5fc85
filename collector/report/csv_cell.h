// The one set of CSV cell rules for Japanese Excel, shared by the collector's reports
// (report_render_csv.cc) and mamorictl's tables (ctl/table_format.cc): when a cell could run as a
// formula, and RFC 4180 quoting. Header-only so that both link it without depending on each other;
// each caller decides beforehand how control characters in a cell are shown.
#pragma once

#include <string>
#include <string_view>

namespace mamori::csv {

// Whether a spreadsheet could read `cell` as a formula (or a DDE call): it starts with =, +, -, @,
// a tab or a carriage return, or with the full-width ＝ ＋ － ＠ (Japanese input often produces
// them and some spreadsheets read them like the ASCII ones). Such a cell is written with a
// leading apostrophe so that Excel shows it as text.
inline bool StartsFormula(std::string_view cell) {
  if (cell.empty()) {
    return false;
  }
  switch (cell.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return true;
    default:
      break;
  }
  for (const std::string_view full_width : {"\uFF1D", "\uFF0B", "\uFF0D", "\uFF20"}) {
    if (cell.substr(0, full_width.size()) == full_width) {
      return true;
    }
  }
  return false;
}

// `field` as one RFC 4180 field: quoted when it contains a comma, a double quote, a line break or
// leading or trailing spaces, with each double quote doubled.
inline std::string QuoteField(std::string_view field) {
  const bool quote = field.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!field.empty() && (field.front() == ' ' || field.back() == ' '));
  if (!quote) {
    return std::string(field);
  }
  std::string quoted = "\"";
  for (const char c : field) {
    if (c == '"') {
      quoted += '"';
    }
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

}  // namespace mamori::csv
