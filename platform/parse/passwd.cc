// Parses /etc/passwd, /etc/shadow and /etc/group.
#include "platform/parse/passwd.h"

#include <cstddef>
#include <limits>

#include "platform/parse/text.h"

namespace mamori::parse {
namespace {

// More local accounts than this is not a clinic PC; the rest are not listed.
constexpr std::size_t kMaxEntries = 65536;
constexpr std::size_t kMaxFields = 10;

// Splits at ':' into at most kMaxFields + 1 fields (one more than any format has, so that too many
// fields is detectable).
std::vector<std::string_view> SplitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  while (fields.size() <= kMaxFields) {
    const std::size_t colon = line.find(':');
    fields.push_back(line.substr(0, colon));
    if (colon == std::string_view::npos) {
      break;
    }
    line = line.substr(colon + 1);
  }
  return fields;
}

std::optional<uint32_t> ParseId(std::string_view text) {
  const auto value = ParseDecimal(text);
  if (!value || *value > std::numeric_limits<uint32_t>::max()) {
    return std::nullopt;
  }
  return static_cast<uint32_t>(*value);
}

// A shadow(5) day field: empty is "not set"; anything else must be a number.
struct DayField {
  bool valid = true;
  std::optional<uint64_t> days;
};

DayField ParseDays(std::string_view text) {
  if (text.empty()) {
    return {};
  }
  const auto days = ParseDecimal(text);
  return {days.has_value(), days};
}

bool SkippableLine(std::string_view line) {
  return line.empty() || line.front() == '#' || line.front() == '+' || line.front() == '-';
}

}  // namespace

std::vector<PasswdEntry> ParsePasswd(std::string_view text) {
  std::vector<PasswdEntry> entries;
  ForEachBoundedLine(text, [&](std::string_view line) {
    if (SkippableLine(line) || entries.size() >= kMaxEntries) {
      return;
    }
    const auto fields = SplitFields(line);
    if (fields.size() != 7 || fields[0].empty()) {
      return;
    }
    const auto uid = ParseId(fields[2]);
    const auto gid = ParseId(fields[3]);
    if (!uid || !gid) {
      return;
    }
    entries.push_back({std::string(fields[0]), std::string(fields[1]), *uid, *gid,
                       std::string(fields[4]), std::string(fields[5]), std::string(fields[6])});
  });
  return entries;
}

std::vector<ShadowEntry> ParseShadow(std::string_view text) {
  std::vector<ShadowEntry> entries;
  ForEachBoundedLine(text, [&](std::string_view line) {
    if (SkippableLine(line) || entries.size() >= kMaxEntries) {
      return;
    }
    const auto fields = SplitFields(line);
    if ((fields.size() != 8 && fields.size() != 9) || fields[0].empty()) {
      return;
    }
    ShadowEntry entry;
    entry.name = std::string(fields[0]);
    entry.hash = std::string(fields[1]);
    const DayField last_change = ParseDays(fields[2]);
    const DayField max = ParseDays(fields[4]);
    const DayField expire = ParseDays(fields[7]);
    if (!last_change.valid || !ParseDays(fields[3]).valid || !max.valid || !expire.valid) {
      return;
    }
    entry.last_change_days = last_change.days;
    entry.max_days = max.days;
    entry.expire_days = expire.days;
    entries.push_back(std::move(entry));
  });
  return entries;
}

std::vector<GroupEntry> ParseGroup(std::string_view text) {
  std::vector<GroupEntry> entries;
  ForEachBoundedLine(text, [&](std::string_view line) {
    if (SkippableLine(line) || entries.size() >= kMaxEntries) {
      return;
    }
    const auto fields = SplitFields(line);
    if (fields.size() != 4 || fields[0].empty()) {
      return;
    }
    const auto gid = ParseId(fields[2]);
    if (!gid) {
      return;
    }
    GroupEntry entry;
    entry.name = std::string(fields[0]);
    entry.gid = *gid;
    std::string_view members = fields[3];
    while (!members.empty()) {
      const std::size_t comma = members.find(',');
      const std::string_view member = TrimAsciiWhitespace(members.substr(0, comma));
      if (!member.empty()) {
        entry.members.emplace_back(member);
      }
      members = comma == std::string_view::npos ? std::string_view() : members.substr(comma + 1);
    }
    entries.push_back(std::move(entry));
  });
  return entries;
}

std::string_view FullNameFromGecos(std::string_view gecos) {
  return TrimAsciiWhitespace(gecos.substr(0, gecos.find(',')));
}

}  // namespace mamori::parse
