// Issue 9's browser tests: a real `mamori-collector serve` with its web console, a small clinic of
// fixture agents (a host and an account named like markup), a console admin and a vendor, and
// tests/console/console_e2e.mjs driving Debian's headless Chromium through it. The dashboard's
// numbers are computed here from what mamorictl reads out of the database, by the rule
// query.proto states, so the console is checked against the stored findings rather than against
// itself. Label `browser`; screenshots stay in the build tree (the path is printed).
#include <gtest/gtest.h>

#include <boost/process.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <iterator>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "nlohmann/json.hpp"
#include "tests/integration/collector_knowledge_fixture.h"
#include "tests/integration/process_harness.h"

namespace mamori::testing::knowledge {
namespace {

// Markup that would set window.__xss if any page inserted it as HTML.
constexpr char kXssName[] = "<img src=x onerror=window.__xss=1>";
constexpr char kAdminName[] = "事務長";
constexpr char kVendorName[] = "保守ベンダー田中";
constexpr char kPassword[] = "sakura-clinic-console-2026";
constexpr char kReviewedAccount[] = "受付";

class ConsoleBrowser : public CollectorKnowledge {
 protected:
  void AddConsoleUser(const std::string& name, const std::string& role) {
    const CommandResult added = RunCommand({MAMORI_COLLECTOR_BIN, "user", "add", "--data-dir",
                                            data_, "--name", name, "--role", role, "--password"},
                                           std::string(kPassword) + "\n");
    ASSERT_EQ(added.exit_code, 0) << added.out << added.err;
  }

  // A small clinic: an ORCA server, the reception PC (with an account named like markup), an
  // exam-room PC, a PC named like markup and a weak Linux PC.
  void SeedClinic() {
    const std::vector<std::pair<std::string, std::vector<std::string>>> agents{
        {"server",
         {"--facts-root", MAMORI_FIXTURES_DIR "/linux-hardened", "--hostname", kServer, "--role",
          "server", "--send", "snapshot"}},
        {"reception",
         {"--facts", "builtin:windows11", "--hostname", kReception, "--add-account", kXssName,
          "--send", "snapshot", "--send", "heartbeat:idle=3h,uptime=10h,locked=false"}},
        {"exam", {"--facts", "builtin:windows11", "--hostname", kExamRoom, "--send", "snapshot"}},
        {"hostile", {"--facts", "builtin:windows11", "--hostname", kXssName, "--send", "snapshot"}},
        {"linux",
         {"--facts-root", MAMORI_FIXTURES_DIR "/linux-weak", "--hostname", kLinuxHost, "--send",
          "snapshot"}},
    };
    // In parallel: each enrolls and delivers on its own; the time is the test's budget.
    std::vector<std::thread> running;
    for (const auto& [name, args] : agents) {
      running.emplace_back([this, name, args] { FixtureAgent(name, args); });
    }
    for (std::thread& thread : running) {
      thread.join();
    }
  }

  // Restarts serve with the console on a free loopback port; returns its https:// URL.
  std::string StartWithConsole() {
    collector_.reset();
    const std::filesystem::path log = root_ / "collector-console.log";
    collector_ = std::make_unique<CollectorProcess>(
        std::vector<std::string>{MAMORI_COLLECTOR_BIN, "serve", "--listen", "127.0.0.1:0",
                                 "--console-listen", "127.0.0.1:0", "--data-dir", data_, "--policy",
                                 (root_ / "policy.toml").string(), "--sweep-interval", "2s"},
        log);
    EXPECT_FALSE(collector_->address().empty()) << collector_->Log();
    // serve prints "console on https://IP:PORT/" right after "listening on"; a console that could
    // not start prints nothing, so the wait is bounded by stopping the collector.
    std::future<std::string> line =
        std::async(std::launch::async, [this] { return collector_->NextStdoutLine(); });
    if (line.wait_for(seconds(20)) != std::future_status::ready) {
      ADD_FAILURE() << "no console line on stdout:\n" << collector_->Log();
      collector_->Stop();
      return "";
    }
    std::smatch match;
    const std::string text = line.get();
    if (!std::regex_search(text, match, std::regex(R"(https://127\.0\.0\.1:[0-9]+)"))) {
      ADD_FAILURE() << "unexpected console line: " << text;
      return "";
    }
    return match.str();
  }

