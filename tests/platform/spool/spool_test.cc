// The spool on real files: appends, reopen, acknowledgement, recovery from torn and corrupt
// segments, bounds and thinning. Runs on Linux and, through the windows-cross build, under Wine.
#include "platform/spool/spool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace mamori::platform::spool {
namespace {

namespace fs = std::filesystem;

constexpr SpoolOptions kDefaultOptions{};

std::string ReadAll(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteAll(const fs::path& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

class SpoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    dir_ = fs::temp_directory_path() /
           ("mamori-spool-test-" + std::to_string(now) + "-" + std::to_string(counter++));
    fs::remove_all(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::unique_ptr<Spool> OpenOk(SpoolOptions options = kDefaultOptions, std::uint64_t first_id = 1,
                                SpoolRecovery* recovery = nullptr) {
    SpoolOpenResult opened = Spool::Open(dir_, options, first_id);
    EXPECT_TRUE(opened.error.empty()) << opened.error;
    if (recovery != nullptr) {
      *recovery = opened.recovery;
    }
    return std::move(opened.spool);
  }

  std::vector<fs::path> SegmentFiles() const {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir_)) {
      if (entry.path().filename().string().starts_with("segment-")) {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    return files;
  }

  static std::vector<std::uint64_t> Ids(const std::vector<SpoolRecord>& records) {
    std::vector<std::uint64_t> ids;
    for (const SpoolRecord& record : records) {
      ids.push_back(record.id);
    }
    return ids;
  }

  static std::vector<SpoolRecord> AllPending(const Spool& spool) {
    PendingResult pending = spool.Pending(1'000'000, std::size_t{1} << 40);
    EXPECT_TRUE(pending.error.empty()) << pending.error;
    return std::move(pending.records);
  }

  fs::path dir_;
};

TEST_F(SpoolTest, AppendedRecordsArePendingOldestFirstAcrossReopen) {
  {
    auto spool = OpenOk();
    ASSERT_NE(spool, nullptr);
    EXPECT_EQ(spool->Append(RecordKind::kSnapshot, "snapshot one").id, 1u);
    EXPECT_EQ(spool->Append(RecordKind::kHeartbeat, "heartbeat").id, 2u);
    EXPECT_EQ(spool->Append(RecordKind::kSnapshot, std::string("with\0nul", 8)).id, 3u);
  }
  SpoolRecovery recovery;
  auto spool = OpenOk(kDefaultOptions, 1, &recovery);
  EXPECT_TRUE(recovery.Clean());
  EXPECT_EQ(recovery.records_kept, 3u);
  const std::vector<SpoolRecord> records = AllPending(*spool);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].id, 1u);
  EXPECT_EQ(records[0].kind, RecordKind::kSnapshot);
  EXPECT_EQ(records[0].payload, "snapshot one");
  EXPECT_EQ(records[1].kind, RecordKind::kHeartbeat);
  EXPECT_EQ(records[1].payload, "heartbeat");
  EXPECT_EQ(records[2].payload, std::string("with\0nul", 8));
}

TEST_F(SpoolTest, ASecondOpenWhileTheFirstHoldsTheSpoolIsRefusedAndWorksOnceItCloses) {
  auto first = OpenOk();
  ASSERT_NE(first, nullptr);
  ASSERT_EQ(first->Append(RecordKind::kSnapshot, "one").id, 1u);

  const SpoolOpenResult second = Spool::Open(dir_, kDefaultOptions, 1);
  EXPECT_EQ(second.spool, nullptr);
  EXPECT_NE(second.error.find("is in use by another process"), std::string::npos) << second.error;
  EXPECT_NE(second.error.find("only one mamori-agent"), std::string::npos) << second.error;
  // The refused open touched nothing: the first spool goes on issuing ids.
  EXPECT_EQ(first->Append(RecordKind::kHeartbeat, "two").id, 2u);

  first.reset();
  auto third = OpenOk();
  ASSERT_NE(third, nullptr);
  EXPECT_EQ(Ids(AllPending(*third)), (std::vector<std::uint64_t>{1, 2}));
}

TEST_F(SpoolTest, IdsStartAtTheFirstIdAndContinueAfterReopen) {
  {
    auto spool = OpenOk(kDefaultOptions, 1000);
    EXPECT_EQ(spool->Append(RecordKind::kSnapshot, "a").id, 1000u);
    EXPECT_EQ(spool->Append(RecordKind::kHeartbeat, "b").id, 1001u);
  }
  // Once the spool has metadata, a different first id is ignored.
  auto spool = OpenOk(kDefaultOptions, 5);
  EXPECT_EQ(spool->Append(RecordKind::kSnapshot, "c").id, 1002u);
  const SpoolStats stats = spool->Stats();
  EXPECT_EQ(stats.oldest_id, 1000u);
  EXPECT_EQ(stats.newest_id, 1002u);
  EXPECT_EQ(stats.next_id, 1003u);
  EXPECT_EQ(stats.records, 3u);
}

TEST_F(SpoolTest, AnEmptySpoolWithoutRecordsKeepsItsFirstIdAcrossReopen) {
  { OpenOk(kDefaultOptions, 77); }
  auto spool = OpenOk(kDefaultOptions, 1);
  EXPECT_EQ(spool->Append(RecordKind::kSnapshot, "a").id, 77u);
}

TEST_F(SpoolTest, AcknowledgedRecordsAreNeverReturnedAgainAlsoAfterReopen) {
  {
    auto spool = OpenOk();
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(spool->Append(RecordKind::kSnapshot, "r" + std::to_string(i)).ok());
    }
    EXPECT_TRUE(spool->Acknowledge(3).ok());
    EXPECT_EQ(Ids(AllPending(*spool)), (std::vector<std::uint64_t>{4, 5}));
    // An older acknowledgement changes nothing.
    EXPECT_TRUE(spool->Acknowledge(2).ok());
    EXPECT_EQ(Ids(AllPending(*spool)), (std::vector<std::uint64_t>{4, 5}));
  }
  auto spool = OpenOk();
  EXPECT_EQ(Ids(AllPending(*spool)), (std::vector<std::uint64_t>{4, 5}));
  EXPECT_EQ(spool->Stats().acknowledged_id, 3u);
  EXPECT_EQ(spool->Stats().records, 2u);
}

