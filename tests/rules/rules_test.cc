// Each rule's verdicts from hand-built facts: no probe involved.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "platform/rules/evaluate.h"
#include "platform/rules/rule_catalogue.h"
#include "tests/rules/healthy_host.h"

namespace mamori::rules {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

facts::SectionMeta NotCollected(std::string reason) {
  return {facts::ProbeStatus::Unknown(std::move(reason)), TestNow()};
}

// A local scan cannot judge the collector-only MAM-AGENT-001: na; every other rule passes.
Status ExpectedOnAHealthyHost(std::string_view rule_id) {
  return rule_id == "MAM-AGENT-001" ? Status::kNa : Status::kPass;
}

TEST(RulesOnAHealthyHost, EveryRulePasses) {
  for (const Finding& finding : Evaluate(HealthyDebianWorkstation(), Policy{}, TestNow())) {
    EXPECT_EQ(finding.status, ExpectedOnAHealthyHost(finding.rule_id))
        << finding.rule_id << ": " << finding.evidence;
    EXPECT_TRUE(finding.subjects.empty()) << finding.rule_id;
  }
}

TEST(RulesOnAHealthyHost, EveryRulePassesOnWindowsToo) {
  for (const Finding& finding : Evaluate(HealthyWindowsWorkstation(), Policy{}, TestNow())) {
    EXPECT_EQ(finding.status, ExpectedOnAHealthyHost(finding.rule_id))
        << finding.rule_id << ": " << finding.evidence;
  }
}

TEST(RulesOnAHealthyHost, EveryRulePassesAtTheCollectorWhileTheAgentReports) {
  ContactObservation contact;
  contact.last_contact = TestNow() - minutes{3};
  for (const Finding& finding :
       Evaluate(HealthyDebianWorkstation(), Policy{}, TestNow(), contact)) {
    EXPECT_EQ(finding.status, Status::kPass) << finding.rule_id << ": " << finding.evidence;
  }
}

TEST(RulesOnAHealthyHost, EveryRuleCarriesItsTextsAndMhlwReferences) {
  for (const Finding& finding : Evaluate(HealthyDebianWorkstation(), Policy{}, TestNow())) {
    EXPECT_FALSE(finding.title.ja.empty()) << finding.rule_id;
    EXPECT_FALSE(finding.title.en.empty()) << finding.rule_id;
    EXPECT_FALSE(finding.remediation.ja.empty()) << finding.rule_id;
    EXPECT_FALSE(finding.evidence.empty()) << finding.rule_id;
    EXPECT_FALSE(finding.mhlw.empty()) << finding.rule_id;
  }
}

// Every section a rule reads, made unknown, turns the rule unknown with the probe's reason.
TEST(RulesWithoutFacts, EveryRuleIsUnknownWithTheProbesReasonWhenNothingWasCollected) {
  facts::HostFacts host;  // every section: unknown, no reason
  host.inventory = HealthyDebianWorkstation().inventory;
  host.patch.meta = NotCollected("no patch probe on this platform yet");
  host.antivirus.meta = NotCollected("no antivirus probe on this platform yet");
  host.usb_storage.meta = NotCollected("no /sys/bus/usb");
  host.power.meta = NotCollected("no logind: /run/systemd/system absent");
  host.accounts.meta = {facts::ProbeStatus::Error("cannot read /etc/shadow"), TestNow()};
  host.logon.meta = NotCollected("no logon probe");
  host.firewall.meta = NotCollected("nft needs root");
  host.disk_encryption.meta = NotCollected("no /sys/block");
  host.remote_access.meta = NotCollected("no sshd_config");
  for (const Finding& finding : Evaluate(host, Policy{}, TestNow())) {
    if (finding.rule_id == "MAM-PATCH-002") {
      continue;  // reads only the inventory
    }
    EXPECT_EQ(finding.status, finding.rule_id == "MAM-AGENT-001" ? Status::kNa : Status::kUnknown)
        << finding.rule_id;
  }
  EXPECT_THAT(FindingFor(host, "MAM-IDLE-001").evidence, HasSubstr("/run/systemd/system absent"));
  EXPECT_THAT(FindingFor(host, "MAM-ACCT-004").evidence, HasSubstr("(エラー): cannot read"));
}

// --- MAM-PATCH-001..004 ---

TEST(PendingSecurityUpdatesRule, FailsListingTheSecurityPackages) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.patch.pending.push_back(
      {"openssl", "3.0.14-1~deb12u1", "3.0.15-1~deb12u1", "bookworm-security", true});
  const Finding finding = FindingFor(host, "MAM-PATCH-001");
  EXPECT_EQ(finding.status, Status::kFail);
  EXPECT_THAT(finding.evidence, HasSubstr("1件: openssl (3.0.15-1~deb12u1)"));
  EXPECT_THAT(finding.evidence, Not(HasSubstr("vim")));
}

TEST(PendingSecurityUpdatesRule, ListsAtMostTenPackagesAndCountsTheRest) {
  facts::HostFacts host = HealthyDebianWorkstation();
  for (int i = 0; i < 12; ++i) {
    host.patch.pending.push_back({"lib" + std::to_string(i), "", "", "bookworm-security", true});
  }
  EXPECT_THAT(FindingFor(host, "MAM-PATCH-001").evidence, HasSubstr("他2件"));
}

