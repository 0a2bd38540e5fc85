// One format for every time the collector stores, so that tables compare and sort alike.
#include "collector/storage/stored_time.h"

#include "absl/strings/str_cat.h"

namespace mamori::collector {

std::string FormatStoredTime(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d%ET%H:%M:%E*SZ", time, absl::UTCTimeZone());
}

absl::StatusOr<absl::Time> ParseStoredTime(const std::string& text) {
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &time, &error)) {
    return absl::DataLossError(absl::StrCat("stored time '", text, "' is not RFC 3339: ", error));
  }
  return time;
}

absl::StatusOr<std::optional<absl::Time>> OptionalStoredTime(const Statement& row, int column) {
  if (row.ColumnIsNull(column)) {
    return std::nullopt;
  }
  absl::StatusOr<absl::Time> time = ParseStoredTime(row.ColumnText(column));
  if (!time.ok()) {
    return time.status();
  }
  return *time;
}

}  // namespace mamori::collector
