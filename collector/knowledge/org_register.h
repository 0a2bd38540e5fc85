// The evidence register (report.proto OrgRecord): what only the clinic's people know, recorded by
// admins with mamorictl and read by reports. Append-only (org_records, schema v5): a correction is
// a newer record, which becomes current. The clinic's MAM-ORG findings are evaluated from the
// current records whenever they are read (platform/rules/org_rules.h).
//
// Own SQLite connection, not thread-safe: the admin service serializes calls on it.
#pragma once

#include <filesystem>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "collector/storage/database.h"
#include "mamori/v1/report.pb.h"
#include "platform/rules/org_rules.h"
#include "platform/rules/policy.h"

namespace mamori::collector {

// Bounds of a record's text fields, in characters.
inline constexpr int kMaxOrgNameCharacters = 200;
inline constexpr int kMaxOrgMethodCharacters = 500;
inline constexpr int kMaxOrgNotesCharacters = 2000;

class OrgRegisterStore {
 public:
  // The database must exist (the server creates and migrates it first).
  static absl::StatusOr<OrgRegisterStore> Open(const std::filesystem::path& path);

  OrgRegisterStore(OrgRegisterStore&&) noexcept = default;
  OrgRegisterStore& operator=(OrgRegisterStore&&) noexcept = default;

  // Validates the record for its kind (INVALID_ARGUMENT naming the field: a date that is not
  // YYYY-MM-DD or lies after today, a missing name, a checklist key that does not accept a
  // confirmation, text over its bound ...) and appends it. `actor` is the admin's user name.
  absl::StatusOr<mamori::v1::RecordOrgEvidenceResponse> Record(
      const mamori::v1::RecordOrgEvidenceRequest& request, absl::string_view actor,
      const rules::Policy& policy, absl::Time now);

  absl::StatusOr<mamori::v1::ListOrgEvidenceResponse> List(
      const mamori::v1::ListOrgEvidenceRequest& request, const rules::Policy& policy,
      absl::Time now);

  // The current records, for the rules engine and the reports.
  absl::StatusOr<rules::OrgRegister> Current();

 private:
  explicit OrgRegisterStore(Database db) : db_(std::move(db)) {}
  Database db_;
};

}  // namespace mamori::collector