TEST(OsEndOfSupportRule, FailsOnWindows10ProAfterOctober2025) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.inventory.os_family = facts::OsFamily::kWindows;
  host.inventory.os_id = "Professional";
  host.inventory.os_name = "Windows 10 Pro";
  host.inventory.os_version = "22H2";
  host.inventory.os_build = "19045.5073";
  const Finding finding = FindingFor(host, "MAM-PATCH-002");
  EXPECT_EQ(finding.status, Status::kFail);
  EXPECT_THAT(finding.evidence, HasSubstr("2025-10-14"));
  EXPECT_THAT(finding.evidence, HasSubstr("407日経過"));
}

TEST(OsEndOfSupportRule, PassesOnWindows10IotEnterpriseLtsc2021UsedForQualificationTerminals) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.inventory.os_family = facts::OsFamily::kWindows;
  host.inventory.os_id = "IoTEnterpriseS";
  host.inventory.os_name = "Windows 10 IoT Enterprise LTSC 2021";
  host.inventory.os_build = "19044.5011";
  const Finding finding = FindingFor(host, "MAM-PATCH-002");
  EXPECT_EQ(finding.status, Status::kPass);
  EXPECT_THAT(finding.evidence, HasSubstr("2032-01-13"));
}

TEST(OsEndOfSupportRule, WarnsWithin90DaysOfTheEnd) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.inventory.os_family = facts::OsFamily::kWindows;
  host.inventory.os_id = "EnterpriseS";
  host.inventory.os_build = "19044";  // Enterprise LTSC 2021: 2027-01-12
  const Finding finding = FindingFor(host, "MAM-PATCH-002");
  EXPECT_EQ(finding.status, Status::kWarn);
  EXPECT_THAT(finding.evidence, HasSubstr("残り48日"));
}

TEST(OsEndOfSupportRule, FailsOnDebian11AfterItsLtsEnds) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.inventory.os_version = "11";
  EXPECT_EQ(FindingFor(host, "MAM-PATCH-002").status, Status::kFail);
}

TEST(OsEndOfSupportRule, IsStillSupportedOnItsLastDay) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.inventory.os_version = "11";
  const facts::Timestamp last_day{std::chrono::sys_days{std::chrono::year{2026} / 8 / 31}};
  const std::vector<Finding> findings = Evaluate(host, Policy{}, last_day + hours{23});
  EXPECT_EQ(findings[1].rule_id, "MAM-PATCH-002");
  EXPECT_EQ(findings[1].status, Status::kWarn);
}

TEST(OsEndOfSupportRule, IsUnknownForAReleaseMissingFromTheTable) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.inventory.os_id = "gentoo";
  host.inventory.os_version = "2.15";
  const Finding finding = FindingFor(host, "MAM-PATCH-002");
  EXPECT_EQ(finding.status, Status::kUnknown);
  EXPECT_THAT(finding.evidence, HasSubstr("gentoo"));
}

TEST(OsEndOfSupportRule, UsesTheProbesDateWhenTheTableHasNone) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.inventory.os_id = "rhel";
  host.inventory.os_version = "7.9";
  host.patch.os_support_ends = "2024-06-30";
  EXPECT_EQ(FindingFor(host, "MAM-PATCH-002").status, Status::kFail);
}

TEST(RebootRequiredRule, WarnsWhenARebootIsPending) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.patch.reboot_required = true;
  EXPECT_EQ(FindingFor(host, "MAM-PATCH-003").status, Status::kWarn);
  host.patch.reboot_required.reset();
  EXPECT_EQ(FindingFor(host, "MAM-PATCH-003").status, Status::kUnknown);
}

TEST(UpdateActivityRule, WarnsAfter30DaysWithoutInstallingOrChecking) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.patch.last_update_installed = TestNow() - days{45};
  host.patch.last_update_check = TestNow() - days{31};
  const Finding finding = FindingFor(host, "MAM-PATCH-004");
  EXPECT_EQ(finding.status, Status::kWarn);
  EXPECT_THAT(finding.evidence, HasSubstr("31日前"));
}

TEST(UpdateActivityRule, PassesWhenOnlyACheckWasRecent) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.patch.last_update_installed = TestNow() - days{200};
  host.patch.last_update_check = TestNow() - days{3};
  EXPECT_EQ(FindingFor(host, "MAM-PATCH-004").status, Status::kPass);
}

TEST(UpdateActivityRule, WarnsWhenTheUpdateServiceIsDisabled) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.patch.update_service_disabled = true;
  EXPECT_EQ(FindingFor(host, "MAM-PATCH-004").status, Status::kWarn);
}

TEST(UpdateActivityRule, IsUnknownWithoutAnyRecord) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.patch.last_update_installed.reset();
  host.patch.last_update_check.reset();
  EXPECT_EQ(FindingFor(host, "MAM-PATCH-004").status, Status::kUnknown);
}

TEST(UpdateActivityRule, FollowsThePolicyThreshold) {
  facts::HostFacts host = HealthyDebianWorkstation();
  Policy policy;
  policy.update_activity_warn_days = 1;
  EXPECT_EQ(FindingFor(host, "MAM-PATCH-004", policy).status, Status::kWarn);
}

// --- MAM-AV-001..003 ---

