// mamori-check's two renderings of the same findings.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent/check/check_report.h"
#include "platform/rules/rule_catalogue.h"
#include "tests/rules/healthy_host.h"

namespace mamori::check {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct Scan {
  facts::HostFacts facts = rules::HealthyDebianWorkstation();
  rules::Policy policy;
  std::vector<rules::Finding> findings;
  rules::EffectiveRole role;

  Scan() {
    facts.usb_storage.mode = facts::UsbStorageMode::kAllowed;
    findings = rules::Evaluate(facts, policy, rules::TestNow());
    role = rules::DetermineRole(facts.inventory, policy);
  }
  CheckResult Result() const { return {facts, findings, role, rules::TestNow()}; }
};

TEST(CheckReportJson, HasTheV1ShapeWithEveryRuleOnce) {
  const Scan scan;
  const nlohmann::json out = CheckReportJson(scan.Result());
  EXPECT_EQ(out["schema"], "mamori.check/v1");
  EXPECT_EQ(out["host"]["hostname"], "reception-01");
  EXPECT_EQ(out["host"]["role"], "workstation");
  EXPECT_EQ(out["host"]["checked_at"], "2026-11-25T00:00:00Z");
  EXPECT_TRUE(out["facts"].contains("usb_storage"));
  ASSERT_EQ(out["findings"].size(), rules::RuleCatalogue().size());
  for (std::size_t i = 0; i < rules::RuleCatalogue().size(); ++i) {
    EXPECT_EQ(out["findings"][i]["rule"], rules::RuleCatalogue()[i].id);
  }
  const nlohmann::json& usb = out["findings"][7];
  EXPECT_EQ(usb["rule"], "MAM-USB-001");
  EXPECT_EQ(usb["status"], "fail");
  EXPECT_EQ(usb["title"]["en"], "USB mass storage not blocked");
  EXPECT_TRUE(usb["evidence"].is_string());
  EXPECT_TRUE(usb["remediation"]["ja"].is_string());
  EXPECT_EQ(usb["mhlw"][0]["key"], "2-12");
  EXPECT_EQ(out["summary"],
            (nlohmann::json{{"pass", 21}, {"warn", 0}, {"fail", 1}, {"unknown", 0}, {"na", 1}}));
}

TEST(CheckReportText, IsJapaneseByDefaultGroupedByAreaWithRemediationForFailures) {
  const Scan scan;
  const std::string text = CheckReportText(scan.Result(), Language::kJapanese);
  EXPECT_THAT(text, HasSubstr("確認日時: 2026-11-25 09:00 JST"));
  EXPECT_THAT(
      text, HasSubstr("■ USBストレージ\n  [不合格] MAM-USB-001  USBストレージが制限されていない"));
  EXPECT_THAT(text, HasSubstr("対処: USBストレージの使用を禁止してください"));
  EXPECT_THAT(text, HasSubstr("厚労省: 2-12 USBストレージ等の外部記録媒体の接続制限"));
  EXPECT_THAT(text, HasSubstr("合計: 合格 21 / 注意 0 / 不合格 1 / 不明 0 / 対象外 1"));
  // Remediation only where something is to be done.
  EXPECT_THAT(text, Not(HasSubstr("対処: 保留中のセキュリティ更新")));
}

TEST(CheckReportText, SpeaksEnglishOnRequest) {
  const Scan scan;
  const std::string text = CheckReportText(scan.Result(), Language::kEnglish);
  EXPECT_THAT(text, HasSubstr("[FAIL] MAM-USB-001  USB mass storage not blocked"));
  EXPECT_THAT(text, HasSubstr("Summary: pass 21, warn 0, fail 1, unknown 0, n/a 1"));
}

}  // namespace
}  // namespace mamori::check
