// Issue 8's disk-full promise, with a disk that fills up on command (failing_disk.h): a commit that
// cannot be written is refused as a whole and not acknowledged, the agent gets UNAVAILABLE, the
// collector logs the episode once, and ingest resumes by itself when space returns, storing each
// refused record exactly once.
#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "collector/ingest/group_committer.h"
#include "collector/server/collector_identity.h"
#include "collector/server/collector_server.h"
#include "collector/storage/agent_record_store.h"
#include "collector/storage/schema.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mamori/v1/agent.grpc.pb.h"
#include "spdlog/sinks/ringbuffer_sink.h"
#include "spdlog/spdlog.h"
#include "tests/collector/failing_disk.h"
#include "tests/collector/temp_dir.h"
#include "tests/collector/test_messages.h"
#include "tests/collector/test_pki.h"

namespace mamori::collector {
namespace {

using ::mamori::collector::testing::FailingDisk;
using ::mamori::collector::testing::HeartbeatMessage;
using ::mamori::collector::testing::HelloMessage;
using ::mamori::collector::testing::SnapshotMessage;
using ::mamori::collector::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;

const absl::Time kNow = absl::FromUnixSeconds(1'700'000'000);

AgentRecord Record(const std::string& agent_id, mamori::v1::AgentMessage message) {
  return AgentRecord{agent_id, std::move(message), kNow};
}

// A snapshot of about `bytes`, so that a batch of them spills SQLite's page cache to the WAL while
// the transaction is still open: the disk then fills in the middle of a record, not at COMMIT.
mamori::v1::AgentMessage BigSnapshot(std::uint64_t seq, std::size_t bytes) {
  mamori::v1::AgentMessage message = SnapshotMessage(seq);
  std::string filler(bytes, 'x');
  for (std::size_t i = 0; i < filler.size(); ++i) {
    filler[i] = static_cast<char>('a' + (i * 7 + seq) % 26);
  }
  message.mutable_snapshot()->mutable_facts()->mutable_inventory()->set_os_build(filler);
  return message;
}

class DiskFullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    disk_.Free();
    absl::StatusOr<AgentRecordStore> store =
        AgentRecordStore::Open(DatabasePath(), Database::OpenMode::kCreateIfMissing);
    ASSERT_TRUE(store.ok()) << store.status();
    store_.emplace(*std::move(store));
  }
  void TearDown() override { disk_.Free(); }

  std::filesystem::path DatabasePath() const { return dir_.path() / "mamori.db"; }

  // Read on a connection of its own, as `hosts` would, with space available.
  std::int64_t Count(const std::string& sql) {
    absl::StatusOr<Database> db =
        Database::Open(DatabasePath(), Database::OpenMode::kExistingOnly, CollectorSchema());
    EXPECT_TRUE(db.ok()) << db.status();
    absl::StatusOr<Statement> query = db->Query(sql, {});
    EXPECT_TRUE(query.ok()) << query.status();
    EXPECT_TRUE(*query->Step());
    return query->ColumnInt64(0);
  }

  std::string QuickCheck() {
    absl::StatusOr<Database> db =
        Database::Open(DatabasePath(), Database::OpenMode::kExistingOnly, CollectorSchema());
    EXPECT_TRUE(db.ok()) << db.status();
    absl::StatusOr<Statement> query = db->Query("PRAGMA quick_check", {});
    EXPECT_TRUE(query.ok()) << query.status();
    EXPECT_TRUE(*query->Step());
    return query->ColumnText(0);
  }

