// `mamori-collector audit`: the append-only audit log on the server PC's terminal, as a table for
// people or JSON for scripts and export.
#pragma once

#include <filesystem>
#include <span>
#include <string>

#include "CLI/CLI.hpp"
#include "collector/storage/audit_log.h"

namespace mamori::collector {

class AuditCommands {
 public:
  // Registers `audit` on `app`; must live until Run() returns.
  explicit AuditCommands(CLI::App& app);
  AuditCommands(const AuditCommands&) = delete;
  AuditCommands& operator=(const AuditCommands&) = delete;

  bool parsed() const { return audit_->parsed(); }
  int Run() const;

 private:
  CLI::App* audit_ = nullptr;
  std::string data_dir_;
  std::string since_;
  std::string format_ = "table";
  int limit_ = 1000;
};

// Appends what a command run on the server PC changed (actor "local:<os user>", role "local") to
// the audit log in `data_dir`. A failure is logged, not returned: the change has happened, and
// refusing to report it would only hide it. Never pass a secret in `detail`.
void RecordLocalAction(const std::filesystem::path& data_dir, absl::string_view action,
                       absl::string_view target, std::string detail, AuditOutcome outcome);

// Columns ID, AT (UTC), ACTOR, ROLE, ACTION, TARGET, OUTCOME, DETAIL; ends with a newline.
std::string FormatAuditTable(std::span<const AuditEvent> events);
// An array of objects with keys id, at (RFC 3339 UTC), actor, role, action, target, detail,
// outcome; ends with a newline.
std::string FormatAuditJson(std::span<const AuditEvent> events);

}  // namespace mamori::collector
