// End to end on the host: the real mamori-check binary against the Debian 12 fixture tree.
#include <sys/wait.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/rules/check_run.h"

#include "platform/rules/rule_catalogue.h"

namespace mamori::check {
namespace {

using testing::CheckRun;

CheckRun RunCheck(const std::string& args) {
  return testing::RunCheckBinary(MAMORI_CHECK_BIN, args);
}

const std::string kFixture = std::string(MAMORI_FIXTURES_DIR) + "/linux-debian12";
const std::string kJsonArgs = "--root " + kFixture + " --format json --now 2026-11-25T00:00:00Z";

TEST(MamoriCheck, ReportsEveryRuleOnceAsV1Json) {
  const CheckRun run = RunCheck(kJsonArgs);
  const nlohmann::json report = nlohmann::json::parse(run.out);
  EXPECT_EQ(report["schema"], "mamori.check/v1");
  EXPECT_EQ(report["host"]["hostname"], "reception-01");
  EXPECT_EQ(report["host"]["checked_at"], "2026-11-25T00:00:00Z");
  ASSERT_EQ(report["findings"].size(), rules::RuleCatalogue().size());
  std::map<std::string, int> counts;
  for (std::size_t i = 0; i < report["findings"].size(); ++i) {
    EXPECT_EQ(report["findings"][i]["rule"], rules::RuleCatalogue()[i].id);
    ++counts[report["findings"][i]["status"].get<std::string>()];
  }
  for (const char* status : {"pass", "warn", "fail", "unknown", "na"}) {
    EXPECT_EQ(report["summary"][status].get<int>(), counts[status]) << status;
  }
  EXPECT_EQ(run.exit_code, counts["fail"] > 0 ? 1 : 0);
}

// What the probes registered today can show on the fixture; the rest is covered by the rule tests.
TEST(MamoriCheck, JudgesDebian12FromTheFixturesOsRelease) {
  const nlohmann::json report = nlohmann::json::parse(RunCheck(kJsonArgs).out);
  const nlohmann::json& eos = report["findings"][1];
  EXPECT_EQ(eos["rule"], "MAM-PATCH-002");
  EXPECT_EQ(eos["status"], "pass");
  EXPECT_THAT(eos["evidence"].get<std::string>(), ::testing::HasSubstr("2028-06-30"));
  EXPECT_EQ(report["facts"]["inventory"]["os_id"], "debian");
}

TEST(MamoriCheck, NeverReportsAnUncollectedSectionAsPassing) {
  const nlohmann::json report = nlohmann::json::parse(RunCheck(kJsonArgs).out);
  const std::map<std::string, std::string> section_of_area = {
      {"PATCH", "patch"},         {"AV", "antivirus"},  {"USB", "usb_storage"},
      {"IDLE", "power"},          {"ACCT", "accounts"}, {"LOGON", "logon"},
      {"LOCK", "logon"},          {"FW", "firewall"},   {"ENC", "disk_encryption"},
      {"REMOTE", "remote_access"}};
  for (std::size_t i = 0; i < report["findings"].size(); ++i) {
    const rules::RuleDefinition& rule = rules::RuleCatalogue()[i];
    if (rule.id == "MAM-PATCH-002") {
      continue;  // reads the inventory
    }
    if (rule.area == "AGENT") {
      // Reads what only the collector knows: never judged by a local scan.
      EXPECT_EQ(report["findings"][i]["status"], "na") << rule.id;
      continue;
    }
    const std::string section = section_of_area.at(std::string(rule.area));
    if (report["facts"][section]["meta"]["status"]["state"] != "ok") {
      EXPECT_THAT(report["findings"][i]["status"].get<std::string>(),
                  ::testing::AnyOf("unknown", "na"))
          << rule.id;
    }
  }
}

TEST(MamoriCheck, PrintsAJapaneseTextReportByDefault) {
  const CheckRun run = RunCheck("--root " + kFixture + " --now 2026-11-25T00:00:00Z");
  EXPECT_THAT(run.out, ::testing::HasSubstr("mamori 点検結果"));
  EXPECT_THAT(run.out, ::testing::HasSubstr("■ 更新プログラム"));
  EXPECT_THAT(run.out, ::testing::HasSubstr("2026-11-25 09:00 JST"));
}

TEST(MamoriCheck, ExitsWith2OnBadUsage) {
  EXPECT_EQ(RunCheck("--format xml").exit_code, 2);
  EXPECT_EQ(RunCheck("--now yesterday").exit_code, 2);
  EXPECT_EQ(RunCheck("--root /nonexistent/mamori").exit_code, 2);
  EXPECT_EQ(RunCheck("--policy /nonexistent/policy.toml").exit_code, 2);
  EXPECT_EQ(RunCheck("--help").exit_code, 0);
}

TEST(MamoriCheck, ExitsWith2OnAnInvalidPolicyFile) {
  const std::string path = ::testing::TempDir() + "/mamori-bad-policy.toml";
  FILE* file = std::fopen(path.c_str(), "w");
  ASSERT_NE(file, nullptr);
  std::fputs("[patch]\nnot_a_setting = 1\n", file);
  std::fclose(file);
  EXPECT_EQ(RunCheck("--root " + kFixture + " --policy " + path).exit_code, 2);
}

TEST(MamoriCheck, AppliesAPolicyFile) {
  const std::string path = ::testing::TempDir() + "/mamori-server-policy.toml";
  FILE* file = std::fopen(path.c_str(), "w");
  ASSERT_NE(file, nullptr);
  std::fputs("[host]\nrole = \"server\"\n", file);
  std::fclose(file);
  const nlohmann::json report =
      nlohmann::json::parse(RunCheck(kJsonArgs + " --policy " + path).out);
  EXPECT_EQ(report["host"]["role"], "server");
  EXPECT_EQ(report["findings"][9]["rule"], "MAM-IDLE-001");
  EXPECT_EQ(report["findings"][9]["status"], "na");
}

}  // namespace
}  // namespace mamori::check
