#include "platform/linux/antivirus_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "platform/linux/process_names.h"
#include "tests/platform/fixture.h"
#include "tests/platform/scratch_root.h"

namespace mamori::platform {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

const facts::Timestamp kNow{std::chrono::seconds(1795600000)};

ProbeEnvironment Host(const std::filesystem::path& root) {
  return testing::FixedTimeEnvironment(root, kNow);
}

std::string CvdHeader(std::string_view fields) {
  std::string header(fields);
  header.resize(512, ' ');
  return header + "payload";
}

TEST(LinuxAntivirusProbe, ReportsClamdWithOnAccessScanningAndSignatureAge) {
  LinuxAntivirusProbe probe(Host(testing::FixturePath("linux-clamav-running")));
  const facts::Antivirus antivirus = probe.Collect();
  EXPECT_EQ(antivirus.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(antivirus.meta.collected_at, kNow);
  ASSERT_EQ(antivirus.products.size(), 1u);
  const facts::AntivirusProduct& clamav = antivirus.products[0];
  EXPECT_EQ(clamav.name, "ClamAV");
  EXPECT_EQ(clamav.source, "process:clamd");
  EXPECT_EQ(clamav.state, facts::AntivirusState::kOn);
  EXPECT_EQ(clamav.realtime_protection, true);
  EXPECT_EQ(
      clamav.signatures_updated_at,
      std::chrono::sys_days(std::chrono::year(2026) / std::chrono::November / 25) + 7h + 13min);
}

TEST(LinuxAntivirusProbe, ReportsClamdWithoutClamonaccAsNoRealtimeProtection) {
  testing::ScratchRoot root("mamori-av");
  root.Write("proc/10/comm", "clamd\n");
  LinuxAntivirusProbe probe(Host(root.path()));
  const facts::Antivirus antivirus = probe.Collect();
  ASSERT_EQ(antivirus.products.size(), 1u);
  EXPECT_EQ(antivirus.products[0].state, facts::AntivirusState::kOn);
  EXPECT_EQ(antivirus.products[0].realtime_protection, false);
  EXPECT_FALSE(antivirus.products[0].signatures_updated_at.has_value());
}

TEST(LinuxAntivirusProbe, ReportsAnInstalledButStoppedClamAvAsOff) {
  testing::ScratchRoot root("mamori-av");
  root.Write("proc/1/comm", "systemd\n");
  root.Write("var/lib/clamav/daily.cvd", CvdHeader("ClamAV-VDB:01 Oct 2026 09-00 +0900:26900:1"));
  LinuxAntivirusProbe probe(Host(root.path()));
  const facts::Antivirus antivirus = probe.Collect();
  EXPECT_EQ(antivirus.meta.status, facts::ProbeStatus::Ok());
  ASSERT_EQ(antivirus.products.size(), 1u);
  EXPECT_EQ(antivirus.products[0].state, facts::AntivirusState::kOff);
  EXPECT_EQ(antivirus.products[0].realtime_protection, false);
  EXPECT_EQ(antivirus.products[0].source, "file:/var/lib/clamav/daily.cvd");
  EXPECT_EQ(antivirus.products[0].signatures_updated_at,
            std::chrono::sys_days(std::chrono::year(2026) / std::chrono::October / 1));
}

TEST(LinuxAntivirusProbe, PrefersTheNewerOfDailyCldAndDailyCvd) {
  testing::ScratchRoot root("mamori-av");
  root.Write("proc/10/comm", "clamd\n");
  root.Write("var/lib/clamav/daily.cvd", CvdHeader("ClamAV-VDB:01 Oct 2026 00-00 +0000:26900:1"));
  root.Write("var/lib/clamav/daily.cld", CvdHeader("ClamAV-VDB:20 Nov 2026 00-00 +0000:27090:1"));
  const facts::Antivirus antivirus = LinuxAntivirusProbe(Host(root.path())).Collect();
  ASSERT_EQ(antivirus.products.size(), 1u);
  EXPECT_EQ(antivirus.products[0].signatures_updated_at,
            std::chrono::sys_days(std::chrono::year(2026) / std::chrono::November / 20));
}

TEST(LinuxAntivirusProbe, StillReportsClamAvWhenTheDatabaseDateIsBogus) {
  testing::ScratchRoot root("mamori-av");
  root.Write("proc/10/comm", "clamd\n");
  root.Write("var/lib/clamav/daily.cld", CvdHeader("ClamAV-VDB:99 Xyz 20266 77-77 +9999:1:1"));
  const facts::Antivirus antivirus = LinuxAntivirusProbe(Host(root.path())).Collect();
  EXPECT_EQ(antivirus.meta.status, facts::ProbeStatus::Ok());
  ASSERT_EQ(antivirus.products.size(), 1u);
  EXPECT_EQ(antivirus.products[0].state, facts::AntivirusState::kOn);
  EXPECT_FALSE(antivirus.products[0].signatures_updated_at.has_value());
}

TEST(LinuxAntivirusProbe, IgnoresADatabaseThatIsNotAClamAvFile) {
  testing::ScratchRoot root("mamori-av");
  root.Write("proc/1/comm", "systemd\n");
  root.Write("var/lib/clamav/daily.cvd", std::string(4096, '\xff'));
  const facts::Antivirus antivirus = LinuxAntivirusProbe(Host(root.path())).Collect();
  EXPECT_EQ(antivirus.meta.status, facts::ProbeStatus::Ok());
  EXPECT_TRUE(antivirus.products.empty());
}

TEST(LinuxAntivirusProbe, ReadsOnlyTheHeaderOfAHugeDatabase) {
  testing::ScratchRoot root("mamori-av");
  root.Write("proc/10/comm", "clamd\n");
  root.WriteSparse("var/lib/clamav/daily.cvd", std::uintmax_t{2} * 1024 * 1024 * 1024, "end");
  const facts::Antivirus antivirus = LinuxAntivirusProbe(Host(root.path())).Collect();
  ASSERT_EQ(antivirus.products.size(), 1u);  // clamd runs; the zero-filled file is no database
  EXPECT_FALSE(antivirus.products[0].signatures_updated_at.has_value());
}

TEST(LinuxAntivirusProbe, RecognisesACommercialAgentByItsProcessName) {
  const facts::Antivirus antivirus =
      LinuxAntivirusProbe(Host(testing::FixturePath("linux-av-commercial"))).Collect();
  EXPECT_EQ(antivirus.meta.status, facts::ProbeStatus::Ok());
  ASSERT_EQ(antivirus.products.size(), 1u);
  EXPECT_EQ(antivirus.products[0].name, "CrowdStrike Falcon");
  EXPECT_EQ(antivirus.products[0].source, "process:falcon-sensor");
  EXPECT_EQ(antivirus.products[0].state, facts::AntivirusState::kOn);
  EXPECT_FALSE(antivirus.products[0].realtime_protection.has_value());
}

TEST(LinuxAntivirusProbe, ReportsNoProductsButOkWhenNothingRuns) {
  const facts::Antivirus antivirus =
      LinuxAntivirusProbe(Host(testing::FixturePath("linux-av-none"))).Collect();
  EXPECT_EQ(antivirus.meta.status, facts::ProbeStatus::Ok());
  EXPECT_TRUE(antivirus.products.empty());
}

TEST(LinuxAntivirusProbe, ReportsUnknownWithoutAProcTable) {
  const facts::Antivirus antivirus =
      LinuxAntivirusProbe(Host(testing::FixturePath("linux-minimal/nonexistent"))).Collect();
  EXPECT_EQ(antivirus.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_THAT(antivirus.meta.status.reason, HasSubstr("cannot list"));
}

TEST(ProcessNames, StopsListingAtTheCapAndSaysSo) {
  testing::ScratchRoot root("mamori-av");
  for (int pid = 1; pid <= 40; ++pid) {
    root.Write("proc/" + std::to_string(pid) + "/comm", "worker\n");
  }
  const ProcessNames names = ListProcessNames(root.path() / "proc", 16);
  EXPECT_TRUE(names.truncated);
  EXPECT_EQ(names.names.size(), 1u);
}

TEST(ProcessNames, ComparesNamesTruncatedAsTheKernelDoes) {
  testing::ScratchRoot root("mamori-av");
  root.Write("proc/5/comm", "sophos_threat_d\n");
  root.Write("proc/self/comm", "clamd\n");
  const ProcessNames names = ListProcessNames(root.path() / "proc");
  EXPECT_TRUE(names.Contains("sophos_threat_detector"));
  EXPECT_FALSE(names.Contains("clamd"));  // "self" is not a process id
}

TEST(LinuxAntivirusProbe, ReadsTheRealHostThroughMakeHostProbes) {
  ProbeRegistry probes = MakeHostProbes(ProbeEnvironment{});
  ASSERT_NE(probes.antivirus, nullptr);
  const facts::Antivirus antivirus = probes.antivirus->Collect();
  // This process's own /proc entry is readable on any Linux host.
  EXPECT_EQ(antivirus.meta.status, facts::ProbeStatus::Ok());
}

}  // namespace
}  // namespace mamori::platform
