// The rules engine's entry point: facts + policy + time -> one finding per rule of the catalogue.
#pragma once

#include <vector>

#include "platform/facts/host_facts.h"
#include "platform/rules/finding.h"
#include "platform/rules/policy.h"

namespace mamori::rules {

// Pure: no I/O, no clock but `now`. Returns the findings in catalogue order, every rule exactly
// once.
std::vector<Finding> Evaluate(const facts::HostFacts& facts, const Policy& policy,
                              facts::Timestamp now);

}  // namespace mamori::rules