TEST(AntivirusRunningRule, FailsWhenNoProductIsFound) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.antivirus.products.clear();
  EXPECT_EQ(FindingFor(host, "MAM-AV-001").status, Status::kFail);
  EXPECT_EQ(FindingFor(host, "MAM-AV-003").status, Status::kNa);
}

TEST(AntivirusRunningRule, FailsWhenEveryProductIsOffOrPassive) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.antivirus.products[0].state = facts::AntivirusState::kOff;
  facts::AntivirusProduct defender;
  defender.name = "Microsoft Defender";
  defender.state = facts::AntivirusState::kPassive;
  host.antivirus.products.push_back(defender);
  const Finding finding = FindingFor(host, "MAM-AV-001");
  EXPECT_EQ(finding.status, Status::kFail);
  EXPECT_THAT(finding.evidence, HasSubstr("ClamAV (停止)"));
  EXPECT_THAT(finding.evidence, HasSubstr("Microsoft Defender (パッシブ"));
}

TEST(AntivirusRunningRule, PassesWhenDefenderIsPassiveBesideARunningProduct) {
  facts::HostFacts host = HealthyDebianWorkstation();
  facts::AntivirusProduct defender;
  defender.name = "Microsoft Defender";
  defender.state = facts::AntivirusState::kPassive;
  host.antivirus.products.push_back(defender);
  EXPECT_EQ(FindingFor(host, "MAM-AV-001").status, Status::kPass);
}

TEST(RealtimeProtectionRule, FailsOnAWorkstationAndWarnsOnAServer) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.antivirus.products[0].realtime_protection = false;
  EXPECT_EQ(FindingFor(host, "MAM-AV-002").status, Status::kFail);
  host.inventory.role = facts::HostRole::kServer;
  EXPECT_EQ(FindingFor(host, "MAM-AV-002").status, Status::kWarn);
}

TEST(RealtimeProtectionRule, FailsOnAWindowsServerToo) {
  facts::HostFacts host = HealthyWindowsWorkstation();
  host.inventory.role = facts::HostRole::kServer;
  host.antivirus.products[0].realtime_protection = false;
  EXPECT_EQ(FindingFor(host, "MAM-AV-002").status, Status::kFail);
}

TEST(RealtimeProtectionRule, IsUnknownWhenTheProductDoesNotSay) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.antivirus.products[0].realtime_protection.reset();
  EXPECT_EQ(FindingFor(host, "MAM-AV-002").status, Status::kUnknown);
}

TEST(SignatureAgeRule, WarnsFromThreeDaysAndFailsFromSeven) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.antivirus.products[0].signatures_updated_at = TestNow() - days{3};
  EXPECT_EQ(FindingFor(host, "MAM-AV-003").status, Status::kWarn);
  host.antivirus.products[0].signatures_updated_at = TestNow() - days{7};
  const Finding finding = FindingFor(host, "MAM-AV-003");
  EXPECT_EQ(finding.status, Status::kFail);
  EXPECT_THAT(finding.evidence, HasSubstr("2026-11-18 (7日前)"));
}

TEST(SignatureAgeRule, TrustsSecurityCentersVerdictWithoutADate) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.antivirus.products[0].signatures_updated_at.reset();
  host.antivirus.products[0].signatures_up_to_date = false;
  EXPECT_EQ(FindingFor(host, "MAM-AV-003").status, Status::kFail);
  host.antivirus.products[0].signatures_up_to_date = true;
  EXPECT_EQ(FindingFor(host, "MAM-AV-003").status, Status::kPass);
  host.antivirus.products[0].signatures_up_to_date.reset();
  EXPECT_EQ(FindingFor(host, "MAM-AV-003").status, Status::kUnknown);
}

// --- MAM-USB-001..002 ---

TEST(UsbStorageBlockedRule, FailsWhenUsbStorageIsAllowed) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.usb_storage.mode = facts::UsbStorageMode::kAllowed;
  host.usb_storage.controls.clear();
  const Finding finding = FindingFor(host, "MAM-USB-001");
  EXPECT_EQ(finding.status, Status::kFail);
  EXPECT_THAT(finding.evidence, HasSubstr("制御設定: なし"));
}

TEST(UsbStorageBlockedRule, FailsWhenBlockedByConfigButTheModuleIsLoadedOrBuiltIn) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.usb_storage.driver_loaded = true;
  EXPECT_EQ(FindingFor(host, "MAM-USB-001").status, Status::kFail);
  host.usb_storage.driver_loaded = false;
  host.usb_storage.driver_builtin = true;
  EXPECT_EQ(FindingFor(host, "MAM-USB-001").status, Status::kFail);
}

TEST(UsbStorageBlockedRule, WarnsWhenUsbStorageIsOnlyReadOnly) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.usb_storage.mode = facts::UsbStorageMode::kReadOnly;
  EXPECT_EQ(FindingFor(host, "MAM-USB-001").status, Status::kWarn);
}

TEST(UsbStorageBlockedRule, IsUnknownWhenTheModeCouldNotBeDecided) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.usb_storage.mode = facts::UsbStorageMode::kUnspecified;
  EXPECT_EQ(FindingFor(host, "MAM-USB-001").status, Status::kUnknown);
}

