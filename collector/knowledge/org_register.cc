// SCAFFOLD (issue 7, helper A replaces): the evidence register.
#include "collector/knowledge/org_register.h"

#include "collector/storage/schema.h"

namespace mamori::collector {

absl::StatusOr<OrgRegisterStore> OrgRegisterStore::Open(const std::filesystem::path& path) {
  absl::StatusOr<Database> db =
      Database::Open(path, Database::OpenMode::kExistingOnly, CollectorSchema());
  if (!db.ok()) {
    return db.status();
  }
  return OrgRegisterStore(*std::move(db));
}

absl::StatusOr<mamori::v1::RecordOrgEvidenceResponse> OrgRegisterStore::Record(
    const mamori::v1::RecordOrgEvidenceRequest&, absl::string_view, const rules::Policy&,
    absl::Time) {
  return absl::UnimplementedError("the evidence register is not built yet");
}

absl::StatusOr<mamori::v1::ListOrgEvidenceResponse> OrgRegisterStore::List(
    const mamori::v1::ListOrgEvidenceRequest&, const rules::Policy&, absl::Time) {
  return absl::UnimplementedError("the evidence register is not built yet");
}

absl::StatusOr<rules::OrgRegister> OrgRegisterStore::Current() { return rules::OrgRegister{}; }

}  // namespace mamori::collector
