// The real Event Log sink. Wine's ReportEventW only traces, so this checks that the calls succeed
// and that severities map to the right event types and message IDs; the events themselves are
// seen on Windows (Event Viewer, Application log, source mamori-agent).
#include "agent/windows/win32_event_log.h"

#include <gtest/gtest.h>

namespace mamori::agent::windows {
namespace {

TEST(Win32EventLog, OpensTheSourceAndWritesEverySeverity) {
  Win32EventLog::Opened opened = Win32EventLog::Open("mamori-agent-test");
  ASSERT_NE(opened.log, nullptr) << opened.error;
  EXPECT_TRUE(opened.log->TryWrite(EventSeverity::kInformation, "情報: 収集を開始しました"));
  EXPECT_TRUE(opened.log->TryWrite(EventSeverity::kWarning, "warning"));
  EXPECT_TRUE(opened.log->TryWrite(EventSeverity::kError, std::string(100'000, 'x')));
}

TEST(Win32EventLog, MapsSeveritiesToEventTypes) {
  EXPECT_EQ(EventTypeFor(EventSeverity::kInformation), EVENTLOG_INFORMATION_TYPE);
  EXPECT_EQ(EventTypeFor(EventSeverity::kWarning), EVENTLOG_WARNING_TYPE);
  EXPECT_EQ(EventTypeFor(EventSeverity::kError), EVENTLOG_ERROR_TYPE);
}

TEST(Win32EventLog, GivesEachSeverityItsOwnMessageIdWithMatchingSeverityBits) {
  // Event Viewer shows the low 16 bits as the event ID; the top two bits are the severity.
  EXPECT_EQ(EventIdFor(EventSeverity::kInformation), 0x40000001u);
  EXPECT_EQ(EventIdFor(EventSeverity::kWarning), 0x80000002u);
  EXPECT_EQ(EventIdFor(EventSeverity::kError), 0xC0000003u);
}

}  // namespace
}  // namespace mamori::agent::windows