TEST(UsbStorageAttachedRule, WarnsNamingTheAttachedDevice) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.usb_storage.devices.push_back({"BUFFALO", "USB Flash Disk", "0123ABCD", true});
  host.usb_storage.devices.push_back({"I-O DATA", "Old stick", "", false});
  const Finding finding = FindingFor(host, "MAM-USB-002");
  EXPECT_EQ(finding.status, Status::kWarn);
  EXPECT_THAT(finding.evidence, HasSubstr("1台: BUFFALO USB Flash Disk (シリアル 0123ABCD)"));
  EXPECT_THAT(finding.evidence, Not(HasSubstr("I-O DATA")));
}

// --- MAM-IDLE-001..002 ---

TEST(IdleSessionsRule, WarnsForASessionIdleTwoHoursOrMore) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.power.sessions[0].idle = true;
  host.power.sessions[0].idle_since = TestNow() - hours{2} - minutes{30};
  const Finding finding = FindingFor(host, "MAM-IDLE-001");
  EXPECT_EQ(finding.status, Status::kWarn);
  EXPECT_THAT(finding.evidence, HasSubstr("uketsuke (x11, 2時間30分操作なし)"));
}

TEST(IdleSessionsRule, PassesForASessionIdleLessThanTwoHours) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.power.sessions[0].idle = true;
  host.power.sessions[0].idle_since = TestNow() - minutes{119};
  EXPECT_EQ(FindingFor(host, "MAM-IDLE-001").status, Status::kPass);
}

TEST(IdleSessionsRule, IsUnknownWhenNoSessionReportsIdleness) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.power.sessions[0].idle.reset();
  EXPECT_EQ(FindingFor(host, "MAM-IDLE-001").status, Status::kUnknown);
}

TEST(IdleRules, DoNotApplyToServers) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.inventory.role = facts::HostRole::kServer;
  host.power.meta = NotCollected("no logind");
  EXPECT_EQ(FindingFor(host, "MAM-IDLE-001").status, Status::kNa);
  EXPECT_EQ(FindingFor(host, "MAM-IDLE-002").status, Status::kNa);
  EXPECT_EQ(FindingFor(host, "MAM-LOCK-001").status, Status::kNa);
}

TEST(SleepDisabledRule, WarnsWhenSleepIsDisabledOrNeverOnAc) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.power.sleep_disabled = true;
  EXPECT_EQ(FindingFor(host, "MAM-IDLE-002").status, Status::kWarn);
  host.power.sleep_disabled.reset();
  host.power.sleep_after_ac = std::chrono::seconds{0};
  EXPECT_EQ(FindingFor(host, "MAM-IDLE-002").status, Status::kWarn);
  host.power.sleep_after_ac = minutes{30};
  EXPECT_EQ(FindingFor(host, "MAM-IDLE-002").status, Status::kPass);
  host.power.sleep_after_ac.reset();
  EXPECT_EQ(FindingFor(host, "MAM-IDLE-002").status, Status::kUnknown);
}

// --- Roles ---

TEST(HostRole, AnUnspecifiedRoleIsJudgedAsAWorkstationAndSaysSo) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.inventory.role = facts::HostRole::kUnspecified;
  host.power.sleep_disabled = true;
  const Finding finding = FindingFor(host, "MAM-IDLE-002");
  EXPECT_EQ(finding.status, Status::kWarn);
  EXPECT_THAT(finding.evidence, HasSubstr("役割が未設定のため"));
}

TEST(HostRole, AWindowsServerIsAServerEvenWithoutARole) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.inventory.role = facts::HostRole::kUnspecified;
  host.inventory.os_name = "Windows Server 2022 Standard";
  EXPECT_EQ(FindingFor(host, "MAM-IDLE-001").status, Status::kNa);
}

TEST(HostRole, ThePolicyOverridesTheInventory) {
  facts::HostFacts host = HealthyDebianWorkstation();
  Policy policy;
  policy.role = RolePolicy::kServer;
  const Finding finding = FindingFor(host, "MAM-IDLE-001", policy);
  EXPECT_EQ(finding.status, Status::kNa);
  EXPECT_THAT(finding.evidence, HasSubstr("ポリシーで指定"));
}

// The finding of one rule evaluated at `now` (TestNow() is 09:00 JST, business hours).
Finding FindingAt(const facts::HostFacts& host, std::string_view rule_id, facts::Timestamp now,
                  const Policy& policy = Policy{}) {
  for (Finding& finding : Evaluate(host, policy, now)) {
    if (finding.rule_id == rule_id) {
      return finding;
    }
  }
  return Finding{};
}

// Wednesday 2026-11-25 21:40 JST: the clinic closed at 18:30.
facts::Timestamp TonightAt2140() { return TestNow() + hours{12} + minutes{40}; }

TEST(IdleSessionsRule, FailsForAWorkstationLeftOnAndIdleAfterHours) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.power.idle = hours{3} + minutes{10};
  const Finding finding = FindingAt(host, "MAM-IDLE-001", TonightAt2140());
  EXPECT_EQ(finding.status, Status::kFail);
  EXPECT_THAT(
      finding.evidence,
      HasSubstr("営業時間外 (2026-11-25 21:40 時点) に電源が入ったまま 3時間10分 操作なし"));
  EXPECT_THAT(finding.evidence, HasSubstr("最後の操作 2026-11-25 18:30"));
}

