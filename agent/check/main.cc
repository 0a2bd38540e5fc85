// mamori-check: scans this host once, evaluates every rule and prints the findings.
// Exit status: 0 nothing failed, 1 some rule failed, 2 bad usage or an internal error.
#include <exception>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>

#include "agent/check/check_report.h"
#include "agent/check/console.h"
#include "platform/facts/rfc3339.h"
#include "platform/probe.h"
#include "platform/rules/evaluate.h"
#include "platform/rules/policy.h"

namespace {

constexpr int kExitFailures = 1;
constexpr int kExitUsage = 2;

struct Options {
  std::string root = "/";
  std::string format = "text";
  std::string policy_file;
  std::string now;
  std::string lang = "ja";
};

int Run(const Options& options) {
  using mamori::facts::Timestamp;
  mamori::platform::ProbeEnvironment env;
  env.root = options.root;
  if (!options.now.empty()) {
    const std::optional<Timestamp> now = mamori::facts::ParseRfc3339(options.now);
    if (!now) {
      std::cerr
          << "mamori-check: --now must be an RFC 3339 time such as 2026-11-25T00:00:00Z, not \""
          << options.now << "\"\n";
      return kExitUsage;
    }
    env.now = [t = *now] { return t; };
  }

  mamori::rules::Policy policy;
  if (!options.policy_file.empty()) {
    std::ifstream in(options.policy_file, std::ios::binary);
    if (!in) {
      std::cerr << "mamori-check: cannot read policy file " << options.policy_file << "\n";
      return kExitUsage;
    }
    std::ostringstream text;
    text << in.rdbuf();
    mamori::rules::PolicyParseResult parsed =
        mamori::rules::ParsePolicy(text.str(), options.policy_file);
    if (!parsed.policy) {
      for (const std::string& error : parsed.errors) {
        std::cerr << error << "\n";
      }
      return kExitUsage;
    }
    policy = *parsed.policy;
  }

  const Timestamp now = env.now();
  mamori::platform::ProbeRegistry probes = mamori::platform::MakeHostProbes(env);
  const mamori::facts::HostFacts facts = mamori::platform::CollectHostFacts(probes, env);
  const std::vector<mamori::rules::Finding> findings = mamori::rules::Evaluate(facts, policy, now);
  const mamori::rules::EffectiveRole role = mamori::rules::DetermineRole(facts.inventory, policy);
  const mamori::check::CheckResult result{facts, findings, role, now};

  if (options.format == "json") {
    std::cout << mamori::check::CheckReportJson(result).dump(2) << "\n";
  } else {
    mamori::check::PrepareConsoleForUtf8();
    std::cout << mamori::check::CheckReportText(result, options.lang == "en"
                                                            ? mamori::check::Language::kEnglish
                                                            : mamori::check::Language::kJapanese);
  }
  std::cout.flush();
  return mamori::check::CountStatuses(findings).fail > 0 ? kExitFailures : 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{"mamori-check: checks this PC against the clinic's security rules once"};
  app.add_option("--root", options.root, "Read the host's files below this directory")
      ->check(CLI::ExistingDirectory);
  app.add_option("--format", options.format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));
  app.add_option("--policy", options.policy_file, "Policy file (TOML) overriding thresholds");
  app.add_option("--now", options.now, "Evaluate as of this RFC 3339 time (default: now)");
  app.add_option("--lang", options.lang, "Language of the text report")
      ->check(CLI::IsMember({"ja", "en"}));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }
  try {
    return Run(options);
  } catch (const std::exception& e) {
    std::cerr << "mamori-check: internal error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "mamori-check: internal error\n";
  }
  return kExitUsage;
}
