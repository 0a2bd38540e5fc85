// The portable check (agent_options.cc) turned into the agent's absl::Status convention.
#include "agent/collector_address.h"

#include <string_view>

namespace mamori::agent {

absl::StatusOr<CollectorAddress> ParseCollectorAddress(absl::string_view text) {
  Validated<CollectorAddress> checked =
      CheckCollectorAddress(std::string_view(text.data(), text.size()));
  if (!checked.ok()) {
    return absl::InvalidArgumentError(checked.error);
  }
  return *std::move(checked.value);
}

}  // namespace mamori::agent
