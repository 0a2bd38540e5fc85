// The end-of-support table the code owns: when each OS release stops receiving security updates.
// MAM-PATCH-002 compares it with the scan time.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "platform/facts/host_facts.h"

namespace mamori::rules {

struct EndOfSupport {
  std::string product;               // "Windows 10 IoT Enterprise LTSC 2021", "Ubuntu 22.04 LTS"
  std::chrono::year_month_day ends;  // the last day security updates are published
};

// Looks the host's OS up by family, id, version, edition and build. nullopt when the table does not
// know the release (the rule then reports unknown rather than guessing).
std::optional<EndOfSupport> FindEndOfSupport(const facts::Inventory& inventory);

}  // namespace mamori::rules