TEST_F(SpoolTest, IdsContinueAfterEverythingIsAcknowledgedAndTheSegmentsAreGone) {
  {
    auto spool = OpenOk(kDefaultOptions, 10);
    ASSERT_TRUE(spool->Append(RecordKind::kSnapshot, "a").ok());
    ASSERT_TRUE(spool->Append(RecordKind::kHeartbeat, "b").ok());
    const AcknowledgeResult acked = spool->Acknowledge(11);
    EXPECT_TRUE(acked.ok()) << acked.error;
    EXPECT_EQ(acked.segments_deleted, 1u);
    EXPECT_TRUE(SegmentFiles().empty());
    EXPECT_EQ(spool->Stats().records, 0u);
    EXPECT_FALSE(spool->Stats().oldest_id.has_value());
  }
  auto spool = OpenOk(kDefaultOptions, 10);
  EXPECT_TRUE(AllPending(*spool).empty());
  EXPECT_EQ(spool->Append(RecordKind::kSnapshot, "c").id, 12u);
}

TEST_F(SpoolTest, AcknowledgingAnIdNotIssuedIsRefused) {
  auto spool = OpenOk();
  ASSERT_TRUE(spool->Append(RecordKind::kSnapshot, "a").ok());
  const AcknowledgeResult acked = spool->Acknowledge(2);
  EXPECT_FALSE(acked.ok());
  EXPECT_NE(acked.error.find("newest id issued is 1"), std::string::npos) << acked.error;
  EXPECT_EQ(Ids(AllPending(*spool)), (std::vector<std::uint64_t>{1}));
}

