// The agent's spdlog messages reach the Event Log sink with their severity (host build: spdlog).
#include "agent/windows/spdlog_event_log_sink.h"

#include <gtest/gtest.h>

#include <memory>

#include "spdlog/logger.h"
#include "tests/agent_windows/recording_event_log.h"

namespace mamori::agent::windows {
namespace {

TEST(EventLogSpdlogSink, WritesInformationWarningsAndErrorsWithTheirSeverity) {
  testing::RecordingEventLog log;
  spdlog::logger logger("mamori-agent", std::make_shared<EventLogSpdlogSink>(log));
  logger.set_level(spdlog::level::trace);
  logger.trace("trace {}", 1);
  logger.debug("debug {}", 2);
  logger.info("enrolled as agent {}", "a-1");
  logger.warn("certificate renewal failed: {}", "UNAVAILABLE");
  logger.error("delivery failed: {}", "DEADLINE_EXCEEDED");
  logger.critical("critical");
  const auto events = log.events();
  ASSERT_EQ(events.size(), 4u) << "debug and trace stay out of the Event Log";
  EXPECT_EQ(events[0],
            std::make_pair(EventSeverity::kInformation, std::string("enrolled as agent a-1")));
  EXPECT_EQ(events[1], std::make_pair(EventSeverity::kWarning,
                                      std::string("certificate renewal failed: UNAVAILABLE")));
  EXPECT_EQ(events[2], std::make_pair(EventSeverity::kError,
                                      std::string("delivery failed: DEADLINE_EXCEEDED")));
  EXPECT_EQ(events[3].first, EventSeverity::kError);
}

}  // namespace
}  // namespace mamori::agent::windows
