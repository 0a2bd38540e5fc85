// libFuzzer target: `nft list ruleset` output and /etc/nftables.conf.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "platform/parse/nft_ruleset.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  mamori::parse::SummarizeNftRuleset(text);
  return 0;
}