TEST(IdleSessionsRule, FailsAfterHoursFromTheSessionsIdleWhenTheHostGivesNone) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.power.sessions[0].idle = true;
  host.power.sessions[0].idle_since = TonightAt2140() - minutes{75};
  EXPECT_EQ(FindingAt(host, "MAM-IDLE-001", TonightAt2140()).status, Status::kFail);
  // A second session in use keeps the machine attended.
  facts::UserSession active = host.power.sessions[0];
  active.idle_since = TonightAt2140() - minutes{2};
  host.power.sessions.push_back(active);
  EXPECT_EQ(FindingAt(host, "MAM-IDLE-001", TonightAt2140()).status, Status::kPass);
}

TEST(IdleSessionsRule, OnlyWarnsAfterHoursWhenASessionsIdleIsUnknown) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.power.sessions[0].idle = true;
  host.power.sessions[0].idle_since = TonightAt2140() - hours{5};
  facts::UserSession graphical;
  graphical.id = "3";
  graphical.user = "reception";
  graphical.type = "wayland";
  host.power.sessions.push_back(graphical);  // no idle time: someone may be using it
  EXPECT_EQ(FindingAt(host, "MAM-IDLE-001", TonightAt2140()).status, Status::kWarn);
}

TEST(IdleSessionsRule, PassesAfterHoursBelowTheAfterHoursThreshold) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.power.idle = minutes{59};
  EXPECT_EQ(FindingAt(host, "MAM-IDLE-001", TonightAt2140()).status, Status::kPass);
  Policy policy;
  policy.idle_after_hours_minutes = 30;
  EXPECT_EQ(FindingAt(host, "MAM-IDLE-001", TonightAt2140(), policy).status, Status::kFail);
}

TEST(IdleSessionsRule, OnlyWarnsForTheSameIdleWithinBusinessHours) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.power.idle = hours{3} + minutes{10};
  const Finding finding = FindingFor(host, "MAM-IDLE-001");  // 09:00 JST, a Wednesday
  EXPECT_EQ(finding.status, Status::kWarn);
  EXPECT_THAT(finding.evidence, HasSubstr("最後の操作から 3時間10分"));
}

TEST(IdleSessionsRule, FailsOnAWeekendAndFollowsTheClinicsCalendar) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.power.idle = hours{2};
  const facts::Timestamp saturday_noon = TestNow() + days{3} + hours{3};
  EXPECT_EQ(FindingAt(host, "MAM-IDLE-001", saturday_noon).status, Status::kFail);
  Policy open_saturdays;
  open_saturdays.business_hours.days[6] = true;
  EXPECT_EQ(FindingAt(host, "MAM-IDLE-001", saturday_noon, open_saturdays).status, Status::kWarn);
}

TEST(IdleSessionsRule, DoesNotApplyToAServerLeftOnAtNight) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.inventory.role = facts::HostRole::kServer;
  host.power.idle = hours{10};
  EXPECT_EQ(FindingAt(host, "MAM-IDLE-001", TonightAt2140()).status, Status::kNa);
}

// --- MAM-ACCT-001..006 ---

TEST(UnusedAccountsRule, WarnsListingAccountsUnusedFor90DaysOrNeverUsed) {
  facts::HostFacts host = HealthyDebianWorkstation();
  facts::LocalAccount leaver = Person("taishoku", "1002");
  leaver.last_logon = TestNow() - days{120};
  host.accounts.accounts.push_back(leaver);
  facts::LocalAccount never = Person("kenshu", "1003");
  never.last_logon.reset();
  host.accounts.accounts.push_back(never);
  facts::LocalAccount disabled = Person("old", "1004");
  disabled.enabled = false;
  disabled.last_logon.reset();
  host.accounts.accounts.push_back(disabled);
  const Finding finding = FindingFor(host, "MAM-ACCT-001");
  EXPECT_EQ(finding.status, Status::kWarn);
  EXPECT_THAT(finding.evidence, HasSubstr("taishoku (最終ログイン 2026-07-28, 120日前)"));
  EXPECT_THAT(finding.evidence, HasSubstr("kenshu (ログイン記録なし)"));
  EXPECT_THAT(finding.evidence, Not(HasSubstr("old")));
  EXPECT_THAT(finding.evidence, Not(HasSubstr("daemon")));
  EXPECT_THAT(finding.subjects, ElementsAre("taishoku", "kenshu"));
}

TEST(PasswordAgeRule, WarnsForOldPasswordsWhenTheMinimumLengthIsBelow13) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.accounts.password_policy.min_length = 8;
  host.accounts.accounts[3].password_changed_at = TestNow() - days{200};
  const Finding finding = FindingFor(host, "MAM-ACCT-002");
  EXPECT_EQ(finding.status, Status::kWarn);
  EXPECT_THAT(finding.evidence, HasSubstr("uketsuke (200日前に変更)"));
  EXPECT_THAT(finding.subjects, ElementsAre("uketsuke"));
}

TEST(PasswordAgeRule, PassesForOldPasswordsWhenTheMinimumLengthIs13OrMore) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.accounts.password_policy.min_length = 13;
  host.accounts.accounts[3].password_changed_at = TestNow() - days{400};
  EXPECT_EQ(FindingFor(host, "MAM-ACCT-002").status, Status::kPass);
}

