// Summarizes nftables rulesets.
#include "platform/parse/nft_ruleset.h"

#include <string>

#include "platform/parse/text.h"

namespace mamori::parse {
namespace {

constexpr std::size_t kMaxDepth = 64;

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Counts '{' minus '}' outside quotes and comments.
long BraceDelta(std::string_view line) {
  long delta = 0;
  bool quoted = false;
  for (const char c : line) {
    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && c == '#') {
      break;
    } else if (!quoted && c == '{') {
      ++delta;
    } else if (!quoted && c == '}') {
      --delta;
    }
  }
  return delta;
}

}  // namespace

NftRulesetSummary SummarizeNftRuleset(std::string_view text) {
  NftRulesetSummary summary;
  std::size_t depth = 0;
  bool in_chain = false;
  std::size_t chain_depth = 0;
  bool chain_hooks_input = false;
  bool chain_policy_drop = false;
  bool last_rule_drops = false;

  const auto close_chain = [&] {
    if (chain_hooks_input && (chain_policy_drop || last_rule_drops)) {
      summary.input_drops_by_default = true;
    }
    in_chain = false;
    chain_hooks_input = false;
    chain_policy_drop = false;
    last_rule_drops = false;
  };

  ForEachBoundedLine(text, [&](std::string_view line) {
    line = TrimAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') {
      return;
    }
    const long delta = BraceDelta(line);
    if (StartsWith(line, "table ") && delta > 0) {
      ++summary.tables;
    } else if (StartsWith(line, "chain ") && delta == 0 && !in_chain) {
      // A whole chain on one line: "chain input { type filter hook input priority 0; policy drop;
      // }"
      if (line.find(" hook input ") != std::string_view::npos &&
          line.find("policy drop") != std::string_view::npos) {
        summary.input_drops_by_default = true;
      }
    } else if (StartsWith(line, "chain ") && delta > 0 && !in_chain) {
      in_chain = true;
      chain_depth = depth + 1;
    } else if (in_chain && depth == chain_depth && line != "}") {
      // A base chain's header: "type filter hook input priority filter; policy drop;"
      if (StartsWith(line, "type ")) {
        chain_hooks_input = line.find(" hook input ") != std::string_view::npos;
        chain_policy_drop = line.find("policy drop") != std::string_view::npos;
      } else if (StartsWith(line, "policy ")) {
        chain_policy_drop = StartsWith(line, "policy drop");
      } else {
        ++summary.rules;
        last_rule_drops = line == "drop" || StartsWith(line, "reject") || line == "drop;";
      }
    }
    if (delta < 0) {
      const auto closing = static_cast<std::size_t>(-delta);
      depth = closing > depth ? 0 : depth - closing;
      if (in_chain && depth < chain_depth) {
        close_chain();
      }
    } else if (depth + static_cast<std::size_t>(delta) <= kMaxDepth) {
      depth += static_cast<std::size_t>(delta);
    }
  });
  if (in_chain) {
    close_chain();
  }
  return summary;
}

}  // namespace mamori::parse
