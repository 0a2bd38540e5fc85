#include "platform/parse/login_records.h"

#include <gtest/gtest.h>

namespace mamori::parse {
namespace {

const facts::Timestamp kLogin{std::chrono::seconds(1749990000)};

TEST(ParseUtmpRecords, DecodesWhatTheEncoderWrote) {
  const UtmpEntry entry{kUtmpUserProcess, 4321, "pts/0", "doctor", "192.0.2.7", kLogin};
  const auto entries = ParseUtmpRecords(EncodeUtmpRecordForTest(entry) + "partial record");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0], entry);
}

TEST(ParseUtmpRecords, ReadsFieldsThatFillTheirWholeArray) {
  const std::string user(40, 'u');
  const auto entries =
      ParseUtmpRecords(EncodeUtmpRecordForTest({kUtmpUserProcess, 1, "tty1", user, "", {}}));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].user, std::string(32, 'u'));
  EXPECT_EQ(entries[0].time, std::nullopt);
}

TEST(ParseUtmpRecords, StopsAtTheRecordLimit) {
  std::string bytes;
  for (int i = 0; i < 10; ++i) {
    bytes += EncodeUtmpRecordForTest({kUtmpUserProcess, i, "tty1", "a", "", kLogin});
  }
  EXPECT_EQ(ParseUtmpRecords(bytes, 4).size(), 4u);
}

TEST(ParseLastlogRecord, ReadsTheLoginTime) {
  EXPECT_EQ(ParseLastlogRecord(EncodeLastlogRecordForTest(kLogin, "pts/1", "192.0.2.9")), kLogin);
}

TEST(ParseLastlogRecord, NeverAndShortRecordsAreUnknown) {
  EXPECT_EQ(ParseLastlogRecord(EncodeLastlogRecordForTest(std::nullopt, "", "")), std::nullopt);
  EXPECT_EQ(ParseLastlogRecord("abc"), std::nullopt);
}

}  // namespace
}  // namespace mamori::parse
