// Parses /proc/stat's btime and /proc/uptime.
#include "platform/parse/boot_time.h"

#include <cstdint>

#include "platform/parse/text.h"

namespace mamori::parse {
namespace {

// Beyond this a value is not a time a kernel reports, and it would overflow the seconds'
// representation once added to an epoch.
constexpr uint64_t kMaxSeconds = uint64_t{1} << 40;

std::optional<std::chrono::seconds> ToSeconds(std::optional<uint64_t> value) {
  if (!value || *value > kMaxSeconds) {
    return std::nullopt;
  }
  return std::chrono::seconds(static_cast<std::chrono::seconds::rep>(*value));
}

}  // namespace

std::optional<facts::Timestamp> ParseProcStatBootTime(std::string_view proc_stat) {
  std::optional<facts::Timestamp> boot;
  ForEachBoundedLine(proc_stat, [&](std::string_view line) {
    constexpr std::string_view kPrefix = "btime ";
    if (boot || !line.starts_with(kPrefix)) {
      return;
    }
    if (const auto since_epoch =
            ToSeconds(ParseDecimal(TrimAsciiWhitespace(line.substr(kPrefix.size()))))) {
      boot = facts::Timestamp(*since_epoch);
    }
  });
  return boot;
}

std::optional<std::chrono::seconds> ParseUptime(std::string_view proc_uptime) {
  if (proc_uptime.size() > kMaxLineBytes) {
    return std::nullopt;
  }
  const std::string_view text = TrimAsciiWhitespace(proc_uptime);
  const std::string_view first = text.substr(0, text.find_first_of(" \t\n"));
  const std::size_t dot = first.find('.');
  const std::string_view whole = first.substr(0, dot);
  if (dot != std::string_view::npos) {
    const std::string_view fraction = first.substr(dot + 1);
    if (fraction.empty() || !ParseDecimal(fraction)) {
      return std::nullopt;
    }
  }
  return ToSeconds(ParseDecimal(whole));
}

}  // namespace mamori::parse
