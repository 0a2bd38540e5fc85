// mamorictl summary: the console's dashboard (GetClinicSummary) in a terminal, for the vendor's
// laptop or a clinic's admin without a browser.
#pragma once

#include <vector>

#include "collector/ctl/output_format.h"
#include "mamori/v1/query.pb.h"

namespace mamori::ctl {

// How many of the trend's last days the table shows (JSON has all 90).
inline constexpr int kSummaryTrendDays = 7;

// The PCs' state (with the clinic's name, and デモ for a demo database), the most urgent actions
// with what to do first, open items per area in Japanese, then the last kSummaryTrendDays days.
std::vector<Section> SummarySections(const mamori::v1::GetClinicSummaryResponse& response);

}  // namespace mamori::ctl
