// The portable check (agent_options.cc) turned into the agent's absl::Status convention.
#include "agent/collector_address.h"

#include <string_view>

#include "absl/strings/str_cat.h"

namespace mamori::agent {

absl::StatusOr<CollectorAddress> ParseCollectorAddress(absl::string_view text) {
  Validated<CollectorAddress> checked =
      CheckCollectorAddress(std::string_view(text.data(), text.size()));
  if (!checked.ok()) {
    return absl::InvalidArgumentError(checked.error);
  }
  return *std::move(checked.value);
}

absl::Status CollectorUnreachable(const CollectorAddress& address, absl::string_view why) {
  return absl::UnavailableError(
      absl::StrCat("cannot reach the collector at ", address.Target(), ": ", why));
}

}  // namespace mamori::agent
