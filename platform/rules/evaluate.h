// The rules engine's entry point: facts + policy + time -> one finding per rule of the catalogue.
#pragma once

#include <vector>

#include "platform/facts/host_facts.h"
#include "platform/rules/contact.h"
#include "platform/rules/finding.h"
#include "platform/rules/policy.h"

namespace mamori::rules {

// Pure: no I/O, no clock but `now`. Returns the findings in catalogue order, every rule exactly
// once.
std::vector<Finding> Evaluate(const facts::HostFacts& facts, const Policy& policy,
                              facts::Timestamp now);

// The collector's evaluation: the same rules, plus what only it knows (`contact`), which
// MAM-AGENT-001 reads. Without it (mamori-check, a local scan) MAM-AGENT-001 is na.
std::vector<Finding> Evaluate(const facts::HostFacts& facts, const Policy& policy,
                              facts::Timestamp now, const ContactObservation& contact);

}  // namespace mamori::rules