TEST(PasswordAgeRule, IsUnknownWhenNoChangeDateIsKnown) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.accounts.password_policy.min_length.reset();
  for (facts::LocalAccount& account : host.accounts.accounts) {
    account.password_changed_at.reset();
  }
  EXPECT_EQ(FindingFor(host, "MAM-ACCT-002").status, Status::kUnknown);
}

TEST(BuiltinAccountsRule, WarnsOnLinuxWhenRootHasAUsablePassword) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.accounts.accounts[0].locked = false;
  const Finding finding = FindingFor(host, "MAM-ACCT-003");
  EXPECT_EQ(finding.status, Status::kWarn);
  EXPECT_THAT(finding.evidence, HasSubstr("root"));
  EXPECT_THAT(finding.subjects, ElementsAre("root"));
}

TEST(BuiltinAccountsRule, FailsOnWindowsWhenTheRid500AdministratorIsEnabledEvenIfRenamed) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.inventory.os_family = facts::OsFamily::kWindows;
  host.accounts.accounts.clear();
  facts::LocalAccount admin = Person("kanri", "S-1-5-21-1-2-3-500");
  host.accounts.accounts.push_back(admin);
  facts::LocalAccount guest = Person("Guest", "S-1-5-21-1-2-3-501");
  guest.enabled = false;
  host.accounts.accounts.push_back(guest);
  const Finding finding = FindingFor(host, "MAM-ACCT-003");
  EXPECT_EQ(finding.status, Status::kFail);
  EXPECT_THAT(finding.evidence, HasSubstr("kanri"));
  EXPECT_THAT(finding.evidence, Not(HasSubstr("Guest")));
  EXPECT_THAT(finding.subjects, ElementsAre("kanri"));
}

TEST(EmptyPasswordsRule, FailsNamingTheAccountWithoutAPassword) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.accounts.accounts[3].password_empty = true;
  const Finding finding = FindingFor(host, "MAM-ACCT-004");
  EXPECT_EQ(finding.status, Status::kFail);
  EXPECT_THAT(finding.evidence, HasSubstr("uketsuke"));
  EXPECT_THAT(finding.subjects, ElementsAre("uketsuke"));
}

TEST(EmptyPasswordsRule, NamesTheAccountsWhosePasswordCannotBeConfirmed) {
  facts::HostFacts host = HealthyWindowsWorkstation();
  host.accounts.accounts[3].password_empty.reset();  // 受付, UF_PASSWD_NOTREQD
  const Finding finding = FindingFor(host, "MAM-ACCT-004");
  EXPECT_EQ(finding.status, Status::kUnknown);
  EXPECT_THAT(finding.evidence, HasSubstr("受付"));
  EXPECT_THAT(finding.evidence, Not(HasSubstr("事務長")));
  EXPECT_THAT(finding.subjects, ElementsAre("受付"));
}

TEST(EmptyPasswordsRule, IgnoresDisabledAccounts) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.accounts.accounts[3].password_empty = true;
  host.accounts.accounts[3].enabled = false;
  EXPECT_EQ(FindingFor(host, "MAM-ACCT-004").status, Status::kPass);
}

TEST(PasswordPolicyRule, PassesWith13CharactersOr8WithAMaximumAgeOf60Days) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.accounts.password_policy.min_length = 13;
  EXPECT_EQ(FindingFor(host, "MAM-ACCT-005").status, Status::kPass);
  host.accounts.password_policy.min_length = 8;
  host.accounts.password_policy.max_age_days = 60;
  EXPECT_EQ(FindingFor(host, "MAM-ACCT-005").status, Status::kPass);
}

TEST(PasswordPolicyRule, FailsWith8CharactersThatNeverExpire) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.accounts.password_policy.min_length = 8;
  host.accounts.password_policy.max_age_days = 0;
  const Finding finding = FindingFor(host, "MAM-ACCT-005");
  EXPECT_EQ(finding.status, Status::kFail);
  EXPECT_THAT(finding.evidence, HasSubstr("最小文字数 8文字、有効期限 なし"));
  host.accounts.password_policy.max_age_days = 61;
  EXPECT_EQ(FindingFor(host, "MAM-ACCT-005").status, Status::kFail);
  host.accounts.password_policy.min_length = 7;
  host.accounts.password_policy.max_age_days = 30;
  EXPECT_EQ(FindingFor(host, "MAM-ACCT-005").status, Status::kFail);
}

TEST(PasswordPolicyRule, IsUnknownWithoutAMinimumLength) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.accounts.password_policy.min_length.reset();
  EXPECT_EQ(FindingFor(host, "MAM-ACCT-005").status, Status::kUnknown);
}

TEST(AdministratorCountRule, WarnsAboveThreeEnabledAdministrators) {
  facts::HostFacts host = HealthyDebianWorkstation();
  for (int i = 0; i < 3; ++i) {
    facts::LocalAccount admin = Person("doctor" + std::to_string(i), std::to_string(1100 + i));
    admin.admin = true;
    host.accounts.accounts.push_back(admin);
  }
  const Finding finding = FindingFor(host, "MAM-ACCT-006");
  EXPECT_EQ(finding.status, Status::kWarn);
  EXPECT_THAT(finding.evidence, HasSubstr("有効な管理者 4人"));
  EXPECT_THAT(finding.evidence, Not(HasSubstr("root")));  // locked
  EXPECT_THAT(finding.subjects, ElementsAre("jimu", "doctor0", "doctor1", "doctor2"));
}

