// What mamorictl prints for each answer of the collector: rows for the table and CSV renderings,
// the protobuf JSON mapping for scripts, and the clinic's local time for people. Pure functions, so
// every rendering is tested without a network.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "collector/ctl/table_format.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "mamori/v1/admin.pb.h"
#include "mamori/v1/query.pb.h"

namespace mamori::ctl {

enum class OutputFormat { kTable, kCsv, kJson };

// "table", "csv", "json"; nullopt-like INVALID_ARGUMENT otherwise.
absl::StatusOr<OutputFormat> ParseOutputFormat(std::string_view text);

// Times are shown in the clinic's time zone. Japan has no daylight saving time, so a fixed +09:00
// needs no tz database on the vendor's laptop.
absl::TimeZone ClinicTimeZone();

// "2026-11-27 19:10" in Asia/Tokyo; "" for an unset timestamp.
std::string FormatClinicTime(const google::protobuf::Timestamp& timestamp);
// "2h05m", "45m", "3d04h"; "" for an unset duration.
std::string FormatDuration(const google::protobuf::Duration& duration);

// A --since argument: "YYYY-MM-DD" (midnight in Asia/Tokyo) or an RFC 3339 time with its offset.
// INVALID_ARGUMENT naming the accepted forms otherwise.
absl::StatusOr<absl::Time> ParseDateArgument(std::string_view text);

// "fail", "warn", "unknown", "pass", "na"; FindingStatusFromText is its inverse (nullopt-like
// INVALID_ARGUMENT for anything else).
std::string FindingStatusText(mamori::v1::FindingStatus status);
absl::StatusOr<mamori::v1::FindingStatus> FindingStatusFromText(std::string_view text);
std::string ContactStateText(mamori::v1::ContactState state);
std::string ReviewDecisionText(mamori::v1::ReviewDecision decision);
absl::StatusOr<mamori::v1::ReviewDecision> ReviewDecisionFromText(std::string_view text);

// A table with an optional title, for answers that are more than one list (`host NAME`).
struct Section {
  std::string title;  // empty: no title line
  Table table;
};

Table HostsTable(const mamori::v1::ListHostsResponse& response);
std::vector<Section> HostSections(const mamori::v1::GetHostResponse& response);
Table FindingsTable(const mamori::v1::ListFindingsResponse& response);
Table HistoryTable(const mamori::v1::ListFindingHistoryResponse& response);
Table LedgerTable(const mamori::v1::ListLedgerResponse& response);
Table AnnotationsTable(const mamori::v1::UpdateHostAnnotationsResponse& response);
// One row per (name, version, publisher), or per host that has it when `by_host`.
Table SoftwareTable(const mamori::v1::ListSoftwareResponse& response, bool by_host);
Table AccountsTable(const google::protobuf::RepeatedPtrField<mamori::v1::AccountEntry>& accounts);
Table IdleEpisodesTable(const mamori::v1::ListIdleEpisodesResponse& response);
Table AuditTable(const mamori::v1::ListAuditEventsResponse& response);

// The protobuf JSON mapping of `message`: proto field names (snake_case, as in the .proto files),
// fields at their default values included, enums by name, indented, ending in "\n".
absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message);

// The whole output of a command: `sections` as tables (titled ones under a "== title ==" line, a
// blank line between), as CSV (one file; a titled section starts with a record holding its title,
// sections after the first follow an empty record), or `message` as JSON.
absl::StatusOr<std::string> RenderOutput(OutputFormat format,
                                         const google::protobuf::Message& message,
                                         const std::vector<Section>& sections);

}  // namespace mamori::ctl