  FailingDisk& disk_ = FailingDisk::Install();
  TempDir dir_;
  std::optional<AgentRecordStore> store_;
};

TEST_F(DiskFullTest, ABatchCommittedOnAFullDiskStoresNothingAndIsUnavailable) {
  ASSERT_TRUE(store_->Commit(std::vector{Record("agent-1", HelloMessage("agent-1"))}).ok());

  disk_.FillAfter(0);
  std::vector<AgentRecord> batch;
  for (std::uint64_t seq = 1; seq <= 5; ++seq) {
    batch.push_back(Record("agent-1", HeartbeatMessage(seq)));
  }
  absl::StatusOr<std::vector<absl::StatusOr<RecordOutcome>>> refused = store_->Commit(batch);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable) << refused.status();
  EXPECT_GT(disk_.refused_writes(), 0);

  disk_.Free();
  EXPECT_EQ(Count("SELECT count(*) FROM heartbeats"), 0);
  EXPECT_EQ(*store_->LastCommittedSeq("agent-1"), 0u);
  // The agent sends the same records again, on the same connection: no restart needed.
  absl::StatusOr<std::vector<absl::StatusOr<RecordOutcome>>> resent = store_->Commit(batch);
  ASSERT_TRUE(resent.ok()) << resent.status();
  for (const absl::StatusOr<RecordOutcome>& outcome : *resent) {
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    EXPECT_FALSE(outcome->duplicate);
  }
  EXPECT_EQ(Count("SELECT count(*) FROM heartbeats"), 5);
  EXPECT_EQ(Count("SELECT count(DISTINCT seq) FROM heartbeats"), 5);
  EXPECT_EQ(*store_->LastCommittedSeq("agent-1"), 5u);
}