  // The dashboard's four numbers from the stored findings, by query.proto's rule: compliant when a
  // PC has verdicts and none is fail, warn or unknown; not compliant when any is fail or warn;
  // unknown otherwise.
  json ExpectedDashboard() {
    std::set<std::string> hosts;
    for (const json& host : Objects(CtlJson("vendor", {"hosts"}), [](const json& o) {
           return Field(o, "agent_id") != nullptr && Field(o, "hostname") != nullptr;
         })) {
      hosts.insert(Text(host, "agent_id"));
    }
    std::map<std::string, std::set<std::string>> statuses;
    for (const json& finding :
         Objects(CtlJson("vendor", {"findings", "--status", "fail,warn,unknown,pass,na"}),
                 [](const json& o) { return Field(o, "rule_id") != nullptr; })) {
      const std::string agent = Text(finding, "agent_id");
      if (agent.empty()) {
        continue;  // the clinic's MAM-ORG findings belong to no PC
      }
      for (const char* status : {"fail", "warn", "unknown", "pass", "na"}) {
        if (StatusIs(finding, "status", status)) {
          statuses[agent].insert(status);
        }
      }
    }
    int compliant = 0;
    int not_compliant = 0;
    int unknown = 0;
    for (const std::string& agent : hosts) {
      const std::set<std::string>& seen = statuses[agent];
      if (seen.contains("fail") || seen.contains("warn")) {
        ++not_compliant;
      } else if (seen.empty() || seen.contains("unknown")) {
        ++unknown;
      } else {
        ++compliant;
      }
    }
    return json{{"hosts", hosts.size()},
                {"compliant", compliant},
                {"notCompliant", not_compliant},
                {"unknown", unknown}};
  }
};

TEST_F(ConsoleBrowser, AnAdminAndAVendorUseTheConsoleInHeadlessChromium) {
  const std::filesystem::path script = MAMORI_SOURCE_DIR "/tests/console/console_e2e.mjs";
  ASSERT_TRUE(std::filesystem::exists(MAMORI_SOURCE_DIR
                                      "/tests/console/node_modules/playwright-core/package.json"))
      << "playwright-core is not installed: run scripts/setup (npm ci in tests/console)";
  ASSERT_FALSE(std::string(MAMORI_NODE_BIN).empty()) << "node not found: run scripts/setup";

  AddConsoleUser(kAdminName, "admin");
  AddConsoleUser(kVendorName, "vendor");
  SeedClinic();
  ASSERT_FALSE(HasFailure());
  const std::string url = StartWithConsole();
  ASSERT_FALSE(url.empty()) << "no console URL in the log:\n" << collector_->Log();

  const std::filesystem::path artifacts = MAMORI_CONSOLE_ARTIFACTS;
  std::filesystem::remove_all(artifacts);
  std::filesystem::create_directories(artifacts);
  const json expected = ExpectedDashboard();
  EXPECT_EQ(expected["hosts"], 5) << expected.dump();
  const json config{
      {"url", url},
      {"caFile", data_ + "/pki/ca.crt"},
      {"artifacts", artifacts.string()},
      {"admin", {{"name", kAdminName}, {"password", kPassword}}},
      {"vendor", {{"name", kVendorName}, {"password", kPassword}}},
      {"expected", expected},
      {"hostileHost", kXssName},
      {"hostileAccount", kXssName},
      {"review", {{"host", kReception}, {"account", kReviewedAccount}}},
      {"reportPrefix", "mamori-"},
  };
  const std::filesystem::path config_file = root_ / "console-e2e.json";
  std::ofstream(config_file) << config.dump(2);

  const CommandResult run = RunCommand({MAMORI_NODE_BIN, script.string(), config_file.string()});
  std::cout << run.out << run.err;
  EXPECT_EQ(run.exit_code, 0) << "console_e2e.mjs failed:\n"
                              << run.out << run.err << "\ncollector log:\n"
                              << collector_->Log();
  std::cout << "console screenshots: " << (artifacts / "console-screenshots").string() << "\n";

  // What the browser did is in the audit log, from the console channel.
  const json audit = CtlJson("admin", {"audit"});
  EXPECT_FALSE(Objects(audit,
                       [](const json& o) {
                         return Text(o, "action") == "CollectorAdmin/RecordAccountReview" &&
                                Text(o, "actor") == kAdminName && Text(o, "outcome") == "ok";
                       })
                   .empty())
      << audit.dump(2);
  // The review and the drill are stored, not only shown.
  const json evidence = CtlJson("vendor", {"evidence"});
  EXPECT_FALSE(Objects(evidence,
                       [](const json& o) {
                         return Text(o, "kind") == "ORG_RECORD_KIND_DRILL" ||
                                Text(o, "kind") == "drill";
                       })
                   .empty())
      << evidence.dump(2);
}

}  // namespace
}  // namespace mamori::testing::knowledge
