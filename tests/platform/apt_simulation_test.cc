#include "platform/parse/apt_simulation.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/platform/fixture.h"

namespace mamori::parse {
namespace {

using testing::ReadFixture;

constexpr std::string_view kSummary =
    "1 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n";

std::optional<AptSimulation> Parse(std::string_view inst_lines) {
  return ParseAptSimulation(std::string(kSummary) + std::string(inst_lines));
}

TEST(AptSimulationParser, ReadsAnUpgradeFromADebianSecurityArchive) {
  const auto simulation = Parse(
      "Inst libssl3 [3.0.19-1~deb12u2] (3.0.22-1~deb12u2 Debian-Security:12/oldstable-security "
      "[amd64]) []\n");
  ASSERT_TRUE(simulation.has_value());
  ASSERT_EQ(simulation->updates.size(), 1u);
  const facts::PendingUpdate& update = simulation->updates[0];
  EXPECT_EQ(update.name, "libssl3");
  EXPECT_EQ(update.current_version, "3.0.19-1~deb12u2");
  EXPECT_EQ(update.candidate_version, "3.0.22-1~deb12u2");
  EXPECT_EQ(update.source, "Debian-Security:12/oldstable-security");
  EXPECT_TRUE(update.security);
}

TEST(AptSimulationParser, MarksSecurityWhenAnyOfSeveralArchivesIsASecuritySuite) {
  const auto simulation = Parse(
      "Inst openssl [3.0.13-0ubuntu3.4] (3.0.13-0ubuntu3.5 Ubuntu:24.04/noble-updates, "
      "Ubuntu:24.04/noble-security [amd64])\n");
  ASSERT_TRUE(simulation.has_value());
  ASSERT_EQ(simulation->updates.size(), 1u);
  EXPECT_TRUE(simulation->updates[0].security);
  EXPECT_EQ(simulation->updates[0].source, "Ubuntu:24.04/noble-security");
}

TEST(AptSimulationParser, ReadsAnUbuntu2204SecurityUpdate) {
  const auto simulation = Parse(
      "Inst libssl3 [3.0.2-0ubuntu1.15] (3.0.2-0ubuntu1.18 Ubuntu:22.04/jammy-security [amd64])\n");
  ASSERT_TRUE(simulation.has_value());
  ASSERT_EQ(simulation->updates.size(), 1u);
  EXPECT_TRUE(simulation->updates[0].security);
}

TEST(AptSimulationParser, RecognisesTheOldDebianSecurityLabelWithAPlainSuite) {
  const auto simulation =
      Parse("Inst libc6 [2.28-10] (2.28-10+deb10u2 Debian-Security:10/oldoldstable [amd64])\n");
  ASSERT_TRUE(simulation.has_value());
  EXPECT_TRUE(simulation->updates.at(0).security);
}

TEST(AptSimulationParser, TreatsAnUpdatesSuiteAsNotSecurity) {
  const auto simulation =
      Parse("Inst tzdata [2024a-0] (2024b-0 Ubuntu:22.04/jammy-updates [all])\n");
  ASSERT_TRUE(simulation.has_value());
  ASSERT_EQ(simulation->updates.size(), 1u);
  EXPECT_FALSE(simulation->updates[0].security);
  EXPECT_EQ(simulation->updates[0].source, "Ubuntu:22.04/jammy-updates");
}

TEST(AptSimulationParser, DoesNotTakeAPackageNamedSecurityForASecurityUpdate) {
  const auto simulation = Parse("Inst foo-security [1] (2 Debian:12.15/oldstable [amd64])\n");
  ASSERT_TRUE(simulation.has_value());
  EXPECT_FALSE(simulation->updates.at(0).security);
}

TEST(AptSimulationParser, ReadsANewlyInstalledPackageWithoutACurrentVersion) {
  const auto simulation = Parse(
      "Inst linux-image-6.8.0-63-generic (6.8.0-63.66 Ubuntu:24.04/noble-security [amd64])\n");
  ASSERT_TRUE(simulation.has_value());
  ASSERT_EQ(simulation->updates.size(), 1u);
  EXPECT_EQ(simulation->updates[0].current_version, "");
  EXPECT_EQ(simulation->updates[0].candidate_version, "6.8.0-63.66");
  EXPECT_TRUE(simulation->updates[0].security);
}

TEST(AptSimulationParser, KeepsALabelWithASpace) {
  const auto simulation =
      Parse("Inst containerd.io [1.7.22-1] (1.7.24-1 Docker CE:noble [amd64])\n");
  ASSERT_TRUE(simulation.has_value());
  EXPECT_EQ(simulation->updates.at(0).source, "Docker CE:noble");
  EXPECT_FALSE(simulation->updates.at(0).security);
}

TEST(AptSimulationParser, IgnoresConfAndRemvLinesAndBrokenDependencyNotes) {
  const auto simulation = Parse(
      "Inst e2fsprogs [1.47.0-2] (1.47.0-2+b2 Debian:12.15/oldstable [amd64]) "
      "[e2fsprogs:amd64 on libext2fs2:amd64] [e2fsprogs:amd64 ]\n"
      "Conf e2fsprogs (1.47.0-2+b2 Debian:12.15/oldstable [amd64])\n"
      "Remv oldpkg [1.0]\n");
  ASSERT_TRUE(simulation.has_value());
  ASSERT_EQ(simulation->updates.size(), 1u);
  EXPECT_EQ(simulation->updates[0].candidate_version, "1.47.0-2+b2");
}

TEST(AptSimulationParser, SkipsMalformedInstLines) {
  const auto simulation = Parse(
      "Inst\nInst \nInst onlyname\nInst x [1 (2 a)\nInst y [1] 2 a\nInst z [] (2 a [all])\n"
      "Inst e [1] ()\n"
      "Inst ok [1] (2 Debian:12/stable [all])\n");
  ASSERT_TRUE(simulation.has_value());
  ASSERT_EQ(simulation->updates.size(), 1u);
  EXPECT_EQ(simulation->updates[0].name, "ok");
}

TEST(AptSimulationParser, ReadsAnUpToDateHostAsNoUpdates) {
  const auto simulation = ParseAptSimulation(ReadFixture("apt/debian12-up-to-date.txt"));
  ASSERT_TRUE(simulation.has_value());
  EXPECT_TRUE(simulation->updates.empty());
  EXPECT_FALSE(simulation->truncated);
}

TEST(AptSimulationParser, RefusesOutputWithoutTheSummaryLine) {
  EXPECT_FALSE(ParseAptSimulation("").has_value());
  EXPECT_FALSE(
      ParseAptSimulation("E: Could not open lock file /var/lib/dpkg/lock-frontend\n").has_value());
  EXPECT_FALSE(ParseAptSimulation("Inst a [1] (2 Debian:12/stable [all])\n").has_value());
  EXPECT_FALSE(ParseAptSimulation(std::string("\0\xff\xfe garbage", 12)).has_value());
}

TEST(AptSimulationParser, RefusesTextLargerThanAnyRealSimulation) {
  std::string huge(kMaxAptSimulationBytes + 1, 'x');
  huge.replace(0, kSummary.size(), kSummary);
  EXPECT_FALSE(ParseAptSimulation(huge).has_value());
}

TEST(AptSimulationParser, StopsListingAtTheCapAndSaysSo) {
  std::string text(kSummary);
  for (std::size_t i = 0; i < kMaxPendingUpdates + 5; ++i) {
    text += "Inst p" + std::to_string(i) + " [1] (2 Debian:12/stable [all])\n";
  }
  const auto simulation = ParseAptSimulation(text);
  ASSERT_TRUE(simulation.has_value());
  EXPECT_EQ(simulation->updates.size(), kMaxPendingUpdates);
  EXPECT_TRUE(simulation->truncated);
}

TEST(AptSimulationParser, ReadsTheRecordedDebian12Simulation) {
  const auto simulation = ParseAptSimulation(ReadFixture("apt/debian12-dist-upgrade.txt"));
  ASSERT_TRUE(simulation.has_value());
  EXPECT_EQ(simulation->updates.size(), 135u);
  std::size_t security = 0;
  for (const auto& update : simulation->updates) {
    security += update.security ? 1 : 0;
    EXPECT_FALSE(update.candidate_version.empty()) << update.name;
    EXPECT_FALSE(update.source.empty()) << update.name;
  }
  EXPECT_EQ(security, 82u);
}

TEST(AptSimulationParser, ReadsTheUbuntu2204Simulation) {
  const auto simulation = ParseAptSimulation(ReadFixture("apt/ubuntu2204-dist-upgrade.txt"));
  ASSERT_TRUE(simulation.has_value());
  ASSERT_EQ(simulation->updates.size(), 13u);
  std::size_t security = 0;
  for (const auto& update : simulation->updates) {
    security += update.security ? 1 : 0;
  }
  EXPECT_EQ(security, 9u);  // all but tzdata and the three vim packages
}

TEST(AptSimulationParser, ReadsTheUbuntu2404SimulationIncludingEsmAndThirdParty) {
  const auto simulation = ParseAptSimulation(ReadFixture("apt/ubuntu2404-dist-upgrade.txt"));
  ASSERT_TRUE(simulation.has_value());
  ASSERT_EQ(simulation->updates.size(), 6u);
  EXPECT_FALSE(simulation->updates[0].security);  // containerd.io from Docker
  EXPECT_TRUE(simulation->updates[5].security);   // python3-jinja2 from ESM Apps
  EXPECT_EQ(simulation->updates[5].source, "UbuntuESMApps:24.04/noble-apps-security");
}

}  // namespace
}  // namespace mamori::parse