// Full for one write only, in the middle of a batch: SQLite rolls the whole transaction back on
// its own, and the records after the failed one must not then be committed one by one outside it.
TEST_F(DiskFullTest, ABriefFullDiskInTheMiddleOfABatchLeavesNoPartOfIt) {
  ASSERT_TRUE(store_->Commit(std::vector{Record("agent-1", HelloMessage("agent-1"))}).ok());
  std::vector<AgentRecord> batch;
  for (std::uint64_t seq = 1; seq <= 40; ++seq) {
    batch.push_back(Record("agent-1", BigSnapshot(seq, 200'000)));
  }
  disk_.FillBriefly(3'000'000, 1);
  absl::StatusOr<std::vector<absl::StatusOr<RecordOutcome>>> refused = store_->Commit(batch);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(absl::IsUnavailable(refused.status())) << refused.status();
  EXPECT_EQ(Count("SELECT count(*) FROM snapshots"), 0);
  EXPECT_EQ(*store_->LastCommittedSeq("agent-1"), 0u);
  EXPECT_EQ(QuickCheck(), "ok");

  absl::StatusOr<std::vector<absl::StatusOr<RecordOutcome>>> resent = store_->Commit(batch);
  ASSERT_TRUE(resent.ok()) << resent.status();
  EXPECT_EQ(Count("SELECT count(*) FROM snapshots"), 40);
  EXPECT_EQ(*store_->LastCommittedSeq("agent-1"), 40u);
}

TEST_F(DiskFullTest, ADiskFillingInTheMiddleOfABatchLeavesNoPartOfIt) {
  ASSERT_TRUE(store_
                  ->Commit(std::vector{Record("agent-1", HelloMessage("agent-1")),
                                       Record("agent-2", HelloMessage("agent-2"))})
                  .ok());
  // 40 snapshots of 200 kB: 8 MB, four times SQLite's default page cache, so pages go to the WAL
  // while records are still being applied, and the disk fills part-way through.
  std::vector<AgentRecord> batch;
  for (std::uint64_t seq = 1; seq <= 20; ++seq) {
    batch.push_back(Record("agent-1", BigSnapshot(seq, 200'000)));
    batch.push_back(Record("agent-2", BigSnapshot(seq, 200'000)));
  }
  disk_.FillAfter(3'000'000);
  absl::StatusOr<std::vector<absl::StatusOr<RecordOutcome>>> refused = store_->Commit(batch);
  ASSERT_FALSE(refused.ok()) << "the disk never filled: the batch fit in "
                             << "the page cache, so this test did not test anything";
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable) << refused.status();
  EXPECT_THAT(refused.status().message(), HasSubstr("full"));
  // It failed while a record was applied (SQLite spilling pages), not at COMMIT: the case where
  // SQLite may roll back the transaction on its own, under the records already applied.
  EXPECT_THAT(refused.status().message(), Not(HasSubstr("COMMIT"))) << refused.status();

  disk_.Free();
  EXPECT_EQ(Count("SELECT count(*) FROM snapshots"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM hosts"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM agents WHERE last_committed_seq > 0"), 0);
  EXPECT_EQ(QuickCheck(), "ok");

  absl::StatusOr<std::vector<absl::StatusOr<RecordOutcome>>> resent = store_->Commit(batch);
  ASSERT_TRUE(resent.ok()) << resent.status();
  for (const absl::StatusOr<RecordOutcome>& outcome : *resent) {
    ASSERT_TRUE(outcome.ok()) << outcome.status();
  }
  // A second delivery of the same records (an Ack lost on the way) is acknowledged, not stored.
  absl::StatusOr<std::vector<absl::StatusOr<RecordOutcome>>> again = store_->Commit(batch);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE((*again)[0]->duplicate);
  EXPECT_EQ(Count("SELECT count(*) FROM snapshots"), 40);
  EXPECT_EQ(Count("SELECT count(*) FROM (SELECT DISTINCT agent_id, seq FROM snapshots)"), 40);
  EXPECT_EQ(QuickCheck(), "ok");
}

// Collects what the collector logs, in place of stderr, for the test's lifetime.
class CapturedLog {
 public:
  CapturedLog()
      : previous_(spdlog::default_logger()),
        sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(1000)) {
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("captured", sink_));
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }

  int CountContaining(const std::string& text) const {
    int count = 0;
    for (const std::string& line : sink_->last_formatted()) {
      count += line.find(text) != std::string::npos ? 1 : 0;
    }
    return count;
  }

 private:
  std::shared_ptr<spdlog::logger> previous_;
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
};

TEST_F(DiskFullTest, TheCommitterRefusesWhileFullLogsOnceAndResumesByItself) {
  CapturedLog log;
  GroupCommitter committer(*store_);
  auto submit = [&committer](mamori::v1::AgentMessage message) {
    absl::Notification done;
    absl::StatusOr<RecordOutcome> result;
    committer.Submit(Record("agent-1", std::move(message)),
                     [&](absl::StatusOr<RecordOutcome> outcome) {
                       result = std::move(outcome);
                       done.Notify();
                     });
    done.WaitForNotification();
    return result;
  };
  ASSERT_TRUE(submit(HelloMessage("agent-1")).ok());

  disk_.FillAfter(0);
  for (std::uint64_t seq = 1; seq <= 10; ++seq) {
    absl::StatusOr<RecordOutcome> refused = submit(HeartbeatMessage(seq));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable);
  }
  EXPECT_EQ(log.CountContaining("the database cannot be written"), 1);

  disk_.Free();
  for (std::uint64_t seq = 1; seq <= 10; ++seq) {
    absl::StatusOr<RecordOutcome> stored = submit(HeartbeatMessage(seq));
    ASSERT_TRUE(stored.ok()) << stored.status();
    EXPECT_EQ(stored->last_committed_seq, seq);
  }
  committer.Shutdown();
  EXPECT_EQ(log.CountContaining("the database cannot be written"), 1);
  EXPECT_EQ(log.CountContaining("can be written again"), 1);
  EXPECT_EQ(log.CountContaining("10 records were refused"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM heartbeats"), 10);
}

// Through the real gateway: the agent is answered UNAVAILABLE and not acknowledged, and what it
// sends again on a new stream once space returns is stored exactly once.
class DiskFullGatewayTest : public DiskFullTest {
 protected:
  void SetUp() override {
    DiskFullTest::SetUp();
    absl::StatusOr<std::unique_ptr<TrustStore>> trust =
        TrustStore::Open(DatabasePath(), Database::OpenMode::kExistingOnly);
    ASSERT_TRUE(trust.ok()) << trust.status();
    trust_ = *std::move(trust);
    absl::StatusOr<CollectorIdentity> identity =
        LoadOrIssueCollectorIdentity(dir_.path(), pki::DefaultServerNames(), absl::Now());
    ASSERT_TRUE(identity.ok()) << identity.status();
    identity_.emplace(*std::move(identity));
    absl::StatusOr<std::unique_ptr<CollectorServer>> server =
        CollectorServer::Start("127.0.0.1:0", *store_, *trust_, *identity_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    agent_ = testing::IssueRecorded(identity_->ca, *trust_, "agent-1", absl::Now() - absl::Hours(1),
                                    absl::Now() + absl::Hours(24));
  }
  void TearDown() override {
    if (server_ != nullptr) {
      server_->Shutdown(absl::Seconds(1));
    }
    DiskFullTest::TearDown();
  }

  struct Session {
    std::unique_ptr<mamori::v1::AgentGateway::Stub> stub;
    grpc::ClientContext context;
    std::unique_ptr<
        grpc::ClientReaderWriter<mamori::v1::AgentMessage, mamori::v1::CollectorMessage>>
        stream;

    std::optional<mamori::v1::CollectorMessage> Send(const mamori::v1::AgentMessage& message) {
      mamori::v1::CollectorMessage reply;
      if (!stream->Write(message) || !stream->Read(&reply)) {
        return std::nullopt;
      }
      return reply;
    }
  };

  std::unique_ptr<Session> Connect() {
    auto session = std::make_unique<Session>();
    session->stub = mamori::v1::AgentGateway::NewStub(testing::TlsChannel(
        server_->address().ToString(), identity_->ca.certificate().Pem(), agent_));
    session->context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    session->stream = session->stub->Connect(&session->context);
    return session;
  }

  std::unique_ptr<TrustStore> trust_;
  std::optional<CollectorIdentity> identity_;
  std::unique_ptr<CollectorServer> server_;
  std::optional<testing::AgentCredentials> agent_;
};

TEST_F(DiskFullGatewayTest, AnAgentIsAnsweredUnavailableAndItsResentRecordIsStoredOnce) {
  {
    std::unique_ptr<Session> session = Connect();
    std::optional<mamori::v1::CollectorMessage> welcome = session->Send(HelloMessage("agent-1"));
    ASSERT_TRUE(welcome.has_value() && welcome->has_welcome());
    std::optional<mamori::v1::CollectorMessage> ack = session->Send(SnapshotMessage(1));
    ASSERT_TRUE(ack.has_value() && ack->has_ack());

    disk_.FillAfter(0);
    std::optional<mamori::v1::CollectorMessage> refused = session->Send(SnapshotMessage(2));
    EXPECT_FALSE(refused.has_value()) << "the record was answered although it was not stored";
    session->stream->WritesDone();
    const grpc::Status status = session->stream->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  }

  disk_.Free();
  std::unique_ptr<Session> session = Connect();
  std::optional<mamori::v1::CollectorMessage> welcome = session->Send(HelloMessage("agent-1"));
  ASSERT_TRUE(welcome.has_value() && welcome->has_welcome());
  // The collector says what it holds: the agent resends from seq 2.
  EXPECT_EQ(welcome->welcome().last_committed_seq(), 1u);
  std::optional<mamori::v1::CollectorMessage> ack = session->Send(SnapshotMessage(2));
  ASSERT_TRUE(ack.has_value() && ack->has_ack());
  EXPECT_EQ(ack->ack().seq(), 2u);
  EXPECT_EQ(Count("SELECT count(*) FROM snapshots"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM snapshots WHERE seq = 2"), 1);
}

}  // namespace
}  // namespace mamori::collector