// --- MAM-LOGON-001, MAM-LOCK-001, MAM-FW-001, MAM-ENC-001, MAM-REMOTE-001 ---

TEST(AutomaticLogonRule, FailsNamingTheUser) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.logon.auto_logon_enabled = true;
  host.logon.auto_logon_user = "uketsuke";
  const Finding finding = FindingFor(host, "MAM-LOGON-001");
  EXPECT_EQ(finding.status, Status::kFail);
  EXPECT_THAT(finding.evidence, HasSubstr("uketsuke"));
  EXPECT_THAT(finding.subjects, ElementsAre("uketsuke"));
  host.logon.auto_logon_enabled.reset();
  EXPECT_EQ(FindingFor(host, "MAM-LOGON-001").status, Status::kUnknown);
}

TEST(AutomaticLogonRule, ReportsAStoredClearTextPasswordEvenWhenAutomaticLogonIsOff) {
  facts::HostFacts host = HealthyWindowsWorkstation();
  host.logon.auto_logon_enabled = true;
  host.logon.auto_logon_user = "受付";
  host.logon.auto_logon_password_stored = true;
  Finding finding = FindingFor(host, "MAM-LOGON-001");
  EXPECT_EQ(finding.status, Status::kFail);
  EXPECT_THAT(finding.evidence, HasSubstr("受付"));
  EXPECT_THAT(finding.evidence, HasSubstr("DefaultPassword"));
  host.logon.auto_logon_enabled = false;
  finding = FindingFor(host, "MAM-LOGON-001");
  EXPECT_EQ(finding.status, Status::kWarn);
  EXPECT_THAT(finding.evidence, HasSubstr("平文で保存"));
}

TEST(ScreenLockRule, WarnsWhenOffOrLaterThan15Minutes) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.logon.screen_lock_timeout = minutes{15};
  EXPECT_EQ(FindingFor(host, "MAM-LOCK-001").status, Status::kPass);
  host.logon.screen_lock_timeout = minutes{20};
  EXPECT_EQ(FindingFor(host, "MAM-LOCK-001").status, Status::kWarn);
  host.logon.screen_lock_enabled = false;
  EXPECT_EQ(FindingFor(host, "MAM-LOCK-001").status, Status::kWarn);
  host.logon.screen_lock_enabled = true;
  host.logon.screen_lock_timeout.reset();
  EXPECT_EQ(FindingFor(host, "MAM-LOCK-001").status, Status::kUnknown);
}

TEST(FirewallRule, FailsWhenOff) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.firewall.enabled = false;
  EXPECT_EQ(FindingFor(host, "MAM-FW-001").status, Status::kFail);
  host.firewall.enabled.reset();
  host.firewall.profiles.clear();
  EXPECT_EQ(FindingFor(host, "MAM-FW-001").status, Status::kUnknown);
}

TEST(FirewallRule, FailsOnWindowsWhenAnyProfileIsOff) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.inventory.os_family = facts::OsFamily::kWindows;
  host.firewall.enabled.reset();
  host.firewall.product = "Windows Defender Firewall";
  host.firewall.profiles = {{"Domain", true}, {"Private", true}, {"Public", false}};
  const Finding finding = FindingFor(host, "MAM-FW-001");
  EXPECT_EQ(finding.status, Status::kFail);
  EXPECT_THAT(finding.evidence, HasSubstr("Public"));
}

TEST(FirewallRule, PassesOnLinuxWhenOneOfTheFirewallsFilters) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.firewall.enabled.reset();
  host.firewall.profiles = {{"ufw", false}, {"nftables", true}};
  EXPECT_EQ(FindingFor(host, "MAM-FW-001").status, Status::kPass);
}

TEST(DiskEncryptionRule, WarnsWhenTheSystemDiskIsNotEncrypted) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.disk_encryption.system_volume_encrypted = false;
  EXPECT_EQ(FindingFor(host, "MAM-ENC-001").status, Status::kWarn);
  host.disk_encryption.system_volume_encrypted.reset();
  EXPECT_EQ(FindingFor(host, "MAM-ENC-001").status, Status::kUnknown);
}

TEST(RemoteLoginRule, WarnsForSshRootOrPasswordLogin) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.remote_access.ssh_root_login = true;
  host.remote_access.ssh_password_authentication = true;
  const Finding finding = FindingFor(host, "MAM-REMOTE-001");
  EXPECT_EQ(finding.status, Status::kWarn);
  EXPECT_THAT(finding.evidence, HasSubstr("root"));
  EXPECT_THAT(finding.evidence, HasSubstr("パスワード認証"));
}

TEST(RemoteLoginRule, IgnoresSshSettingsWhenSshdIsNotRunning) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.remote_access.ssh_enabled = false;
  host.remote_access.ssh_password_authentication = true;
  EXPECT_EQ(FindingFor(host, "MAM-REMOTE-001").status, Status::kPass);
}

