// The spool's byte layout and recovery scan: pure functions over bytes.
#include "platform/spool/spool_format.h"

#include <gtest/gtest.h>

#include <string>

namespace mamori::platform::spool {
namespace {

std::string SegmentOf(std::initializer_list<std::string> records) {
  std::string bytes = EncodeSegmentHeader();
  for (const std::string& record : records) {
    bytes += record;
  }
  return bytes;
}

TEST(Crc32c, MatchesTheCastagnoliCheckValue) {
  EXPECT_EQ(Crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(Crc32c(""), 0u);
  EXPECT_EQ(Crc32c("56789", Crc32c("1234")), 0xE3069283u);
}

TEST(SpoolFormat, LaysOutARecordAsDocumented) {
  const std::string record = EncodeRecord(0x0102030405060708u, RecordKind::kHeartbeat, "abc");
  ASSERT_EQ(record.size(), kRecordHeaderBytes + 3);
  EXPECT_EQ(record.substr(0, 4), std::string("\x03\x00\x00\x00", 4));
  EXPECT_EQ(record[4], '\x02');
  EXPECT_EQ(record.substr(5, 3), std::string(3, '\0'));
  EXPECT_EQ(record.substr(8, 8), std::string("\x08\x07\x06\x05\x04\x03\x02\x01", 8));
  EXPECT_EQ(record.substr(20), "abc");
  EXPECT_EQ(EncodeSegmentHeader().substr(0, 8), "MAMORISG");
}

TEST(SpoolFormat, ScanReadsEveryRecordOfAnIntactSegment) {
  const std::string bytes = SegmentOf({EncodeRecord(5, RecordKind::kSnapshot, "first"),
                                       EncodeRecord(9, RecordKind::kHeartbeat, ""),
                                       EncodeRecord(10, RecordKind::kSnapshot, "third")});
  const SegmentScan scan = ScanSegment(bytes, 4);
  EXPECT_EQ(scan.damage, SegmentDamage::kNone);
  EXPECT_EQ(scan.good_bytes, bytes.size());
  ASSERT_EQ(scan.records.size(), 3u);
  EXPECT_EQ(scan.records[0].id, 5u);
  EXPECT_EQ(scan.records[0].offset, kSegmentHeaderBytes);
  EXPECT_EQ(scan.records[0].payload_size, 5u);
  EXPECT_EQ(scan.records[1].kind, RecordKind::kHeartbeat);
  EXPECT_EQ(scan.records[1].payload_size, 0u);
  EXPECT_EQ(scan.records[2].id, 10u);
}

TEST(SpoolFormat, ScanStopsAtATornLastRecordAtEveryByteOffset) {
  const std::string good = SegmentOf({EncodeRecord(1, RecordKind::kSnapshot, "kept")});
  const std::string last = EncodeRecord(2, RecordKind::kHeartbeat, "torn payload");
  for (std::size_t cut = 1; cut < last.size(); ++cut) {
    const SegmentScan scan = ScanSegment(good + last.substr(0, cut), 0);
    ASSERT_EQ(scan.records.size(), 1u) << "cut after " << cut << " bytes";
    EXPECT_EQ(scan.good_bytes, good.size());
    EXPECT_EQ(scan.damage, cut < kRecordHeaderBytes ? SegmentDamage::kShortRecordHeader
                                                    : SegmentDamage::kShortPayload);
  }
}

TEST(SpoolFormat, ScanStopsAtAFlippedPayloadByte) {
  std::string bytes = SegmentOf({EncodeRecord(1, RecordKind::kSnapshot, "kept"),
                                 EncodeRecord(2, RecordKind::kSnapshot, "payload")});
  bytes[bytes.size() - 3] ^= 0x10;
  const SegmentScan scan = ScanSegment(bytes, 0);
  EXPECT_EQ(scan.damage, SegmentDamage::kChecksumMismatch);
  EXPECT_EQ(scan.records.size(), 1u);
}

TEST(SpoolFormat, ScanRejectsAnAbsurdLength) {
  std::string bytes = SegmentOf({EncodeRecord(1, RecordKind::kSnapshot, "x")});
  bytes[kSegmentHeaderBytes + 3] = '\x7f';
  const SegmentScan scan = ScanSegment(bytes, 0);
  EXPECT_EQ(scan.damage, SegmentDamage::kAbsurdLength);
  EXPECT_EQ(scan.good_bytes, kSegmentHeaderBytes);
  EXPECT_TRUE(scan.records.empty());
}

TEST(SpoolFormat, ScanRejectsAnUnknownKindEvenWithAMatchingChecksum) {
  std::string record = EncodeRecord(1, RecordKind::kSnapshot, "x");
  record[4] = '\x07';
  // Recompute the CRC as a writer of another format would have: only the kind check catches it.
  const std::uint32_t crc = Crc32c(record.substr(20), Crc32c(record.substr(0, 16)));
  for (int i = 0; i < 4; ++i) {
    record[static_cast<std::size_t>(16 + i)] = static_cast<char>((crc >> (8 * i)) & 0xFFu);
  }
  EXPECT_EQ(ScanSegment(SegmentOf({record}), 0).damage, SegmentDamage::kBadKind);
}

TEST(SpoolFormat, ScanRejectsIdsThatDoNotIncrease) {
  EXPECT_EQ(ScanSegment(SegmentOf({EncodeRecord(3, RecordKind::kSnapshot, "a"),
                                   EncodeRecord(3, RecordKind::kSnapshot, "b")}),
                        0)
                .damage,
            SegmentDamage::kIdNotIncreasing);
  // Nor may a segment start at or below the previous segment's last id.
  const SegmentScan scan = ScanSegment(SegmentOf({EncodeRecord(7, RecordKind::kSnapshot, "a")}), 7);
  EXPECT_EQ(scan.damage, SegmentDamage::kIdNotIncreasing);
  EXPECT_EQ(scan.good_bytes, kSegmentHeaderBytes);
}

TEST(SpoolFormat, ScanKeepsNothingOfABadOrShortSegmentHeader) {
  std::string bytes = SegmentOf({EncodeRecord(1, RecordKind::kSnapshot, "a")});
  EXPECT_EQ(ScanSegment(bytes.substr(0, kSegmentHeaderBytes - 1), 0).damage,
            SegmentDamage::kShortSegmentHeader);
  bytes[9] = '\x09';  // the version
  const SegmentScan scan = ScanSegment(bytes, 0);
  EXPECT_EQ(scan.damage, SegmentDamage::kBadSegmentHeader);
  EXPECT_EQ(scan.good_bytes, 0u);
  EXPECT_TRUE(scan.records.empty());
}

TEST(SpoolFormat, MetadataRoundTripsAndRejectsAnyChangedByte) {
  const SpoolMetadata metadata{.acknowledged_id = 41, .next_id = 57, .thinned_heartbeats = 3};
  const std::string bytes = EncodeMetadata(metadata);
  ASSERT_EQ(bytes.size(), kMetadataBytes);
  const auto decoded = DecodeMetadata(bytes);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->acknowledged_id, 41u);
  EXPECT_EQ(decoded->next_id, 57u);
  EXPECT_EQ(decoded->thinned_heartbeats, 3u);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::string changed = bytes;
    changed[i] ^= 0x01;
    EXPECT_FALSE(DecodeMetadata(changed).has_value()) << "byte " << i;
  }
  EXPECT_FALSE(DecodeMetadata(bytes.substr(0, kMetadataBytes - 1)).has_value());
  EXPECT_FALSE(DecodeMetadata(bytes + "x").has_value());
  // An acknowledged id at or above the next id cannot have been written by the spool.
  EXPECT_FALSE(DecodeMetadata(EncodeMetadata({.acknowledged_id = 5, .next_id = 5})).has_value());
}

}  // namespace
}  // namespace mamori::platform::spool
