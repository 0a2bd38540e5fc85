#include "collector/cli/audit_commands.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <iostream>
#include <optional>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "collector/cli/host_listing.h"
#include "collector/storage/agent_record_store.h"
#include "nlohmann/json.hpp"
#include "spdlog/spdlog.h"

namespace mamori::collector {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitRuntimeError = 1;
constexpr int kExitUsage = 2;
// The file `serve` stores in (see main.cc).
constexpr char kDatabaseFile[] = "mamori.db";

}  // namespace

void RecordLocalAction(const std::filesystem::path& data_dir, absl::string_view action,
                       absl::string_view target, std::string detail, AuditOutcome outcome) {
  absl::StatusOr<std::unique_ptr<AuditLog>> log =
      AuditLog::Open(data_dir / kDatabaseFile, Database::OpenMode::kExistingOnly);
  absl::Status status = log.status();
  if (log.ok()) {
    status = (*log)->Record({LocalActor(), "local", std::string(action), std::string(target),
                             std::move(detail), outcome},
                            absl::Now());
  }
  if (!status.ok()) {
    spdlog::error("cannot write the audit log: {}", std::string(status.message()));
  }
}

AuditCommands::AuditCommands(CLI::App& app) {
  audit_ = app.add_subcommand("audit", "Show the audit log: who did what, when, and the refusals");
  audit_->add_option("--data-dir", data_dir_, "The directory `serve` uses")->required();
  audit_->add_option("--since", since_, "Only events at or after this RFC 3339 time");
  audit_->add_option("--format", format_, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  audit_->add_option("--limit", limit_, "At most this many of the newest events")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
}

int AuditCommands::Run() const {
  std::optional<absl::Time> since;
  if (!since_.empty()) {
    absl::Time parsed;
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, since_, &parsed, &error)) {
      spdlog::error("--since: '{}' is not an RFC 3339 time ({})", since_, error);
      return kExitUsage;
    }
    since = parsed;
  }
  const std::filesystem::path db_path = std::filesystem::path(data_dir_) / kDatabaseFile;
  absl::StatusOr<std::unique_ptr<AuditLog>> log =
      AuditLog::Open(db_path, Database::OpenMode::kExistingOnly);
  if (!log.ok()) {
    spdlog::error("{}", std::string(log.status().message()));
    return kExitRuntimeError;
  }
  absl::StatusOr<std::vector<AuditEvent>> events = (*log)->List(since, limit_);
  if (!events.ok()) {
    spdlog::error("{}", std::string(events.status().message()));
    return kExitRuntimeError;
  }
  std::cout << (format_ == "json" ? FormatAuditJson(*events) : FormatAuditTable(*events));
  std::cout.flush();
  return std::cout ? kExitOk : kExitRuntimeError;
}

std::string FormatAuditTable(std::span<const AuditEvent> events) {
  constexpr std::size_t kColumns = 8;
  std::vector<std::array<std::string, kColumns>> rows;
  rows.push_back({"ID", "AT (UTC)", "ACTOR", "ROLE", "ACTION", "TARGET", "OUTCOME", "DETAIL"});
  for (const AuditEvent& event : events) {
    rows.push_back({std::to_string(event.id), FormatStoredTime(event.at), event.entry.actor,
                    event.entry.role, event.entry.action, event.entry.target,
                    std::string(AuditOutcomeName(event.entry.outcome)), event.entry.detail});
  }
  std::array<std::size_t, kColumns> widths{};
  for (const auto& row : rows) {
    for (std::size_t column = 0; column < kColumns; ++column) {
      widths[column] = std::max(widths[column], DisplayWidth(row[column]));
    }
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t column = 0; column < kColumns; ++column) {
      line += row[column];
      if (column + 1 < kColumns) {
        line.append(widths[column] - DisplayWidth(row[column]) + 2, ' ');
      }
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line;
    out += '\n';
  }
  return out;
}

std::string FormatAuditJson(std::span<const AuditEvent> events) {
  nlohmann::json array = nlohmann::json::array();
  for (const AuditEvent& event : events) {
    array.push_back({{"id", event.id},
                     {"at", FormatStoredTime(event.at)},
                     {"actor", event.entry.actor},
                     {"role", event.entry.role},
                     {"action", event.entry.action},
                     {"target", event.entry.target},
                     {"detail", event.entry.detail},
                     {"outcome", std::string(AuditOutcomeName(event.entry.outcome))}});
  }
  return array.dump(2) + "\n";
}

}  // namespace mamori::collector
