// Runs on the mingw-w64 build under Wine; WMI is a fake answering what each Windows edition would.
#include "platform/windows/antivirus_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "tests/platform/fake_wmi.h"
#include "tests/platform/fixture.h"

namespace mamori::platform {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

constexpr std::string_view kCenter = R"(ROOT\SecurityCenter2)";
constexpr std::string_view kCenterQuery = "SELECT displayName, productState FROM AntiVirusProduct";
constexpr std::string_view kDefender = R"(ROOT\Microsoft\Windows\Defender)";
constexpr std::string_view kDefenderQuery = "SELECT * FROM MSFT_MpComputerStatus";
constexpr std::string_view kInvalidNamespace =
    R"(ConnectServer(ROOT\SecurityCenter2) failed: 0x8004100E (WBEM_E_INVALID_NAMESPACE))";

// 2025-06-15 15:06:40 UTC.
const facts::Timestamp kNow{std::chrono::seconds(1750000000)};

WmiObject CenterEntry(std::string name, int64_t product_state) {
  return {{"displayName", std::move(name)}, {"productState", product_state}};
}

// MSFT_MpComputerStatus as Get-MpComputerStatus shows it on a protected Windows 11 PC.
WmiObject DefenderStatus(std::string running_mode) {
  return {{"AMRunningMode", std::move(running_mode)},
          {"AMServiceEnabled", true},
          {"AntivirusEnabled", true},
          {"RealTimeProtectionEnabled", true},
          {"OnAccessProtectionEnabled", true},
          {"AntivirusSignatureLastUpdated", std::string("20250615090000.000000+540")},
          {"AntivirusSignatureAge", int64_t{0}},
          {"AMProductVersion", std::string("4.18.25050.5")},
          {"ComputerState", int64_t{0}},
          {"QuickScanAge", int64_t{2}}};
}

facts::Antivirus Collect(std::unique_ptr<testing::FakeWmi> wmi) {
  return WindowsAntivirusProbe(testing::FixedTimeEnvironment({}, kNow), std::move(wmi)).Collect();
}

TEST(WindowsAntivirusProbe, ReportsDefenderOnWindows11AsOneProductFromBothSources) {
  auto wmi = std::make_unique<testing::FakeWmi>();
  wmi->Answer(kCenter, kCenterQuery, {CenterEntry("Windows Defender", 397568)})
      .Answer(kDefender, kDefenderQuery, {DefenderStatus("Normal")});
  const facts::Antivirus antivirus = Collect(std::move(wmi));

  EXPECT_EQ(antivirus.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(antivirus.meta.collected_at, kNow);
  ASSERT_EQ(antivirus.products.size(), 1u);
  const facts::AntivirusProduct& defender = antivirus.products[0];
  EXPECT_EQ(defender.name, "Microsoft Defender Antivirus");
  EXPECT_EQ(defender.source, "MSFT_MpComputerStatus, SecurityCenter2");
  EXPECT_EQ(defender.state, facts::AntivirusState::kOn);
  EXPECT_EQ(defender.realtime_protection, true);
  EXPECT_EQ(defender.signatures_up_to_date, true);
  // 09:00 in Japan is 00:00 UTC.
  EXPECT_EQ(defender.signatures_updated_at,
            std::chrono::sys_days(std::chrono::year(2025) / std::chrono::June / 15));
  EXPECT_EQ(defender.version, "4.18.25050.5");
}

TEST(WindowsAntivirusProbe, ReportsPassiveDefenderBesideAThirdPartyProduct) {
  auto wmi = std::make_unique<testing::FakeWmi>();
  // Security Center shows the passive Defender as off (0x060100).
  wmi->Answer(kCenter, kCenterQuery,
              {CenterEntry("ESET Security", 266240), CenterEntry("Windows Defender", 393472)})
      .Answer(kDefender, kDefenderQuery, {DefenderStatus("Passive Mode")});
  const facts::Antivirus antivirus = Collect(std::move(wmi));

  EXPECT_EQ(antivirus.meta.status, facts::ProbeStatus::Ok());
  ASSERT_EQ(antivirus.products.size(), 2u);
  EXPECT_EQ(antivirus.products[0].name, "ESET Security");
  EXPECT_EQ(antivirus.products[0].source, "SecurityCenter2");
  EXPECT_EQ(antivirus.products[0].state, facts::AntivirusState::kOn);
  EXPECT_EQ(antivirus.products[0].realtime_protection, true);
  EXPECT_EQ(antivirus.products[0].signatures_up_to_date, true);
  EXPECT_FALSE(antivirus.products[0].signatures_updated_at.has_value());
  EXPECT_EQ(antivirus.products[1].name, "Microsoft Defender Antivirus");
  EXPECT_EQ(antivirus.products[1].state, facts::AntivirusState::kPassive);
}

TEST(WindowsAntivirusProbe, ReportsDefenderOnWindowsServerWithoutSecurityCenter) {
  auto wmi = std::make_unique<testing::FakeWmi>();
  wmi->Fail(kCenter, kCenterQuery, std::string(kInvalidNamespace))
      .Answer(kDefender, kDefenderQuery, {DefenderStatus("Normal")});
  const facts::Antivirus antivirus = Collect(std::move(wmi));

  EXPECT_EQ(antivirus.meta.status.state, facts::ProbeState::kOk);
  EXPECT_EQ(antivirus.meta.status.reason,
            "not read: SecurityCenter2 AntiVirusProduct: " + std::string(kInvalidNamespace));
  ASSERT_EQ(antivirus.products.size(), 1u);
  EXPECT_EQ(antivirus.products[0].source, "MSFT_MpComputerStatus");
  EXPECT_EQ(antivirus.products[0].state, facts::AntivirusState::kOn);
  EXPECT_EQ(antivirus.products[0].realtime_protection, true);
  EXPECT_FALSE(antivirus.products[0].signatures_up_to_date.has_value());
}

TEST(WindowsAntivirusProbe, ReportsDefenderWithRealTimeProtectionTurnedOff) {
  WmiObject status = DefenderStatus("Normal");
  status["RealTimeProtectionEnabled"] = false;
  status["OnAccessProtectionEnabled"] = false;
  auto wmi = std::make_unique<testing::FakeWmi>();
  // Security Center then shows Defender as off (0x060100); the engine still runs normally.
  wmi->Answer(kCenter, kCenterQuery, {CenterEntry("Windows Defender", 393472)})
      .Answer(kDefender, kDefenderQuery, {status});
  const facts::Antivirus antivirus = Collect(std::move(wmi));

  ASSERT_EQ(antivirus.products.size(), 1u);
  EXPECT_EQ(antivirus.products[0].state, facts::AntivirusState::kOn);
  EXPECT_EQ(antivirus.products[0].realtime_protection, false);
}

TEST(WindowsAntivirusProbe, CountsOnAccessScanningOffAsNoRealTimeProtection) {
  WmiObject status = DefenderStatus("Normal");
  status["OnAccessProtectionEnabled"] = false;
  auto wmi = std::make_unique<testing::FakeWmi>();
  wmi->Answer(kCenter, kCenterQuery, {}).Answer(kDefender, kDefenderQuery, {status});
  const facts::Antivirus antivirus = Collect(std::move(wmi));

  ASSERT_EQ(antivirus.products.size(), 1u);
  EXPECT_EQ(antivirus.products[0].realtime_protection, false);
}

TEST(WindowsAntivirusProbe, IsUnknownNamingBothErrorsWhenNeitherSourceAnswers) {
  auto wmi = std::make_unique<testing::FakeWmi>();
  wmi->Fail(kCenter, kCenterQuery, std::string(kInvalidNamespace))
      .Fail(
          kDefender, kDefenderQuery,
          R"(ConnectServer(ROOT\Microsoft\Windows\Defender) failed: 0x8004100E (WBEM_E_INVALID_NAMESPACE))");
  const facts::Antivirus antivirus = Collect(std::move(wmi));

  EXPECT_EQ(antivirus.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_THAT(antivirus.meta.status.reason,
              HasSubstr("SecurityCenter2 AntiVirusProduct: ConnectServer(ROOT\\SecurityCenter2)"));
  EXPECT_THAT(
      antivirus.meta.status.reason,
      HasSubstr("MSFT_MpComputerStatus: ConnectServer(ROOT\\Microsoft\\Windows\\Defender)"));
  EXPECT_TRUE(antivirus.products.empty());
  EXPECT_EQ(antivirus.meta.collected_at, kNow);
}

TEST(WindowsAntivirusProbe, KeepsAJapaneseProductNameAndDefenderFromSecurityCenterAlone) {
  auto wmi = std::make_unique<testing::FakeWmi>();
  // Defender's own provider fails (seen with a third-party product installed); Security Center
  // still lists both.
  wmi->Answer(kCenter, kCenterQuery,
              {CenterEntry("ウイルスバスター クラウド", 266240),
               CenterEntry("Windows Defender", 393472)})
      .Fail(
          kDefender, kDefenderQuery,
          R"(ExecQuery(ROOT\Microsoft\Windows\Defender) failed: 0x80041004 (WBEM_E_PROVIDER_FAILURE))");
  const facts::Antivirus antivirus = Collect(std::move(wmi));

  EXPECT_EQ(antivirus.meta.status.state, facts::ProbeState::kOk);
  EXPECT_THAT(antivirus.meta.status.reason, HasSubstr("not read: MSFT_MpComputerStatus: "));
  ASSERT_EQ(antivirus.products.size(), 2u);
  EXPECT_EQ(antivirus.products[0].name, "ウイルスバスター クラウド");
  EXPECT_EQ(antivirus.products[0].state, facts::AntivirusState::kOn);
  EXPECT_EQ(antivirus.products[1].name, "Microsoft Defender Antivirus");
  EXPECT_EQ(antivirus.products[1].source, "SecurityCenter2");
  EXPECT_EQ(antivirus.products[1].state, facts::AntivirusState::kOff);
  EXPECT_EQ(antivirus.products[1].realtime_protection, false);
}

TEST(WindowsAntivirusProbe, ReportsStaleAndExpiredThirdPartyEntriesWithTheirState) {
  auto wmi = std::make_unique<testing::FakeWmi>();
  wmi->Answer(kCenter, kCenterQuery,
              {CenterEntry("Norton 360", 393232),       // uninstalled long ago: off, out of date
               CenterEntry("McAfee LiveSafe", 274432),  // trial ended: expired
               CenterEntry("Avast Free Antivirus", 270336),  // snoozed
               CenterEntry("Windows Defender", 397568)})
      .Answer(kDefender, kDefenderQuery, {DefenderStatus("Normal")});
  const facts::Antivirus antivirus = Collect(std::move(wmi));

  ASSERT_EQ(antivirus.products.size(), 4u);
  EXPECT_EQ(antivirus.products[0].state, facts::AntivirusState::kOff);
  EXPECT_EQ(antivirus.products[0].signatures_up_to_date, false);
  EXPECT_EQ(antivirus.products[1].state, facts::AntivirusState::kExpired);
  EXPECT_EQ(antivirus.products[2].state, facts::AntivirusState::kSnoozed);
  EXPECT_EQ(antivirus.products[2].realtime_protection, false);
  EXPECT_EQ(antivirus.products[3].state, facts::AntivirusState::kOn);
}

TEST(WindowsAntivirusProbe, KeepsAnUndecodableEntryAsUnspecified) {
  auto wmi = std::make_unique<testing::FakeWmi>();
  wmi->Answer(kCenter, kCenterQuery,
              {CenterEntry("Odd AV", 0x054000), {{"displayName", std::monostate()}}})
      .Answer(kDefender, kDefenderQuery, {});
  const facts::Antivirus antivirus = Collect(std::move(wmi));

  EXPECT_EQ(antivirus.meta.status, facts::ProbeStatus::Ok());
  ASSERT_EQ(antivirus.products.size(), 2u);
  EXPECT_EQ(antivirus.products[0].state, facts::AntivirusState::kUnspecified);
  EXPECT_FALSE(antivirus.products[0].realtime_protection.has_value());
  EXPECT_EQ(antivirus.products[1].name, "(Security Center entry without a displayName)");
  EXPECT_EQ(antivirus.products[1].state, facts::AntivirusState::kUnspecified);
}

TEST(WindowsAntivirusProbe, DatesSignaturesByTheirAgeWhenTheTimestampIsMissing) {
  WmiObject status = DefenderStatus("Normal");
  status.erase("AntivirusSignatureLastUpdated");
  status["AntivirusSignatureAge"] = int64_t{9};
  auto wmi = std::make_unique<testing::FakeWmi>();
  wmi->Answer(kCenter, kCenterQuery, {}).Answer(kDefender, kDefenderQuery, {status});
  const facts::Antivirus antivirus = Collect(std::move(wmi));

  ASSERT_EQ(antivirus.products.size(), 1u);
  EXPECT_EQ(antivirus.products[0].signatures_updated_at, kNow - std::chrono::days(9));
}

TEST(WindowsAntivirusProbe, IgnoresTheNeverUpdatedSignatureAgePlaceholder) {
  WmiObject status = DefenderStatus("Not running");
  status.erase("AntivirusSignatureLastUpdated");
  status["AntivirusSignatureAge"] = int64_t{65535};
  status["AntivirusEnabled"] = false;
  auto wmi = std::make_unique<testing::FakeWmi>();
  wmi->Answer(kCenter, kCenterQuery, {}).Answer(kDefender, kDefenderQuery, {status});
  const facts::Antivirus antivirus = Collect(std::move(wmi));

  ASSERT_EQ(antivirus.products.size(), 1u);
  EXPECT_EQ(antivirus.products[0].state, facts::AntivirusState::kOff);
  EXPECT_FALSE(antivirus.products[0].signatures_updated_at.has_value());
}

// Wine has neither Security Center nor Defender: the real path ends in unknown naming both, not
// in a crash or an empty "no antivirus" list.
TEST(WindowsAntivirusProbe, IsUnknownUnderWineThroughTheRealClient) {
  ProbeRegistry probes = MakeHostProbes(testing::FixedTimeEnvironment({}, kNow));
  ASSERT_NE(probes.antivirus, nullptr);
  const facts::Antivirus antivirus = probes.antivirus->Collect();

  EXPECT_EQ(antivirus.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_THAT(antivirus.meta.status.reason,
              HasSubstr(R"(ConnectServer(ROOT\SecurityCenter2) failed: 0x8004100E)"));
  EXPECT_THAT(antivirus.meta.status.reason,
              HasSubstr(R"(ConnectServer(ROOT\Microsoft\Windows\Defender) failed: 0x8004100E)"));
  EXPECT_TRUE(antivirus.products.empty());
}

}  // namespace
}  // namespace mamori::platform
