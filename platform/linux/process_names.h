// Lists the names of the running processes from <root>/proc/<pid>/comm: how the antivirus and USB
// probes tell whether a daemon (clamd, usbguard-daemon, falcon-sensor) is running.
#pragma once

#include <cstddef>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>

namespace mamori::platform {

// A clinic PC runs a few hundred processes; a /proc with more entries than this is not listed in
// full (and says so), so a planted or runaway process table cannot stall the probe.
inline constexpr std::size_t kMaxProcessesListed = 32768;

struct ProcessNames {
  std::set<std::string> names;  // comm values ("clamd"); the kernel truncates them to 15 bytes
  std::string error;            // empty when /proc could be listed
  bool truncated = false;       // stopped after kMaxProcessesListed processes
  bool ok() const { return error.empty(); }
  // Whether a process with this name runs; names longer than the kernel's comm are truncated the
  // same way before comparing ("sophos_threat_detector" -> "sophos_threat_d").
  bool Contains(std::string_view name) const;
};

// proc_dir is <root>/proc. Processes that exit while being listed are skipped.
ProcessNames ListProcessNames(const std::filesystem::path& proc_dir,
                              std::size_t max_processes = kMaxProcessesListed);

}  // namespace mamori::platform
