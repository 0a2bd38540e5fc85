#include "collector/ctl/table_format.h"

#include <algorithm>

#include "collector/ctl/terminal_text.h"
#include "collector/report/csv_cell.h"

namespace mamori::ctl {
namespace {

constexpr char kColumnGap[] = "  ";

// Each row cut or padded to the header's width, every cell cleaned and (but for the last column)
// truncated.
std::vector<std::vector<std::string>> CleanRows(const Table& table, std::size_t max_cell_width) {
  const std::size_t columns = table.header.size();
  std::vector<std::vector<std::string>> rows;
  rows.reserve(table.rows.size() + 1);
  const auto clean = [&](const std::vector<std::string>& cells) {
    std::vector<std::string> row(columns);
    for (std::size_t column = 0; column < columns && column < cells.size(); ++column) {
      std::string cell = CleanForTerminal(cells[column]);
      if (column + 1 < columns) {
        cell = TruncateToWidth(cell, max_cell_width);
      }
      row[column] = std::move(cell);
    }
    return row;
  };
  rows.push_back(clean(table.header));
  for (const std::vector<std::string>& cells : table.rows) {
    rows.push_back(clean(cells));
  }
  return rows;
}

}  // namespace

std::string RenderTable(const Table& table, std::size_t max_cell_width) {
  const std::vector<std::vector<std::string>> rows = CleanRows(table, max_cell_width);
  const std::size_t columns = table.header.size();
  std::vector<std::size_t> widths(columns, 0);
  std::vector<std::vector<std::size_t>> cell_widths;
  cell_widths.reserve(rows.size());
  for (const std::vector<std::string>& row : rows) {
    std::vector<std::size_t>& measured = cell_widths.emplace_back(columns, 0);
    for (std::size_t column = 0; column < columns; ++column) {
      measured[column] = DisplayWidth(row[column]);
      widths[column] = std::max(widths[column], measured[column]);
    }
  }
  std::string out;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::string line;
    for (std::size_t column = 0; column < columns; ++column) {
      line += rows[r][column];
      if (column + 1 < columns) {
        line.append(widths[column] - cell_widths[r][column], ' ');
        line += kColumnGap;
      }
    }
    // An empty last cell leaves padding behind.
    line.erase(line.find_last_not_of(' ') + 1);
    out += line;
    out += '\n';
  }
  return out;
}

std::string CsvField(const std::string& cell) {
  // The formula guard looks at the cell as the agent sent it: a leading tab is escaped below.
  std::string field = csv::StartsFormula(cell) ? "'" : "";
  field += CleanForTerminal(cell);
  return csv::QuoteField(field);
}

std::string RenderCsv(const Table& table) {
  std::string out = "\xEF\xBB\xBF";
  const auto record = [&](const std::vector<std::string>& cells) {
    for (std::size_t column = 0; column < table.header.size(); ++column) {
      if (column > 0) {
        out += ',';
      }
      if (column < cells.size()) {
        out += CsvField(cells[column]);
      }
    }
    out += "\r\n";
  };
  record(table.header);
  for (const std::vector<std::string>& row : table.rows) {
    record(row);
  }
  return out;
}

}  // namespace mamori::ctl
