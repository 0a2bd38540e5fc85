#include "tests/load/process_usage.h"

#include <charconv>
#include <fstream>
#include <iterator>
#include <string>

namespace mamori::fleet {
namespace {

constexpr std::size_t kMaxProcFileBytes = 64 * 1024;

std::optional<std::uint64_t> ParseNumber(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end == text.data()) {
    return std::nullopt;
  }
  return value;
}

// "VmRSS:\t  123456 kB" -> 123456 * 1024.
std::optional<std::uint64_t> StatusKilobytes(std::string_view status, std::string_view key) {
  std::size_t at = 0;
  while (at < status.size()) {
    const std::size_t end = std::min(status.find('\n', at), status.size());
    std::string_view line = status.substr(at, end - at);
    at = end + 1;
    if (line.substr(0, key.size()) != key || line.size() <= key.size() || line[key.size()] != ':') {
      continue;
    }
    line.remove_prefix(key.size() + 1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
      line.remove_prefix(1);
    }
    const std::optional<std::uint64_t> kilobytes = ParseNumber(line);
    if (!kilobytes.has_value()) {
      return std::nullopt;
    }
    return *kilobytes * 1024;
  }
  return std::nullopt;
}

std::optional<std::string> ReadSmall(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::string text(kMaxProcFileBytes, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

}  // namespace

std::optional<ProcessUsage> ParseProcStatus(std::string_view status) {
  const std::optional<std::uint64_t> rss = StatusKilobytes(status, "VmRSS");
  const std::optional<std::uint64_t> peak = StatusKilobytes(status, "VmHWM");
  if (!rss.has_value() || !peak.has_value()) {
    return std::nullopt;
  }
  return ProcessUsage{*rss, *peak, 0};
}

std::optional<std::uint64_t> ParseProcStatCpuTicks(std::string_view stat) {
  const std::size_t name_end = stat.rfind(')');
  if (name_end == std::string_view::npos) {
    return std::nullopt;
  }
  // After ") ": field 3 (state) is the first; utime and stime are fields 14 and 15.
  std::string_view rest = stat.substr(name_end + 1);
  std::optional<std::uint64_t> utime;
  std::optional<std::uint64_t> stime;
  int field = 2;
  std::size_t at = 0;
  while (at < rest.size() && field < 15) {
    while (at < rest.size() && rest[at] == ' ') {
      ++at;
    }
    const std::size_t end = std::min(rest.find(' ', at), rest.size());
    ++field;
    if (field == 14) {
      utime = ParseNumber(rest.substr(at, end - at));
    } else if (field == 15) {
      stime = ParseNumber(rest.substr(at, end - at));
    }
    at = end;
  }
  if (!utime.has_value() || !stime.has_value()) {
    return std::nullopt;
  }
  return *utime + *stime;
}

std::optional<ProcessUsage> ReadProcessUsage(int pid, const std::filesystem::path& proc_root) {
  if (pid <= 0) {
    return std::nullopt;
  }
  const std::filesystem::path dir = proc_root / std::to_string(pid);
  const std::optional<std::string> status = ReadSmall(dir / "status");
  const std::optional<std::string> stat = ReadSmall(dir / "stat");
  if (!status.has_value() || !stat.has_value()) {
    return std::nullopt;
  }
  std::optional<ProcessUsage> usage = ParseProcStatus(*status);
  const std::optional<std::uint64_t> ticks = ParseProcStatCpuTicks(*stat);
  if (!usage.has_value() || !ticks.has_value()) {
    return std::nullopt;
  }
  usage->cpu_ticks = *ticks;
  return usage;
}

}  // namespace mamori::fleet
