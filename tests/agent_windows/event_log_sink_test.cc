// Event messages are bounded and valid UTF-8 before a sink converts them.
#include "agent/windows/event_log_sink.h"

#include <gtest/gtest.h>

namespace mamori::agent::windows {
namespace {

TEST(BoundedEventMessage, KeepsAShortMessageAsItIs) {
  EXPECT_EQ(BoundedEventMessage("収集を開始しました: server-pc:7443"),
            "収集を開始しました: server-pc:7443");
  const std::string exactly(EventLogSink::kMaxMessageBytes, 'a');
  EXPECT_EQ(BoundedEventMessage(exactly), exactly);
}

TEST(BoundedEventMessage, CutsALongMessageAtACharacterBoundaryAndSaysSo) {
  std::string long_text;
  while (long_text.size() <= EventLogSink::kMaxMessageBytes) {
    long_text += "あ";  // three bytes: the limit falls inside one
  }
  const std::string bounded = BoundedEventMessage(long_text);
  EXPECT_LE(bounded.size(), EventLogSink::kMaxMessageBytes);
  ASSERT_TRUE(bounded.ends_with(" [...]"));
  const std::string kept = bounded.substr(0, bounded.size() - 6);
  EXPECT_EQ(kept.size() % 3, 0u);
  EXPECT_EQ(kept, long_text.substr(0, kept.size()));
}

TEST(BoundedEventMessage, ReplacesInvalidUtf8) {
  EXPECT_EQ(BoundedEventMessage("bad \xff\xfe byte"), "bad ?? byte");
  EXPECT_EQ(BoundedEventMessage("cut \xe3\x81"), "cut ??");
}

}  // namespace
}  // namespace mamori::agent::windows
