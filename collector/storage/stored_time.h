// How the collector's database writes and reads times: UTC RFC 3339 text, one format for every
// table.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "collector/storage/database.h"

namespace mamori::collector {

// RFC 3339 in UTC with "Z", as protobuf's JSON mapping writes it, with only as many fraction digits
// as needed ("2026-11-25T07:13:00Z", "2026-11-25T07:13:00.5Z").
std::string FormatStoredTime(absl::Time time);

// Reads a time written by FormatStoredTime (any RFC 3339 time is accepted). A value that does not
// parse is DATA_LOSS: the database was damaged or edited by hand.
absl::StatusOr<absl::Time> ParseStoredTime(const std::string& text);

// A nullable time column: NULL is nullopt.
absl::StatusOr<std::optional<absl::Time>> OptionalStoredTime(const Statement& row, int column);

}  // namespace mamori::collector
