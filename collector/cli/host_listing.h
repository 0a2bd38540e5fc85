// How `mamori-collector hosts` prints the host list: an aligned table for people, JSON for scripts.
#pragma once

#include <span>
#include <string>

#include "absl/strings/string_view.h"
#include "collector/storage/agent_record_store.h"

namespace mamori::collector {

// Columns AGENT ID, HOSTNAME, OS, VERSION, PRETTY NAME, LAST SEEN, padded to line up in a terminal
// (East Asian wide characters count as two columns). Ends with a newline; only the header when
// empty.
std::string FormatHostTable(std::span<const HostSummary> hosts);

// An array of objects with keys agent_id, hostname, os_name, os_version, os_pretty_name, last_seen
// (RFC 3339 UTC). Ends with a newline.
std::string FormatHostJson(std::span<const HostSummary> hosts);

// Terminal columns taken by UTF-8 `text`; exposed for tests.
std::size_t DisplayWidth(absl::string_view text);

}  // namespace mamori::collector
