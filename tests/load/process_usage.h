// Another process's memory and CPU as Linux reports them in /proc (TEST ONLY: mamori-fleetsim
// reports the collector's RSS and CPU beside its throughput).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

namespace mamori::fleet {

struct ProcessUsage {
  std::uint64_t rss_bytes = 0;       // VmRSS
  std::uint64_t peak_rss_bytes = 0;  // VmHWM: the high-water mark since the process started
  std::uint64_t cpu_ticks = 0;       // utime + stime, in clock ticks (sysconf(_SC_CLK_TCK))
};

// VmRSS and VmHWM (kB) from the text of /proc/PID/status; nullopt when either is missing.
std::optional<ProcessUsage> ParseProcStatus(std::string_view status);

// utime + stime from the text of /proc/PID/stat. The command name (field 2) is in parentheses and
// may itself hold spaces and parentheses, so fields are counted after its last ')'.
std::optional<std::uint64_t> ParseProcStatCpuTicks(std::string_view stat);

// Both, read from `proc_root`/PID (proc_root is /proc but for tests); nullopt when the process is
// gone or the files do not parse.
std::optional<ProcessUsage> ReadProcessUsage(int pid,
                                             const std::filesystem::path& proc_root = "/proc");

}  // namespace mamori::fleet
