// The service's registration as pure data: the recovery policy and the command line.
#include "agent/windows/service_definition.h"

#include <gtest/gtest.h>

namespace mamori::agent::windows {
namespace {

using std::chrono::seconds;

TEST(DesiredFailureActions, RestartsAfterOneOneThenFiveMinutesAndForgetsAfterADay) {
  const FailureActions actions = DesiredFailureActions();
  EXPECT_EQ(actions.restart_delays, (std::vector<seconds>{seconds(60), seconds(60), seconds(300)}));
  EXPECT_EQ(actions.reset_period, seconds(86'400));
  EXPECT_TRUE(actions.on_non_crash_failures)
      << "the agent reports fatal errors as STOPPED with an exit code, not by crashing";
}

TEST(ServiceCommandLine, QuotesTheExecutableAndRunsTheServiceSubcommand) {
  EXPECT_EQ(ServiceCommandLine(R"(C:\Program Files\mamori\mamori-agent.exe)"),
            R"("C:\Program Files\mamori\mamori-agent.exe" service run)");
}

TEST(ServiceDefinition, NamesTheServiceAndItsEventSourceAlike) {
  EXPECT_STREQ(kServiceName, "mamori-agent");
}

}  // namespace
}  // namespace mamori::agent::windows
