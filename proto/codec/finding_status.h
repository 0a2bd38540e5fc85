// The spelling of a finding's status ("pass", "warn", "fail", "unknown", "na": the same as
// rules::StatusName and mamori-check's JSON, a public contract) <-> mamori.v1.FindingStatus, for
// the collector's tables and queries and for mamorictl.
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <utility>

#include "mamori/v1/query.pb.h"

namespace mamori::codec {

inline constexpr std::array<std::pair<std::string_view, mamori::v1::FindingStatus>, 5>
    kFindingStatusNames = {{
        {"pass", mamori::v1::FINDING_STATUS_PASS},
        {"warn", mamori::v1::FINDING_STATUS_WARN},
        {"fail", mamori::v1::FINDING_STATUS_FAIL},
        {"unknown", mamori::v1::FINDING_STATUS_UNKNOWN},
        {"na", mamori::v1::FINDING_STATUS_NA},
    }};

// "" for FINDING_STATUS_UNSPECIFIED and any value outside the enum.
inline std::string_view FindingStatusName(int status) {
  for (const auto& [name, value] : kFindingStatusNames) {
    if (value == status) {
      return name;
    }
  }
  return {};
}

inline std::optional<mamori::v1::FindingStatus> FindingStatusFromName(std::string_view name) {
  for (const auto& [known, value] : kFindingStatusNames) {
    if (known == name) {
      return value;
    }
  }
  return std::nullopt;
}

}  // namespace mamori::codec