TEST(RemoteLoginRule, WarnsWhenRemoteDesktopIsOn) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.inventory.os_family = facts::OsFamily::kWindows;
  host.remote_access = {};
  host.remote_access.meta = Collected();
  host.remote_access.rdp_enabled = true;
  host.remote_access.rdp_nla_required = true;
  const Finding finding = FindingFor(host, "MAM-REMOTE-001");
  EXPECT_EQ(finding.status, Status::kWarn);
  EXPECT_THAT(finding.evidence, HasSubstr("NLA 必須"));
  host.remote_access.rdp_enabled.reset();
  EXPECT_EQ(FindingFor(host, "MAM-REMOTE-001").status, Status::kUnknown);
}

TEST(DiskEncryptionRule, WarnsNamingWhyBitLockerDoesNotProtectTheDisk) {
  facts::HostFacts host = HealthyWindowsWorkstation();
  host.disk_encryption.system_volume_encrypted = false;
  host.disk_encryption.method = "BitLocker XTS-AES 128 (protection suspended)";
  const Finding finding = FindingFor(host, "MAM-ENC-001");
  EXPECT_EQ(finding.status, Status::kWarn);
  EXPECT_THAT(finding.evidence, HasSubstr("protection suspended"));
}

TEST(RemoteLoginRule, FailsWhenRemoteDesktopAcceptsConnectionsWithoutNla) {
  facts::HostFacts host = HealthyWindowsWorkstation();
  host.remote_access.rdp_enabled = true;
  host.remote_access.rdp_nla_required = false;
  const Finding finding = FindingFor(host, "MAM-REMOTE-001");
  EXPECT_EQ(finding.status, Status::kFail);
  EXPECT_THAT(finding.evidence, HasSubstr("NLA 不要"));
  // NLA that cannot be read is not assumed missing.
  host.remote_access.rdp_nla_required.reset();
  EXPECT_EQ(FindingFor(host, "MAM-REMOTE-001").status, Status::kWarn);
}

// --- MAM-AGENT-001 ---

Finding AgentFinding(const facts::HostFacts& host, const ContactObservation& contact,
                     const Policy& policy = Policy{}) {
  for (Finding& finding : Evaluate(host, policy, TestNow(), contact)) {
    if (finding.rule_id == "MAM-AGENT-001") {
      return finding;
    }
  }
  return Finding{};
}

ContactObservation LastHeard(facts::Timestamp when) {
  ContactObservation contact;
  contact.last_contact = when;
  return contact;
}

TEST(AgentContactRule, IsNotApplicableInALocalScan) {
  const Finding finding = FindingFor(HealthyDebianWorkstation(), "MAM-AGENT-001");
  EXPECT_EQ(finding.status, Status::kNa);
  EXPECT_EQ(finding.evidence, "収集サーバでのみ判定します");
  EXPECT_EQ(finding.area, "AGENT");
  EXPECT_THAT(finding.mhlw, Not(IsEmpty()));
}

TEST(AgentContactRule, PassesWhileTheAgentReports) {
  const Finding finding =
      AgentFinding(HealthyDebianWorkstation(), LastHeard(TestNow() - minutes{4}));
  EXPECT_EQ(finding.status, Status::kPass);
  EXPECT_THAT(finding.evidence, HasSubstr("最終受信 2026-11-25 08:56"));
}

TEST(AgentContactRule, PassesForAWorkstationOffOutsideBusinessHours) {
  // Last heard Tuesday 18:40 JST; at 09:00 on Wednesday only 30 business minutes passed.
  const Finding finding =
      AgentFinding(HealthyDebianWorkstation(), LastHeard(TestNow() - hours{14} - minutes{20}));
  EXPECT_EQ(finding.status, Status::kPass);
  EXPECT_THAT(finding.evidence, HasSubstr("営業時間外"));
  EXPECT_THAT(finding.evidence, HasSubstr("最終受信 2026-11-24 18:40"));
}

TEST(AgentContactRule, WarnsForAWorkstationSilentThroughBusinessHours) {
  // Last heard Monday 09:00 JST: silent 20 business hours since.
  const Finding finding = AgentFinding(HealthyDebianWorkstation(), LastHeard(TestNow() - days{2}));
  EXPECT_EQ(finding.status, Status::kWarn);
  EXPECT_THAT(finding.evidence, HasSubstr("営業時間内に 20時間0分 応答なし"));
}

TEST(AgentContactRule, FailsForAServerSilentLongerThanItsLimit) {
  facts::HostFacts host = HealthyDebianWorkstation();
  host.inventory.role = facts::HostRole::kServer;
  const Finding finding = AgentFinding(host, LastHeard(TestNow() - minutes{45}));
  EXPECT_EQ(finding.status, Status::kFail);
  EXPECT_THAT(finding.evidence, HasSubstr("0時間45分 応答なし"));
  Policy patient;
  patient.server_silent_minutes = 60;
  EXPECT_EQ(AgentFinding(host, LastHeard(TestNow() - minutes{45}), patient).status, Status::kPass);
}

TEST(AgentContactRule, IsUnknownForAnAgentThatNeverReported) {
  const Finding finding = AgentFinding(HealthyDebianWorkstation(), ContactObservation{});
  EXPECT_EQ(finding.status, Status::kUnknown);
  EXPECT_FALSE(finding.evidence.empty());
}

}  // namespace
}  // namespace mamori::rules
