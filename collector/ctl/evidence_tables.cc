// SCAFFOLD (issue 7, helper A replaces): the evidence register's tables.
#include "collector/ctl/evidence_tables.h"

namespace mamori::ctl {

std::vector<Section> EvidenceSections(const mamori::v1::ListOrgEvidenceResponse&) { return {}; }

std::vector<Section> RecordedEvidenceSections(const mamori::v1::RecordOrgEvidenceResponse&) {
  return {};
}

}  // namespace mamori::ctl
