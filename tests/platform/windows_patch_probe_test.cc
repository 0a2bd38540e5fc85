// Runs on the mingw-w64 build under Wine: the probe against fakes of the registry, WMI and the
// Windows Update Agent, then the real agent and registry as Wine provides them.
#include "platform/windows/patch_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "platform/windows/win32_registry_reader.h"
#include "platform/windows/win32_windows_update_agent.h"
#include "tests/platform/fake_registry.h"
#include "tests/platform/fake_windows_update_agent.h"
#include "tests/platform/fake_wmi.h"

namespace mamori::platform {
namespace {

using ::testing::AnyOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;
using namespace std::chrono_literals;

constexpr std::string_view kPackages =
    R"(SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\Packages)";
constexpr std::string_view kQuickFixQuery =
    "SELECT HotFixID, Description, InstalledOn FROM Win32_QuickFixEngineering";
constexpr std::string_view kJapaneseCumulativeUpdate =
    "2024-10 x64 ベース システム用 Windows 11 Version 23H2 の累積更新プログラム (KB5044285)";
constexpr std::string_view kSecurityUpdates = "0FA1201D-4330-4FA8-8AE9-B877473B6441";
constexpr std::string_view kDefinitionUpdates = "E0789628-CE08-4437-BE74-2495B842F43B";

facts::Timestamp At(std::chrono::sys_days day, std::chrono::seconds time = 0s) {
  return facts::Timestamp(day) + time;
}
constexpr std::chrono::sys_days Day(int y, unsigned m, unsigned d) {
  return std::chrono::sys_days(std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d});
}

struct Clock {
  facts::Timestamp now = At(Day(2024, 10, 20), 9h);
};

ProbeEnvironment Host(Clock* clock) {
  ProbeEnvironment env;
  env.now = [clock] { return clock->now; };
  return env;
}

// A Windows 11 23H2 PC that installed October's cumulative update: services on their defaults,
// the servicing store holding September's rollup (superseded) and October's (installed).
std::unique_ptr<testing::FakeRegistry> PatchedWindows11() {
  auto registry = std::make_unique<testing::FakeRegistry>();
  const std::string september =
      std::string(kPackages) + R"(\Package_for_RollupFix~31bf3856ad364e35~amd64~~22631.4169.1.11)";
  const std::string october =
      std::string(kPackages) + R"(\Package_for_RollupFix~31bf3856ad364e35~amd64~~22631.4317.1.8)";
  // 0x01DB1ABC_60000000 = 2024-10-10 02:30 UTC.
  registry->SetDword(R"(SYSTEM\CurrentControlSet\Services\wuauserv)", "Start", 3)
      .SetDword(R"(SYSTEM\CurrentControlSet\Services\UsoSvc)", "Start", 2)
      .SetDword(september, "CurrentState", 0x50)
      .SetDword(october, "CurrentState", 0x70)
      .SetString(october, "InstallLocation",
                 R"(\\?\C:\Windows\SoftwareDistribution\Download\a1\Windows11.0-KB5044285-x64.cab)")
      .SetDword(october, "InstallTimeHigh", 0x01DB1ABC)
      .SetDword(october, "InstallTimeLow", 0x60000000)
      .AddKey(std::string(kPackages) +
              R"(\Package_for_KB5043080~31bf3856ad364e35~amd64~~22621.4.1)");
  return registry;
}

std::unique_ptr<testing::FakeWmi> QuickFixes() {
  auto wmi = std::make_unique<testing::FakeWmi>();
  wmi->Answer(R"(ROOT\CIMV2)", kQuickFixQuery,
              {{{"HotFixID", std::string("KB5043080")},
                {"Description", std::string("Security Update")},
                {"InstalledOn", std::string("9/11/2024")}},
               {{"HotFixID", std::string("KB5027397")},
                {"Description", std::string("Update")},
                {"InstalledOn", std::string("")}}});
  return wmi;
}

UpdateHistory InstalledOctoberUpdate() {
  return {{{At(Day(2024, 10, 18), 3h), 1, 4, "失敗した更新プログラム (KB5045934)"},
           {At(Day(2024, 10, 10), 5h + 10min), 1, 2, std::string(kJapaneseCumulativeUpdate)},
           {At(Day(2024, 10, 9), 1h), 2, 2, "アンインストール (KB5000000)"}},
          {}};
}

std::unique_ptr<testing::FakeWindowsUpdateAgent> UpToDateAgent() {
  auto agent = std::make_unique<testing::FakeWindowsUpdateAgent>();
  agent->SetHistory(InstalledOctoberUpdate())
      .SetLastAutomaticSearch({At(Day(2024, 10, 20), 2h), {}})
      .SetSearch({{}, false, {}});
  return agent;
}

WindowsPatchProbe Probe(Clock* clock, std::unique_ptr<testing::FakeRegistry> registry,
                        std::unique_ptr<testing::FakeWmi> wmi,
                        std::unique_ptr<testing::FakeWindowsUpdateAgent> agent) {
  return WindowsPatchProbe(Host(clock), std::move(registry), std::move(wmi), std::move(agent));
}

TEST(WindowsPatchProbe, ReportsAFullyPatchedWindows11AsOkWithNothingPending) {
  Clock clock;
  WindowsPatchProbe probe = Probe(&clock, PatchedWindows11(), QuickFixes(), UpToDateAgent());
  const facts::PatchState patch = probe.Collect();
  EXPECT_EQ(patch.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(patch.meta.collected_at, clock.now);
  EXPECT_THAT(patch.pending, IsEmpty());
  EXPECT_EQ(patch.reboot_required, false);
  EXPECT_EQ(patch.update_service_disabled, false);
  EXPECT_EQ(patch.last_update_installed, At(Day(2024, 10, 10), 5h + 10min));
  EXPECT_EQ(patch.last_update_check, At(Day(2024, 10, 20), 2h));
  EXPECT_TRUE(patch.os_support_ends.empty());
}

TEST(WindowsPatchProbe, ListsQuickFixesAndTheNewestInstalledCumulativeUpdate) {
  Clock clock;
  WindowsPatchProbe probe = Probe(&clock, PatchedWindows11(), QuickFixes(), UpToDateAgent());
  const facts::PatchState patch = probe.Collect();
  ASSERT_EQ(patch.installed.size(), 3u);
  EXPECT_EQ(patch.installed[0],
            (facts::InstalledUpdate{"KB5043080", "Security Update", At(Day(2024, 9, 11))}));
  EXPECT_EQ(patch.installed[1], (facts::InstalledUpdate{"KB5027397", "Update", std::nullopt}));
  EXPECT_EQ(patch.installed[2].id, "KB5044285");
  EXPECT_EQ(patch.installed[2].title, "Cumulative update, OS build 22631.4317");
  ASSERT_TRUE(patch.installed[2].installed_at.has_value());
  EXPECT_EQ(std::chrono::floor<std::chrono::days>(*patch.installed[2].installed_at),
            Day(2024, 10, 10));
}

TEST(WindowsPatchProbe, NamesTheRollupByItsPackageWhenNoKbIsRecorded) {
  auto registry = std::make_unique<testing::FakeRegistry>();
  registry->SetDword(R"(SYSTEM\CurrentControlSet\Services\wuauserv)", "Start", 3)
      .SetDword(std::string(kPackages) +
                    R"(\Package_for_RollupFix~31bf3856ad364e35~amd64~~19041.5073.1.10)",
                "CurrentState", 0x80);
  Clock clock;
  WindowsPatchProbe probe = Probe(&clock, std::move(registry), QuickFixes(), UpToDateAgent());
  const facts::PatchState patch = probe.Collect();
  ASSERT_EQ(patch.installed.size(), 3u);
  EXPECT_EQ(patch.installed[2],
            (facts::InstalledUpdate{"Package_for_RollupFix~31bf3856ad364e35~amd64~~19041.5073.1.10",
                                    "Cumulative update, OS build 19041.5073", std::nullopt}));
}

TEST(WindowsPatchProbe, ReportsAPendingSecurityUpdateWithItsJapaneseTitle) {
  auto agent = UpToDateAgent();
  agent->SetSearch(
      {{{std::string(kJapaneseCumulativeUpdate), {"5044285"}, "", {std::string(kSecurityUpdates)}},
        {"Microsoft Defender Antivirus のセキュリティ インテリジェンス更新プログラム - KB2267602 "
         "(バージョン 1.421.23.0)",
         {"2267602"},
         "",
         {std::string(kDefinitionUpdates)}},
        {"", {"5044033"}, "Important", {}}},
       false,
       {}});
  Clock clock;
  WindowsPatchProbe probe = Probe(&clock, PatchedWindows11(), QuickFixes(), std::move(agent));
  const facts::PatchState patch = probe.Collect();
  EXPECT_EQ(patch.meta.status, facts::ProbeStatus::Ok());
  ASSERT_EQ(patch.pending.size(), 3u);
  EXPECT_EQ(patch.pending[0], (facts::PendingUpdate{std::string(kJapaneseCumulativeUpdate), "", "",
                                                    "Windows Update", true}));
  EXPECT_FALSE(patch.pending[1].security);
  EXPECT_THAT(patch.pending[1].name, StartsWith("Microsoft Defender Antivirus のセキュリティ"));
  // An update without a title is named by its KB; a severity rating makes it a security update.
  EXPECT_EQ(patch.pending[2].name, "KB5044033");
  EXPECT_TRUE(patch.pending[2].security);
}

TEST(WindowsPatchProbe, ReportsARebootRequiredByWindowsUpdate) {
  auto registry = PatchedWindows11();
  registry->AddKey(
      R"(SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired)");
  Clock clock;
  WindowsPatchProbe probe = Probe(&clock, std::move(registry), QuickFixes(), UpToDateAgent());
  EXPECT_EQ(probe.Collect().reboot_required, true);
}

TEST(WindowsPatchProbe, ReportsARebootPendingInComponentBasedServicing) {
  auto registry = PatchedWindows11();
  registry->AddKey(
      R"(SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending)");
  Clock clock;
  WindowsPatchProbe probe = Probe(&clock, std::move(registry), QuickFixes(), UpToDateAgent());
  EXPECT_EQ(probe.Collect().reboot_required, true);
}

TEST(WindowsPatchProbe, IgnoresPendingFileRenameOperations) {
  auto registry = PatchedWindows11();
  registry->SetString(R"(SYSTEM\CurrentControlSet\Control\Session Manager)",
                      "PendingFileRenameOperations", R"(\??\C:\Temp\driver.tmp)");
  Clock clock;
  WindowsPatchProbe probe = Probe(&clock, std::move(registry), QuickFixes(), UpToDateAgent());
  EXPECT_EQ(probe.Collect().reboot_required, false);
}

TEST(WindowsPatchProbe, ReportsTheUpdateServiceDisabled) {
  auto registry = PatchedWindows11();
  registry->SetDword(R"(SYSTEM\CurrentControlSet\Services\wuauserv)", "Start", 4);
  Clock clock;
  WindowsPatchProbe probe = Probe(&clock, std::move(registry), QuickFixes(), UpToDateAgent());
  EXPECT_EQ(probe.Collect().update_service_disabled, true);
}

TEST(WindowsPatchProbe, ReportsTheUpdateOrchestratorDisabled) {
  auto registry = PatchedWindows11();
  registry->SetDword(R"(SYSTEM\CurrentControlSet\Services\UsoSvc)", "Start", 4);
  Clock clock;
  WindowsPatchProbe probe = Probe(&clock, std::move(registry), QuickFixes(), UpToDateAgent());
  EXPECT_EQ(probe.Collect().update_service_disabled, true);
}

TEST(WindowsPatchProbe, CountsAutomaticUpdatesDisabledByPolicyAsUpdatesSwitchedOff) {
  auto registry = PatchedWindows11();
  registry->SetDword(R"(SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate\AU)", "NoAutoUpdate", 1);
  Clock clock;
  WindowsPatchProbe probe = Probe(&clock, std::move(registry), QuickFixes(), UpToDateAgent());
  EXPECT_EQ(probe.Collect().update_service_disabled, true);
}

TEST(WindowsPatchProbe, LeavesTheServiceStateUnknownWhenItsKeyIsUnreadable) {
  auto registry = std::make_unique<testing::FakeRegistry>();
  registry->AddKey(std::string(kPackages) +
                   R"(\Package_for_KB5043080~31bf3856ad364e35~amd64~~1.0)");
  Clock clock;
  WindowsPatchProbe probe = Probe(&clock, std::move(registry), QuickFixes(), UpToDateAgent());
  const facts::PatchState patch = probe.Collect();
  EXPECT_EQ(patch.update_service_disabled, std::nullopt);
  EXPECT_EQ(patch.meta.status.state, facts::ProbeState::kOk);
  EXPECT_THAT(patch.meta.status.reason,
              HasSubstr(R"(update service state unknown: cannot read Start under )"
                        R"(HKLM\SYSTEM\CurrentControlSet\Services\wuauserv)"));
}

TEST(WindowsPatchProbe, ReportsUnknownNamingTheApiWhenTheUpdateAgentFails) {
  auto agent = std::make_unique<testing::FakeWindowsUpdateAgent>();
  agent->FailEverything(
      "CoCreateInstance(Microsoft.Update.Session) failed: 0x80040154 (REGDB_E_CLASSNOTREG)");
  Clock clock;
  WindowsPatchProbe probe = Probe(&clock, PatchedWindows11(), QuickFixes(), std::move(agent));
  const facts::PatchState patch = probe.Collect();
  EXPECT_EQ(patch.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_THAT(patch.meta.status.reason,
              StartsWith("pending updates unknown: CoCreateInstance(Microsoft.Update.Session) "
                         "failed: 0x80040154 (REGDB_E_CLASSNOTREG)"));
  EXPECT_THAT(patch.meta.status.reason, HasSubstr("update history unknown: "));
  EXPECT_THAT(patch.meta.status.reason, HasSubstr("last automatic update search unknown: "));
  EXPECT_THAT(patch.pending, IsEmpty());
  // What the registry and WMI tell is still reported.
  EXPECT_EQ(patch.reboot_required, false);
  EXPECT_EQ(patch.update_service_disabled, false);
  EXPECT_EQ(patch.installed.size(), 3u);
  EXPECT_EQ(patch.last_update_check, std::nullopt);
  // Without the history, the newest install date the servicing store recorded stands in.
  ASSERT_TRUE(patch.last_update_installed.has_value());
  EXPECT_EQ(std::chrono::floor<std::chrono::days>(*patch.last_update_installed), Day(2024, 10, 10));
}

TEST(WindowsPatchProbe, StaysOkWithTheGapNamedWhenQuickFixEngineeringFails) {
  auto wmi = std::make_unique<testing::FakeWmi>();
  wmi->Fail(R"(ROOT\CIMV2)", kQuickFixQuery,
            R"(ExecQuery(ROOT\CIMV2) failed: 0x80041010 (WBEM_E_INVALID_CLASS))");
  Clock clock;
  WindowsPatchProbe probe = Probe(&clock, PatchedWindows11(), std::move(wmi), UpToDateAgent());
  const facts::PatchState patch = probe.Collect();
  EXPECT_EQ(patch.meta.status.state, facts::ProbeState::kOk);
  EXPECT_EQ(patch.meta.status.reason,
            "installed updates from Win32_QuickFixEngineering unknown: ExecQuery(ROOT\\CIMV2) "
            "failed: 0x80041010 (WBEM_E_INVALID_CLASS)");
  EXPECT_THAT(patch.installed, ElementsAre(Field(&facts::InstalledUpdate::id, "KB5044285")));
  EXPECT_EQ(patch.last_update_installed, At(Day(2024, 10, 10), 5h + 10min));
}

TEST(WindowsPatchProbe, ReportsPendingUnknownWhenTheSearchTimesOut) {
  auto agent = UpToDateAgent();
  agent->SetSearch(
      {{}, false, "IUpdateSearcher::BeginSearch did not finish within 180 s: aborted"});
  testing::FakeWindowsUpdateAgent* fake = agent.get();
  Clock clock;
  WindowsPatchProbe probe = Probe(&clock, PatchedWindows11(), QuickFixes(), std::move(agent));
  const facts::PatchState patch = probe.Collect();
  EXPECT_EQ(fake->last_timeout(), WindowsPatchProbe::kSearchTimeout);
  EXPECT_EQ(patch.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_EQ(patch.meta.status.reason,
            "pending updates unknown: IUpdateSearcher::BeginSearch did not finish within 180 s: "
            "aborted");
  EXPECT_EQ(patch.last_update_check, At(Day(2024, 10, 20), 2h));
}

TEST(WindowsPatchProbe, RetriesAFailedSearchAfterAnHour) {
  auto agent = UpToDateAgent();
  agent->SetSearch({{}, false, "IUpdateSearcher::EndSearch failed: 0x8024402C"});
  testing::FakeWindowsUpdateAgent* fake = agent.get();
  Clock clock;
  WindowsPatchProbe probe = Probe(&clock, PatchedWindows11(), QuickFixes(), std::move(agent));
  probe.Collect();
  clock.now += 59min;
  EXPECT_EQ(probe.Collect().meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_EQ(fake->searches(), 1);
  fake->SetSearch({{}, false, {}});
  clock.now += 1min;
  EXPECT_EQ(probe.Collect().meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(fake->searches(), 2);
}

TEST(WindowsPatchProbe, ReusesASuccessfulSearchForSixHours) {
  auto agent = UpToDateAgent();
  agent->SetSearch({{{std::string(kJapaneseCumulativeUpdate), {}, "Critical", {}}}, false, {}});
  testing::FakeWindowsUpdateAgent* fake = agent.get();
  Clock clock;
  WindowsPatchProbe probe = Probe(&clock, PatchedWindows11(), QuickFixes(), std::move(agent));
  EXPECT_EQ(probe.Collect().pending.size(), 1u);
  clock.now += 5h + 59min;
  fake->SetSearch({{}, false, {}});
  EXPECT_EQ(probe.Collect().pending.size(), 1u);
  EXPECT_EQ(fake->searches(), 1);
  clock.now += 1min;
  EXPECT_THAT(probe.Collect().pending, IsEmpty());
  EXPECT_EQ(fake->searches(), 2);
}

TEST(WindowsPatchProbe, SearchesAgainWhenTheClockWentBackwards) {
  auto agent = UpToDateAgent();
  testing::FakeWindowsUpdateAgent* fake = agent.get();
  Clock clock;
  WindowsPatchProbe probe = Probe(&clock, PatchedWindows11(), QuickFixes(), std::move(agent));
  probe.Collect();
  clock.now -= 10min;
  probe.Collect();
  EXPECT_EQ(fake->searches(), 2);
}

TEST(WindowsPatchProbe, SaysSoWhenThePendingListWasCut) {
  auto agent = UpToDateAgent();
  agent->SetSearch({{{"a", {}, "Critical", {}}}, true, {}});
  Clock clock;
  WindowsPatchProbe probe = Probe(&clock, PatchedWindows11(), QuickFixes(), std::move(agent));
  const facts::PatchState patch = probe.Collect();
  EXPECT_EQ(patch.meta.status.state, facts::ProbeState::kOk);
  EXPECT_EQ(patch.meta.status.reason, "only the first 500 pending updates are listed");
}

TEST(WindowsPatchProbe, FindsTheNewestRollupBehindThousandsOfOtherServicingPackages) {
  auto registry = PatchedWindows11();
  // More "Microsoft-Windows-..." packages than a listing may return, all sorting before the rollup.
  for (std::size_t i = 0; i < RegistryReader::kMaxSubkeys + 10; ++i) {
    registry->AddKey(std::string(kPackages) + "\\Microsoft-Windows-Feature-" + std::to_string(i));
  }
  Clock clock;
  WindowsPatchProbe probe = Probe(&clock, std::move(registry), QuickFixes(), UpToDateAgent());
  const facts::PatchState patch = probe.Collect();
  EXPECT_EQ(patch.meta.status, facts::ProbeStatus::Ok());
  EXPECT_TRUE(std::any_of(patch.installed.begin(), patch.installed.end(), [](const auto& update) {
    return update.title.starts_with("Cumulative update, OS build");
  }));
}

// Wine ships a partial wuapi.dll: whatever it answers, each call must come back (no crash, no
// hang past the timeout) either with data or with an error naming the call that failed.
TEST(Win32WindowsUpdateAgent, AnswersOrNamesTheFailingCallUnderWine) {
  const std::unique_ptr<WindowsUpdateAgent> agent = MakeWin32WindowsUpdateAgent();
  const UpdateHistory history = agent->History();
  if (!history.ok()) {
    EXPECT_THAT(history.error,
                AnyOf(HasSubstr("CoCreateInstance("), HasSubstr("IUpdateSearcher::"),
                      HasSubstr("IUpdateSession::"), HasSubstr("IUpdateHistoryEntryCollection::")));
  }
  EXPECT_LE(history.entries.size(), WindowsUpdateAgent::kMaxHistoryEntries);
  const AutomaticSearch automatic = agent->LastAutomaticSearch();
  if (!automatic.ok()) {
    EXPECT_THAT(automatic.error,
                AnyOf(HasSubstr("CoCreateInstance("), HasSubstr("IAutomaticUpdates"),
                      HasSubstr("LastSearchSuccessDate")));
  }
  const UpdateSearch search = agent->SearchPending(5s);
  if (!search.ok()) {
    EXPECT_THAT(search.error, AnyOf(HasSubstr("CoCreateInstance("), HasSubstr("IUpdateSearcher::"),
                                    HasSubstr("IUpdateSession::"), HasSubstr("the update search")));
    EXPECT_THAT(search.updates, IsEmpty());
  }
  std::printf("WUA under Wine: history [%s] automatic search [%s] search [%s]\n",
              history.ok() ? "ok" : history.error.c_str(),
              automatic.ok() ? "ok" : automatic.error.c_str(),
              search.ok() ? "ok" : search.error.c_str());
}

TEST(WindowsPatchProbe, ReportsUnknownOrOkWithTheRealAgentAndRegistryUnderWine) {
  Clock clock;
  auto wmi = std::make_unique<testing::FakeWmi>();
  wmi->Answer(R"(ROOT\CIMV2)", kQuickFixQuery, {});
  WindowsPatchProbe probe(Host(&clock), MakeWin32RegistryReader(), std::move(wmi),
                          MakeWin32WindowsUpdateAgent(), 5s);
  const facts::PatchState patch = probe.Collect();
  ASSERT_NE(patch.meta.status.state, facts::ProbeState::kError);
  if (patch.meta.status.state == facts::ProbeState::kUnknown) {
    EXPECT_THAT(patch.meta.status.reason, StartsWith("pending updates unknown: "));
  }
  ASSERT_TRUE(patch.reboot_required.has_value());
  std::printf("patch probe under Wine: %s\n", patch.meta.status.reason.c_str());
}

}  // namespace
}  // namespace mamori::platform