TEST_F(SpoolTest, ContinueAfterACollectorAheadAcknowledgesEverythingAndIssuesAboveIt) {
  {
    auto spool = OpenOk();
    ASSERT_TRUE(spool->Append(RecordKind::kSnapshot, "a").ok());
    ASSERT_TRUE(spool->Append(RecordKind::kHeartbeat, "b").ok());
    // Below the next id: nothing changes (that case is an ordinary Acknowledge).
    EXPECT_EQ(spool->ContinueAfter(2), "");
    EXPECT_EQ(Ids(AllPending(*spool)), (std::vector<std::uint64_t>{1, 2}));
    EXPECT_EQ(spool->ContinueAfter(40), "");
    EXPECT_TRUE(AllPending(*spool).empty());
    EXPECT_TRUE(SegmentFiles().empty());
    EXPECT_EQ(spool->Stats().acknowledged_id, 40u);
    EXPECT_EQ(spool->Append(RecordKind::kHeartbeat, "c").id, 41u);
  }
  auto spool = OpenOk();
  EXPECT_EQ(Ids(AllPending(*spool)), (std::vector<std::uint64_t>{41}));
  EXPECT_EQ(spool->Append(RecordKind::kHeartbeat, "d").id, 42u);
}

TEST_F(SpoolTest, PendingHonoursItsLimitsButAlwaysReturnsTheOldestRecord) {
  auto spool = OpenOk();
  ASSERT_TRUE(spool->Append(RecordKind::kSnapshot, std::string(100, 'a')).ok());
  ASSERT_TRUE(spool->Append(RecordKind::kHeartbeat, std::string(10, 'b')).ok());
  ASSERT_TRUE(spool->Append(RecordKind::kHeartbeat, std::string(10, 'c')).ok());
  EXPECT_EQ(Ids(spool->Pending(2, 1'000).records), (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(Ids(spool->Pending(10, 50).records), (std::vector<std::uint64_t>{1}));
  EXPECT_EQ(Ids(spool->Pending(10, 120).records), (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(Ids(spool->Pending(10, 115).records), (std::vector<std::uint64_t>{1, 2}));
  EXPECT_TRUE(spool->Pending(0, 1'000).records.empty());
}

TEST_F(SpoolTest, OversizedPayloadAndBadOptionsAreRefused) {
  auto spool = OpenOk();
  const AppendResult appended =
      spool->Append(RecordKind::kSnapshot, std::string(kMaxPayloadBytes + 1, 'x'));
  EXPECT_FALSE(appended.ok());
  EXPECT_EQ(appended.id, 0u);
  EXPECT_EQ(spool->Stats().records, 0u);
  EXPECT_EQ(spool->Append(RecordKind::kSnapshot, "next").id, 1u);

  EXPECT_FALSE(Spool::Open(dir_ / "other", kDefaultOptions, 0).error.empty());
  EXPECT_FALSE(
      Spool::Open(dir_ / "other", {.max_bytes = 100, .segment_bytes = 200}, 1).error.empty());
  EXPECT_FALSE(
      Spool::Open(dir_ / "other", {.max_bytes = 100, .segment_bytes = 10}, 1).error.empty());
}

// Crash during the last append: the file ends anywhere inside the final record.
TEST_F(SpoolTest, TruncatingTheLastRecordAtEveryByteKeepsEveryCompleteRecord) {
  std::uint64_t intact_size = 0;
  {
    auto spool = OpenOk();
    ASSERT_TRUE(spool->Append(RecordKind::kSnapshot, "first").ok());
    ASSERT_TRUE(spool->Append(RecordKind::kHeartbeat, "second").ok());
    intact_size = spool->Stats().bytes;
    ASSERT_TRUE(spool->Append(RecordKind::kSnapshot, "third, torn").ok());
  }
  const fs::path segment = SegmentFiles().at(0);
  const std::string full = ReadAll(segment);
  const std::string metadata = ReadAll(dir_ / "spool.meta");
  for (std::uint64_t size = intact_size; size < full.size(); ++size) {
    WriteAll(segment, full.substr(0, size));
    WriteAll(dir_ / "spool.meta", metadata);
    SpoolRecovery recovery;
    auto spool = OpenOk(kDefaultOptions, 1, &recovery);
    ASSERT_NE(spool, nullptr);
    const std::uint64_t torn = size - intact_size;
    if (torn == 0) {
      EXPECT_TRUE(recovery.cuts.empty());
    } else {
      ASSERT_EQ(recovery.cuts.size(), 1u) << "size " << size;
      EXPECT_EQ(recovery.cuts[0].offset, intact_size);
      EXPECT_EQ(recovery.cuts[0].bytes, torn);
      EXPECT_EQ(recovery.bytes_cut, torn);
    }
    EXPECT_EQ(recovery.records_kept, 2u);
    EXPECT_EQ(fs::file_size(segment), intact_size);
    const std::vector<SpoolRecord> records = AllPending(*spool);
    ASSERT_EQ(Ids(records), (std::vector<std::uint64_t>{1, 2})) << "size " << size;
    EXPECT_EQ(records[1].payload, "second");
    // Appends continue after the cut, and the spool reads back cleanly.
    const AppendResult appended = spool->Append(RecordKind::kSnapshot, "after the crash");
    ASSERT_TRUE(appended.ok()) << appended.error;
    EXPECT_GT(appended.id, 2u);
    spool.reset();
    SpoolRecovery again;
    spool = OpenOk(kDefaultOptions, 1, &again);
    EXPECT_TRUE(again.Clean());
    const std::vector<SpoolRecord> after = AllPending(*spool);
    ASSERT_EQ(after.size(), 3u);
    EXPECT_EQ(after[2].payload, "after the crash");
  }
}

TEST_F(SpoolTest, AFlippedPayloadByteInTheLastRecordIsCut) {
  {
    auto spool = OpenOk();
    ASSERT_TRUE(spool->Append(RecordKind::kSnapshot, "kept").ok());
    ASSERT_TRUE(spool->Append(RecordKind::kHeartbeat, "flipped").ok());
  }
  const fs::path segment = SegmentFiles().at(0);
  std::string bytes = ReadAll(segment);
  bytes[bytes.size() - 2] ^= 0x40;
  WriteAll(segment, bytes);
  SpoolRecovery recovery;
  auto spool = OpenOk(kDefaultOptions, 1, &recovery);
  ASSERT_EQ(recovery.cuts.size(), 1u);
  EXPECT_EQ(recovery.cuts[0].reason, "record checksum mismatch");
  EXPECT_EQ(recovery.cuts[0].bytes, RecordBytes(7));
  EXPECT_EQ(Ids(AllPending(*spool)), (std::vector<std::uint64_t>{1}));
}

TEST_F(SpoolTest, ACorruptLengthFieldIsCut) {
  for (const std::uint32_t length : {0xFFFFFFFFu, 3u, 200u}) {
    fs::remove_all(dir_);
    {
      auto spool = OpenOk();
      ASSERT_TRUE(spool->Append(RecordKind::kSnapshot, "kept").ok());
      ASSERT_TRUE(spool->Append(RecordKind::kHeartbeat, "bad length").ok());
    }
    const fs::path segment = SegmentFiles().at(0);
    std::string bytes = ReadAll(segment);
    const std::size_t at = kSegmentHeaderBytes + RecordBytes(4);
    for (int i = 0; i < 4; ++i) {
      bytes[at + static_cast<std::size_t>(i)] = static_cast<char>((length >> (8 * i)) & 0xFFu);
    }
    WriteAll(segment, bytes);
    SpoolRecovery recovery;
    auto spool = OpenOk(kDefaultOptions, 1, &recovery);
    ASSERT_EQ(recovery.cuts.size(), 1u) << length;
    EXPECT_EQ(recovery.cuts[0].offset, at);
    EXPECT_EQ(Ids(AllPending(*spool)), (std::vector<std::uint64_t>{1})) << length;
    EXPECT_EQ(spool->Append(RecordKind::kSnapshot, "next").id, 2u);
  }
}

// Decision (docs/spool.md): damage inside an older segment cuts the rest of that segment only;
// later segments, whose records are intact and were written after, are kept.
TEST_F(SpoolTest, DamageInAnOlderSegmentCutsTheRestOfThatSegmentOnly) {
  const SpoolOptions options{.max_bytes = 4096, .segment_bytes = 128};
  {
    auto spool = OpenOk(options);
    for (int i = 1; i <= 9; ++i) {
      ASSERT_TRUE(
          spool->Append(RecordKind::kSnapshot, std::string(20, static_cast<char>('a' + i))).ok());
    }
  }
  // 128-byte segments hold 2 records of 40 bytes after the 16-byte header: 1-2, 3-4, 5-6, 7-8, 9.
  const std::vector<fs::path> segments = SegmentFiles();
  ASSERT_EQ(segments.size(), 5u);
  std::string bytes = ReadAll(segments[1]);
  bytes[kSegmentHeaderBytes + RecordBytes(20) + kRecordHeaderBytes + 5] ^=
      0x01;  // record 4's payload
  WriteAll(segments[1], bytes);
  SpoolRecovery recovery;
  auto spool = OpenOk(options, 1, &recovery);
  ASSERT_EQ(recovery.cuts.size(), 1u);
  EXPECT_EQ(recovery.cuts[0].file, segments[1].filename().string());
  EXPECT_EQ(recovery.cuts[0].bytes, RecordBytes(20));
  EXPECT_EQ(Ids(AllPending(*spool)), (std::vector<std::uint64_t>{1, 2, 3, 5, 6, 7, 8, 9}));
  EXPECT_EQ(spool->Append(RecordKind::kSnapshot, "x").id, 10u);
}

TEST_F(SpoolTest, SegmentsRollOverAndFullyAcknowledgedOnesAreDeleted) {
  const SpoolOptions options{.max_bytes = 4096, .segment_bytes = 128};
  auto spool = OpenOk(options);
  for (int i = 1; i <= 7; ++i) {
    ASSERT_TRUE(spool->Append(RecordKind::kHeartbeat, std::string(20, 'h')).ok());
  }
  EXPECT_EQ(SegmentFiles().size(), 4u);
  EXPECT_EQ(spool->Stats().segments, 4u);
  EXPECT_EQ(SegmentFiles()[1].filename().string(), "segment-00000000000000000003.log");
  // Record 3 acknowledged: segment 1-2 goes, segment 3-4 stays for record 4.
  AcknowledgeResult acked = spool->Acknowledge(3);
  EXPECT_TRUE(acked.ok()) << acked.error;
  EXPECT_EQ(acked.segments_deleted, 1u);
  EXPECT_EQ(SegmentFiles().size(), 3u);
  acked = spool->Acknowledge(6);
  EXPECT_EQ(acked.segments_deleted, 2u);
  ASSERT_EQ(SegmentFiles().size(), 1u);
  EXPECT_EQ(SegmentFiles()[0].filename().string(), "segment-00000000000000000007.log");
  EXPECT_EQ(Ids(AllPending(*spool)), (std::vector<std::uint64_t>{7}));
  EXPECT_EQ(spool->Stats().bytes, kSegmentHeaderBytes + RecordBytes(20));
}

// A crash after the metadata was made durable but before the segments were deleted.
TEST_F(SpoolTest, AcknowledgedSegmentsLeftByACrashAreDeletedAtOpen) {
  const SpoolOptions options{.max_bytes = 4096, .segment_bytes = 128};
  std::string old_segment;
  {
    auto spool = OpenOk(options);
    for (int i = 1; i <= 3; ++i) {
      ASSERT_TRUE(spool->Append(RecordKind::kSnapshot, std::string(20, 's')).ok());
    }
    old_segment = ReadAll(SegmentFiles().at(0));
    ASSERT_TRUE(spool->Acknowledge(2).ok());
  }
  WriteAll(dir_ / "segment-00000000000000000001.log", old_segment);
  auto spool = OpenOk(options);
  EXPECT_EQ(SegmentFiles().size(), 1u);
  EXPECT_EQ(Ids(AllPending(*spool)), (std::vector<std::uint64_t>{3}));
}

TEST_F(SpoolTest, AStrayTemporaryFileFromACrashBeforeTheRenameLeavesTheOldMetadataValid) {
  {
    auto spool = OpenOk();
    for (int i = 0; i < 4; ++i) {
      ASSERT_TRUE(spool->Append(RecordKind::kSnapshot, "r").ok());
    }
    ASSERT_TRUE(spool->Acknowledge(2).ok());
  }
  // The crash: a new metadata file written (here: half written) but not renamed, and a compaction's
  // temporary segment.
  WriteAll(dir_ / "spool.meta.tmp",
           EncodeMetadata({.acknowledged_id = 4, .next_id = 5}).substr(0, 20));
  WriteAll(dir_ / "segment-00000000000000000001.log.tmp", "partial");
  WriteAll(dir_ / "unrelated.txt", "left alone");
  SpoolRecovery recovery;
  auto spool = OpenOk(kDefaultOptions, 1, &recovery);
  EXPECT_EQ(recovery.temporary_files_removed, 2u);
  EXPECT_FALSE(recovery.metadata_damaged);
  EXPECT_EQ(spool->Stats().acknowledged_id, 2u);
  EXPECT_EQ(Ids(AllPending(*spool)), (std::vector<std::uint64_t>{3, 4}));
  EXPECT_FALSE(fs::exists(dir_ / "spool.meta.tmp"));
  EXPECT_FALSE(fs::exists(dir_ / "segment-00000000000000000001.log.tmp"));
  EXPECT_TRUE(fs::exists(dir_ / "unrelated.txt"));
}

// Decision (docs/spool.md): unreadable metadata is reported and replaced; every record still on
// disk is sent again (the collector acknowledges replays without storing them twice), never
// skipped.
TEST_F(SpoolTest, DamagedMetadataIsReportedAndNoRecordIsSkipped) {
  {
    auto spool = OpenOk();
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE(spool->Append(RecordKind::kSnapshot, "r").ok());
    }
    ASSERT_TRUE(spool->Acknowledge(1).ok());
  }
  WriteAll(dir_ / "spool.meta", "garbage");
  SpoolRecovery recovery;
  auto spool = OpenOk(kDefaultOptions, 1, &recovery);
  EXPECT_TRUE(recovery.metadata_damaged);
  EXPECT_EQ(Ids(AllPending(*spool)), (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(spool->Append(RecordKind::kSnapshot, "x").id, 4u);
  spool.reset();
  SpoolRecovery again;
  spool = OpenOk(kDefaultOptions, 1, &again);
  EXPECT_TRUE(again.Clean());
}

TEST_F(SpoolTest, MissingMetadataBesideSegmentsIsReportedAndNoRecordIsSkipped) {
  {
    auto spool = OpenOk();
    ASSERT_TRUE(spool->Append(RecordKind::kSnapshot, "r").ok());
    ASSERT_TRUE(spool->Append(RecordKind::kSnapshot, "r").ok());
    ASSERT_TRUE(spool->Acknowledge(1).ok());
  }
  fs::remove(dir_ / "spool.meta");
  SpoolRecovery recovery;
  auto spool = OpenOk(kDefaultOptions, 1, &recovery);
  EXPECT_TRUE(recovery.metadata_damaged);
  EXPECT_EQ(Ids(AllPending(*spool)), (std::vector<std::uint64_t>{1, 2}));
}

TEST_F(SpoolTest, AFullSpoolThinsTheOldestHeartbeatsAndKeepsEverySnapshot) {
  const SpoolOptions options{.max_bytes = 2048, .segment_bytes = 256};
  std::vector<std::uint64_t> snapshots;
  std::vector<std::uint64_t> heartbeats;
  std::uint64_t thinned = 0;
  {
    auto spool = OpenOk(options);
    for (int i = 0; i < 60; ++i) {
      const RecordKind kind = i % 3 == 0 ? RecordKind::kSnapshot : RecordKind::kHeartbeat;
      const AppendResult appended =
          spool->Append(kind, std::string(40, static_cast<char>('a' + i % 26)));
      ASSERT_TRUE(appended.ok()) << appended.error;
      (kind == RecordKind::kSnapshot ? snapshots : heartbeats).push_back(appended.id);
      thinned += appended.heartbeats_thinned;
      ASSERT_LE(spool->Stats().bytes, options.max_bytes);
    }
    EXPECT_GT(thinned, 0u);
    EXPECT_EQ(spool->Stats().thinned_heartbeats, thinned);
  }
  SpoolRecovery recovery;
  auto spool = OpenOk(options, 1, &recovery);
  EXPECT_TRUE(recovery.Clean());
  EXPECT_EQ(spool->Stats().thinned_heartbeats, thinned);
  std::vector<std::uint64_t> kept_snapshots;
  std::vector<std::uint64_t> kept_heartbeats;
  for (const SpoolRecord& record : AllPending(*spool)) {
    (record.kind == RecordKind::kSnapshot ? kept_snapshots : kept_heartbeats).push_back(record.id);
  }
  EXPECT_EQ(kept_snapshots, snapshots);
  // The oldest heartbeats went: what is left is the newest ones, in order.
  ASSERT_EQ(kept_heartbeats.size() + thinned, heartbeats.size());
  EXPECT_TRUE(std::equal(kept_heartbeats.begin(), kept_heartbeats.end(),
                         heartbeats.end() - static_cast<std::ptrdiff_t>(kept_heartbeats.size())));

  // The agent reports 2 of them; the rest stay counted, persisted.
  EXPECT_EQ(spool->ForgetThinnedHeartbeats(2), "");
  spool.reset();
  spool = OpenOk(options);
  EXPECT_EQ(spool->Stats().thinned_heartbeats, thinned - 2);
  EXPECT_EQ(spool->ForgetThinnedHeartbeats(thinned + 5), "");
  EXPECT_EQ(spool->Stats().thinned_heartbeats, 0u);
}

TEST_F(SpoolTest, AcknowledgedRecordsAreCompactedAwayBeforeAnyHeartbeatIsThinned) {
  const SpoolOptions options{.max_bytes = 512, .segment_bytes = 512};
  auto spool = OpenOk(options);
  // One segment: 16 + 9 x 52 = 484 bytes.
  for (int i = 0; i < 9; ++i) {
    ASSERT_TRUE(spool->Append(RecordKind::kHeartbeat, std::string(32, 'h')).ok());
  }
  ASSERT_TRUE(spool->Acknowledge(3).ok());
  // The segment holds unacknowledged records, so it stays; the next append needs room.
  const AppendResult appended = spool->Append(RecordKind::kHeartbeat, std::string(32, 'n'));
  ASSERT_TRUE(appended.ok()) << appended.error;
  EXPECT_EQ(appended.heartbeats_thinned, 0u);
  EXPECT_EQ(spool->Stats().thinned_heartbeats, 0u);
  EXPECT_EQ(Ids(AllPending(*spool)), (std::vector<std::uint64_t>{4, 5, 6, 7, 8, 9, 10}));
  EXPECT_EQ(spool->Stats().bytes, kSegmentHeaderBytes + 7 * RecordBytes(32));
}

// Decision (docs/spool.md): with only snapshots left, snapshots are accepted up to twice the bound
// and then refused with an error; heartbeats are refused as soon as the bound is reached. Nothing
// is dropped silently.
TEST_F(SpoolTest, WithOnlySnapshotsLeftSnapshotsGoUpToTwiceTheBoundThenAreRefused) {
  const SpoolOptions options{.max_bytes = 1024, .segment_bytes = 256};
  auto spool = OpenOk(options);
  std::vector<std::uint64_t> accepted;
  std::string refusal;
  for (int i = 0; i < 100 && refusal.empty(); ++i) {
    const AppendResult appended = spool->Append(RecordKind::kSnapshot, std::string(80, 's'));
    if (appended.ok()) {
      accepted.push_back(appended.id);
    } else {
      refusal = appended.error;
    }
  }
  EXPECT_NE(refusal.find("snapshot refused"), std::string::npos) << refusal;
  EXPECT_GT(spool->Stats().bytes, options.max_bytes);
  EXPECT_LE(spool->Stats().bytes, 2 * options.max_bytes);
  const AppendResult heartbeat = spool->Append(RecordKind::kHeartbeat, "hb");
  EXPECT_FALSE(heartbeat.ok());
  EXPECT_NE(heartbeat.error.find("heartbeat refused"), std::string::npos) << heartbeat.error;
  EXPECT_EQ(Ids(AllPending(*spool)), accepted);
  // Once acknowledged, there is room again.
  ASSERT_TRUE(spool->Acknowledge(accepted.back()).ok());
  EXPECT_TRUE(spool->Append(RecordKind::kHeartbeat, "hb").ok());
}

TEST_F(SpoolTest, AHeartbeatThatCannotFitThinsNothing) {
  const SpoolOptions options{.max_bytes = 1024, .segment_bytes = 256};
  auto spool = OpenOk(options);
  ASSERT_TRUE(spool->Append(RecordKind::kHeartbeat, std::string(40, 'h')).ok());
  while (spool->Stats().bytes + RecordBytes(100) + kSegmentHeaderBytes <= options.max_bytes) {
    ASSERT_TRUE(spool->Append(RecordKind::kSnapshot, std::string(100, 's')).ok());
  }
  const std::uint64_t records = spool->Stats().records;
  // Thinning the one old heartbeat frees 60 bytes; the new heartbeat needs far more.
  const AppendResult appended = spool->Append(RecordKind::kHeartbeat, std::string(300, 'n'));
  EXPECT_FALSE(appended.ok());
  EXPECT_EQ(appended.heartbeats_thinned, 0u);
  EXPECT_EQ(spool->Stats().records, records);
  EXPECT_EQ(spool->Pending(1, 1000).records.at(0).kind, RecordKind::kHeartbeat);
  // A small one fits once the old heartbeat is thinned.
  const AppendResult small = spool->Append(RecordKind::kHeartbeat, std::string(40, 'n'));
  ASSERT_TRUE(small.ok()) << small.error;
  EXPECT_EQ(small.heartbeats_thinned, 1u);
  EXPECT_EQ(spool->Pending(1, 1000).records.at(0).kind, RecordKind::kSnapshot);
}

TEST_F(SpoolTest, ARecordChangedOnDiskAfterOpenIsReportedByPending) {
  auto spool = OpenOk();
  ASSERT_TRUE(spool->Append(RecordKind::kSnapshot, "one").ok());
  ASSERT_TRUE(spool->Append(RecordKind::kSnapshot, "two").ok());
  const fs::path segment = SegmentFiles().at(0);
  std::string bytes = ReadAll(segment);
  bytes.back() ^= 0x01;
  WriteAll(segment, bytes);
  const PendingResult pending = spool->Pending(10, 1000);
  EXPECT_EQ(Ids(pending.records), (std::vector<std::uint64_t>{1}));
  EXPECT_NE(pending.error.find("record 2"), std::string::npos) << pending.error;
}

}  // namespace
}  // namespace mamori::platform::spool
