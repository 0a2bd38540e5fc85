#include "collector/cli/host_listing.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "nlohmann/json.hpp"

namespace mamori::collector {
namespace {

// Wide (two-column) ranges from Unicode's East Asian Width property, coarsely: enough for the
// Japanese host and OS names a clinic will see.
bool IsWide(std::uint32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
         (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
         (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
         (c >= 0x20000 && c <= 0x3FFFD);
}

std::vector<std::string> Row(const HostSummary& host) {
  return {host.agent_id,   host.hostname,       host.os_name,
          host.os_version, host.os_pretty_name, FormatStoredTime(host.last_seen)};
}

}  // namespace

std::size_t DisplayWidth(absl::string_view text) {
  std::size_t width = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 1;
    std::uint32_t c = lead;
    if (lead >= 0xF0) {
      length = 4;
      c = lead & 0x07u;
    } else if (lead >= 0xE0) {
      length = 3;
      c = lead & 0x0Fu;
    } else if (lead >= 0xC0) {
      length = 2;
      c = lead & 0x1Fu;
    }
    for (std::size_t k = 1; k < length && i + k < text.size(); ++k) {
      c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3Fu);
    }
    width += IsWide(c) ? std::size_t{2} : std::size_t{1};
    i += length;
  }
  return width;
}

std::string FormatHostTable(std::span<const HostSummary> hosts) {
  const std::array<std::string, 6> header = {"AGENT ID", "HOSTNAME",    "OS",
                                             "VERSION",  "PRETTY NAME", "LAST SEEN"};
  std::vector<std::vector<std::string>> rows;
  rows.emplace_back(header.begin(), header.end());
  for (const HostSummary& host : hosts) {
    rows.push_back(Row(host));
  }
  std::array<std::size_t, header.size()> widths{};
  for (const auto& row : rows) {
    for (std::size_t column = 0; column < row.size(); ++column) {
      widths[column] = std::max(widths[column], DisplayWidth(row[column]));
    }
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t column = 0; column < row.size(); ++column) {
      line += row[column];
      if (column + 1 < row.size()) {
        line.append(widths[column] - DisplayWidth(row[column]) + 2, ' ');
      }
    }
    // Empty trailing cells would otherwise leave trailing spaces.
    line.erase(line.find_last_not_of(' ') + 1);
    out += line;
    out += '\n';
  }
  return out;
}

std::string FormatHostJson(std::span<const HostSummary> hosts) {
  nlohmann::json array = nlohmann::json::array();
  for (const HostSummary& host : hosts) {
    array.push_back({
        {"agent_id", host.agent_id},
        {"hostname", host.hostname},
        {"os_name", host.os_name},
        {"os_version", host.os_version},
        {"os_pretty_name", host.os_pretty_name},
        {"last_seen", FormatStoredTime(host.last_seen)},
    });
  }
  // Stored strings were validated as UTF-8 on the way in; replace rather than throw if one was not.
  return array.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace mamori::collector
