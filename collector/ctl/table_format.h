// The two text renderings of mamorictl's rows: an aligned table for a terminal and RFC 4180 CSV for
// Japanese Excel. Both make every cell safe first (terminal_text.h): cells hold untrusted text from
// agents.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace mamori::ctl {

// Rows of cells under a header; every row has the header's number of cells (missing cells are
// empty, extra ones are dropped).
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// Cells wider than this are cut with "…", except in the last column (nothing follows it to push
// out of line).
inline constexpr std::size_t kMaxCellWidth = 40;

// Columns padded to their widest cell by display width (two spaces between columns, no trailing
// spaces), one line per row after the header, each ending in "\n". Cells are cleaned
// (CleanForTerminal) and cut to `max_cell_width` columns except the last.
std::string RenderTable(const Table& table, std::size_t max_cell_width = kMaxCellWidth);

// RFC 4180: a UTF-8 byte order mark (Excel reads the file as UTF-8 only with it), CRLF after every
// record, fields quoted when they contain a comma, a double quote or leading or trailing spaces
// (quotes doubled). A field that a spreadsheet would run as a formula (starting with =, +, -, @,
// TAB or CR, or the full-width ＝ ＋ － ＠) gets a leading apostrophe: the rules of
// collector/report/csv_cell.h, shared with the collector's CSV reports. Control characters are
// escaped as for the table.
std::string RenderCsv(const Table& table);

// One CSV field, as RenderCsv writes it; exposed for tests.
std::string CsvField(const std::string& cell);

}  // namespace mamori::ctl
