// mamorictl's tables for the evidence register (report.proto): the current records with who
// recorded them, and the clinic's MAM-ORG findings.
#pragma once

#include <vector>

#include "collector/ctl/output_format.h"
#include "mamori/v1/report.pb.h"

namespace mamori::ctl {

// `mamorictl evidence`: the records (current, or all with --history), then the MAM-ORG findings.
std::vector<Section> EvidenceSections(const mamori::v1::ListOrgEvidenceResponse& response);

// `mamorictl evidence record KIND ...`: the record as stored, then the MAM-ORG findings after it.
std::vector<Section> RecordedEvidenceSections(
    const mamori::v1::RecordOrgEvidenceResponse& response);

}  // namespace mamori::ctl
