#include "platform/linux/patch_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <memory>
#include <string>

#include "platform/linux/package_update_source.h"
#include "tests/platform/fixture.h"
#include "tests/platform/scratch_root.h"

namespace mamori::platform {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

// Returns a recorded simulation and counts how often it was asked.
class RecordedUpdates final : public PackageUpdateSource {
 public:
  RecordedUpdates(SimulationOutput output, int* calls)
      : output_(std::move(output)), calls_(calls) {}
  SimulationOutput Simulate() override {
    ++*calls_;
    return output_;
  }

 private:
  SimulationOutput output_;
  int* calls_;
};

struct Clock {
  facts::Timestamp now{std::chrono::seconds(1795600000)};  // 2026-11-25
};

ProbeEnvironment Host(const std::filesystem::path& root, Clock* clock) {
  ProbeEnvironment env;
  env.root = root;
  env.now = [clock] { return clock->now; };
  return env;
}

std::unique_ptr<PackageUpdateSource> Recorded(std::string_view fixture, int* calls) {
  return std::make_unique<RecordedUpdates>(SimulationOutput{testing::ReadFixture(fixture), {}},
                                           calls);
}

TEST(LinuxPatchProbe, ReportsPendingSecurityUpdatesFromTheSimulation) {
  Clock clock;
  int calls = 0;
  LinuxPatchProbe probe(Host(testing::FixturePath("linux-apt-pending"), &clock),
                        Recorded("apt/debian12-dist-upgrade.txt", &calls));
  const facts::PatchState patch = probe.Collect();
  EXPECT_EQ(patch.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(patch.meta.collected_at, clock.now);
  EXPECT_EQ(patch.pending.size(), 135u);
  EXPECT_EQ(std::count_if(patch.pending.begin(), patch.pending.end(),
                          [](const auto& update) { return update.security; }),
            82);
  EXPECT_EQ(patch.reboot_required, true);
  EXPECT_TRUE(patch.os_support_ends.empty());
}

TEST(LinuxPatchProbe, TakesTheLastUpgradeNotTheLastInstallAsLastUpdateInstalled) {
  Clock clock;
  int calls = 0;
  LinuxPatchProbe probe(Host(testing::FixturePath("linux-apt-pending"), &clock),
                        Recorded("apt/debian12-up-to-date.txt", &calls));
  const facts::PatchState patch = probe.Collect();
  // Fixture trees have no known time zone: history.log times are read as UTC.
  EXPECT_EQ(patch.last_update_installed,
            std::chrono::sys_days(std::chrono::year(2026) / std::chrono::November / 10) + 3h +
                12min + 40s);
}

TEST(LinuxPatchProbe, ReportsAnUpToDateHostWithoutRebootAsOk) {
  Clock clock;
  int calls = 0;
  LinuxPatchProbe probe(Host(testing::FixturePath("linux-apt-current"), &clock),
                        Recorded("apt/debian12-up-to-date.txt", &calls));
  const facts::PatchState patch = probe.Collect();
  EXPECT_EQ(patch.meta.status, facts::ProbeStatus::Ok());
  EXPECT_TRUE(patch.pending.empty());
  EXPECT_EQ(patch.reboot_required, false);
  EXPECT_EQ(patch.last_update_installed,
            std::chrono::sys_days(std::chrono::year(2026) / std::chrono::November / 24) + 3h + 20s);
  EXPECT_FALSE(patch.last_update_check.has_value());  // no APT::Periodic stamp in the tree
}

TEST(LinuxPatchProbe, RunsTheSimulationAtMostHourlyAndReusesTheLastResult) {
  Clock clock;
  int calls = 0;
  LinuxPatchProbe probe(Host(testing::FixturePath("linux-apt-pending"), &clock),
                        Recorded("apt/ubuntu2204-dist-upgrade.txt", &calls));
  EXPECT_EQ(probe.Collect().pending.size(), 13u);
  clock.now += 59min;
  EXPECT_EQ(probe.Collect().pending.size(), 13u);
  EXPECT_EQ(calls, 1);
  clock.now += 1min;
  EXPECT_EQ(probe.Collect().pending.size(), 13u);
  EXPECT_EQ(calls, 2);
}

TEST(LinuxPatchProbe, RunsTheSimulationAgainWhenTheClockWentBackwards) {
  Clock clock;
  int calls = 0;
  LinuxPatchProbe probe(Host(testing::FixturePath("linux-apt-pending"), &clock),
                        Recorded("apt/ubuntu2404-dist-upgrade.txt", &calls));
  probe.Collect();
  clock.now -= 10min;
  probe.Collect();
  EXPECT_EQ(calls, 2);
}

TEST(LinuxPatchProbe, ReportsPendingUnknownWhenAptGetFails) {
  Clock clock;
  int calls = 0;
  LinuxPatchProbe probe(
      Host(testing::FixturePath("linux-apt-pending"), &clock),
      std::make_unique<RecordedUpdates>(
          SimulationOutput{"E: dpkg was interrupted\n", "apt-get exited with status 100"}, &calls));
  const facts::PatchState patch = probe.Collect();
  EXPECT_EQ(patch.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_THAT(patch.meta.status.reason, HasSubstr("apt-get exited with status 100"));
  EXPECT_TRUE(patch.pending.empty());
  EXPECT_EQ(patch.reboot_required, true);  // what could be read is still reported
}

TEST(LinuxPatchProbe, ReportsPendingUnknownWhenTheOutputIsNotASimulation) {
  Clock clock;
  int calls = 0;
  LinuxPatchProbe probe(
      Host(testing::FixturePath("linux-apt-pending"), &clock),
      std::make_unique<RecordedUpdates>(SimulationOutput{std::string("\x7f"
                                                                     "ELF\0\0garbage",
                                                                     12),
                                                         {}},
                                        &calls));
  const facts::PatchState patch = probe.Collect();
  EXPECT_EQ(patch.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_THAT(patch.meta.status.reason, HasSubstr("not a simulation"));
}

TEST(LinuxPatchProbe, ReportsPendingUnknownWithoutAnUpdateSource) {
  Clock clock;
  LinuxPatchProbe probe(Host(testing::FixturePath("linux-apt-current"), &clock), nullptr);
  const facts::PatchState patch = probe.Collect();
  EXPECT_EQ(patch.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_THAT(patch.meta.status.reason, HasSubstr("apt-get is run only on the live host"));
}

TEST(LinuxPatchProbe, ReportsUnknownOnAHostWithoutDpkg) {
  Clock clock;
  int calls = 0;
  LinuxPatchProbe probe(Host(testing::FixturePath("linux-debian12"), &clock),
                        Recorded("apt/debian12-up-to-date.txt", &calls));
  const facts::PatchState patch = probe.Collect();
  EXPECT_EQ(patch.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_THAT(patch.meta.status.reason, HasSubstr("not an apt/dpkg system"));
  EXPECT_EQ(calls, 0);
}

TEST(LinuxPatchProbe, ReadsTheLastUpdateCheckFromThePeriodicStamp) {
  testing::ScratchRoot root("mamori-patch");
  root.Write("var/lib/dpkg/status", "");
  root.Write("var/lib/apt/periodic/update-success-stamp", "");
  const timeval times[2] = {{1795500000, 0}, {1795500000, 0}};
  ASSERT_EQ(::utimes((root.path() / "var/lib/apt/periodic/update-success-stamp").c_str(), times),
            0);
  Clock clock;
  int calls = 0;
  LinuxPatchProbe probe(Host(root.path(), &clock), Recorded("apt/debian12-up-to-date.txt", &calls));
  EXPECT_EQ(probe.Collect().last_update_check, facts::Timestamp(std::chrono::seconds(1795500000)));
}

TEST(LinuxPatchProbe, ReadsOnlyTheTailOfAHugeHistoryLog) {
  testing::ScratchRoot root("mamori-patch");
  root.Write("var/lib/dpkg/status", "");
  root.WriteSparse("var/log/apt/history.log", std::uintmax_t{2} * 1024 * 1024 * 1024,
                   "\nStart-Date: 2026-11-20  09:00:00\nUpgrade: a:amd64 (1, 2)\n"
                   "End-Date: 2026-11-20  09:00:30\n");
  Clock clock;
  int calls = 0;
  LinuxPatchProbe probe(Host(root.path(), &clock), Recorded("apt/debian12-up-to-date.txt", &calls));
  EXPECT_EQ(probe.Collect().last_update_installed,
            std::chrono::sys_days(std::chrono::year(2026) / std::chrono::November / 20) + 9h + 30s);
}

TEST(LinuxPatchProbe, ReadsAHistoryLogOfBinaryGarbageAsNoUpdateActivity) {
  testing::ScratchRoot root("mamori-patch");
  root.Write("var/lib/dpkg/status", "");
  std::string garbage(100000, '\0');
  for (std::size_t i = 0; i < garbage.size(); ++i) {
    garbage[i] = static_cast<char>((i * 7919) % 256);
  }
  root.Write("var/log/apt/history.log", garbage);
  Clock clock;
  int calls = 0;
  LinuxPatchProbe probe(Host(root.path(), &clock), Recorded("apt/debian12-up-to-date.txt", &calls));
  const facts::PatchState patch = probe.Collect();
  EXPECT_FALSE(patch.last_update_installed.has_value());
  EXPECT_EQ(patch.meta.status, facts::ProbeStatus::Ok());
}

TEST(AptGetUpdateSource, ReportsAProgramThatCannotBeRun) {
  const auto source = MakeAptGetUpdateSource("/nonexistent/apt-get", 5s);
  const SimulationOutput output = source->Simulate();
  EXPECT_FALSE(output.ok());
  EXPECT_THAT(output.error, HasSubstr("cannot run /nonexistent/apt-get"));
}

TEST(AptGetUpdateSource, KillsAProgramThatOutlivesTheTimeout) {
  testing::ScratchRoot root("mamori-apt");
  root.Write("slow-apt-get", "#!/bin/sh\necho started\nexec sleep 30\n");
  std::filesystem::permissions(root.path() / "slow-apt-get", std::filesystem::perms::owner_all);
  const auto started = std::chrono::steady_clock::now();
  const SimulationOutput output =
      MakeAptGetUpdateSource(root.path() / "slow-apt-get", 1s)->Simulate();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_THAT(output.error, HasSubstr("did not finish within 1 s"));
}

TEST(AptGetUpdateSource, ReportsTheExitStatusAndAptsErrorLine) {
  testing::ScratchRoot root("mamori-apt");
  root.Write(
      "failing-apt-get",
      "#!/bin/sh\necho 'Reading package lists...'\necho 'E: The package lists are broken' >&2\n"
      "exit 100\n");
  std::filesystem::permissions(root.path() / "failing-apt-get", std::filesystem::perms::owner_all);
  const SimulationOutput output =
      MakeAptGetUpdateSource(root.path() / "failing-apt-get", 10s)->Simulate();
  EXPECT_THAT(output.error, HasSubstr("exited with status 100"));
  EXPECT_THAT(output.error, HasSubstr("E: The package lists are broken"));
}

TEST(AptGetUpdateSource, PassesTheSimulationArgumentsAndACLocale) {
  testing::ScratchRoot root("mamori-apt");
  root.Write("echo-apt-get", "#!/bin/sh\necho \"$@ LC_ALL=$LC_ALL\"\n");
  std::filesystem::permissions(root.path() / "echo-apt-get", std::filesystem::perms::owner_all);
  const SimulationOutput output =
      MakeAptGetUpdateSource(root.path() / "echo-apt-get", 10s)->Simulate();
  EXPECT_TRUE(output.ok()) << output.error;
  EXPECT_EQ(output.text, "-s -o Debug::NoLocking=1 dist-upgrade LC_ALL=C\n");
}

// This build machine: Debian 12 in a container.
TEST(LinuxPatchProbe, ReadsTheRealHostThroughMakeHostProbes) {
  ProbeRegistry probes = MakeHostProbes(ProbeEnvironment{});
  ASSERT_NE(probes.patch, nullptr);
  const facts::PatchState patch = probes.patch->Collect();
  EXPECT_TRUE(patch.reboot_required.has_value());
  if (patch.meta.status.ok()) {
    for (const auto& update : patch.pending) {
      EXPECT_FALSE(update.name.empty());
      EXPECT_FALSE(update.candidate_version.empty());
    }
  } else {
    EXPECT_FALSE(patch.meta.status.reason.empty());
  }
}

}  // namespace
}  // namespace mamori::platform
