#include "platform/linux/recorded_update_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "platform/parse/apt_simulation.h"
#include "tests/platform/fixture.h"
#include "tests/platform/scratch_root.h"

namespace mamori::platform {
namespace {

using ::testing::HasSubstr;

TEST(RecordedUpdateSource, ServesTheRecordedSimulationOfTheRoot) {
  const auto source = MakeRecordedUpdateSource(testing::FixturePath("linux-weak"));
  const SimulationOutput output = source->Simulate();
  ASSERT_TRUE(output.ok()) << output.error;
  const auto simulation = parse::ParseAptSimulation(output.text);
  ASSERT_TRUE(simulation.has_value());
  EXPECT_FALSE(simulation->updates.empty());
}

TEST(RecordedUpdateSource, ReadsTheFileAgainOnEachSimulation) {
  testing::ScratchRoot root("mamori-recorded");
  root.Write(std::string(kRecordedSimulationPath), "first\n");
  const auto source = MakeRecordedUpdateSource(root.path());
  EXPECT_EQ(source->Simulate().text, "first\n");
  root.Write(std::string(kRecordedSimulationPath), "second\n");
  EXPECT_EQ(source->Simulate().text, "second\n");
}

TEST(RecordedUpdateSource, ReportsAMissingRecordingAsAnErrorNotAnEmptySimulation) {
  testing::ScratchRoot root("mamori-recorded");
  const SimulationOutput output = MakeRecordedUpdateSource(root.path())->Simulate();
  EXPECT_FALSE(output.ok());
  EXPECT_THAT(output.error, HasSubstr("apt-get-simulate.txt"));
  EXPECT_TRUE(output.text.empty());
}

TEST(RecordedUpdateSource, RefusesARecordingLargerThanALiveRunMayPrint) {
  testing::ScratchRoot root("mamori-recorded");
  root.WriteSparse(std::string(kRecordedSimulationPath), kMaxSimulationOutputBytes + 1,
                   "0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n");
  const SimulationOutput output = MakeRecordedUpdateSource(root.path())->Simulate();
  EXPECT_FALSE(output.ok());
  EXPECT_TRUE(output.text.empty());
}

TEST(RecordedUpdateSource, RefusesAFifoInsteadOfBlockingOnIt) {
  testing::ScratchRoot root("mamori-recorded");
  root.Write("var/cache/mamori/.keep", "");
  ASSERT_EQ(::mkfifo((root.path() / kRecordedSimulationPath).c_str(), 0600), 0);
  EXPECT_FALSE(MakeRecordedUpdateSource(root.path())->Simulate().ok());
}

}  // namespace
}  // namespace mamori::platform
