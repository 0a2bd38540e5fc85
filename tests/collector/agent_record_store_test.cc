#include "collector/storage/agent_record_store.h"

#include <vector>

#include "collector/storage/schema.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/collector/temp_dir.h"
#include "tests/collector/test_messages.h"

namespace mamori::collector {
namespace {

using ::mamori::collector::testing::HeartbeatMessage;
using ::mamori::collector::testing::HelloMessage;
using ::mamori::collector::testing::SnapshotMessage;
using ::mamori::collector::testing::TempDir;

const absl::Time kMonday = absl::FromUnixSeconds(1'700'000'000);  // 2023-11-14T22:13:20Z

class AgentRecordStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<AgentRecordStore> store =
        AgentRecordStore::Open(dir_.path() / "mamori.db", Database::OpenMode::kCreateIfMissing);
    ASSERT_TRUE(store.ok()) << store.status();
    store_.emplace(*std::move(store));
  }

  std::vector<absl::StatusOr<RecordOutcome>> Commit(std::vector<AgentRecord> records) {
    absl::StatusOr<std::vector<absl::StatusOr<RecordOutcome>>> outcomes = store_->Commit(records);
    EXPECT_TRUE(outcomes.ok()) << outcomes.status();
    return outcomes.ok() ? *std::move(outcomes) : std::vector<absl::StatusOr<RecordOutcome>>{};
  }

  std::int64_t Count(const std::string& sql) {
    absl::StatusOr<Database> db = Database::Open(
        dir_.path() / "mamori.db", Database::OpenMode::kExistingOnly, CollectorSchema());
    EXPECT_TRUE(db.ok()) << db.status();
    absl::StatusOr<Statement> query = db->Query(sql, {});
    EXPECT_TRUE(query.ok()) << query.status();
    EXPECT_TRUE(*query->Step());
    return query->ColumnInt64(0);
  }

  TempDir dir_;
  std::optional<AgentRecordStore> store_;
};

TEST_F(AgentRecordStoreTest, CommitsHelloSnapshotAndHeartbeatInOneBatch) {
  const auto outcomes = Commit({
      {"agent-1", HelloMessage("agent-1"), kMonday},
      {"agent-1", SnapshotMessage(1), kMonday},
      {"agent-1", HeartbeatMessage(2), kMonday + absl::Seconds(1)},
  });
  ASSERT_EQ(outcomes.size(), 3u);
  for (const auto& outcome : outcomes) {
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    EXPECT_FALSE(outcome->duplicate);
  }
  EXPECT_EQ(outcomes[0]->last_committed_seq, 0u);
  EXPECT_EQ(outcomes[1]->last_committed_seq, 1u);
  EXPECT_EQ(outcomes[2]->last_committed_seq, 2u);
  EXPECT_EQ(*store_->LastCommittedSeq("agent-1"), 2u);
  EXPECT_EQ(Count("SELECT count(*) FROM snapshots WHERE agent_id = 'agent-1' AND seq = 1"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM heartbeats WHERE seq = 2 AND uptime_s = 3600 AND "
                  "idle_s = 60 AND session_locked = 1 AND sessions = 1"),
            1);
}

TEST_F(AgentRecordStoreTest, WelcomesAReturningAgentWithItsLastCommittedSeq) {
  Commit({{"agent-1", HelloMessage("agent-1"), kMonday}, {"agent-1", SnapshotMessage(1), kMonday}});
  const auto outcomes = Commit({{"agent-1", HelloMessage("agent-1"), kMonday + absl::Hours(1)}});
  ASSERT_TRUE(outcomes[0].ok());
  EXPECT_EQ(outcomes[0]->last_committed_seq, 1u);
}

TEST_F(AgentRecordStoreTest, StoresTheSnapshotsFactsAsSerializedHostFacts) {
  Commit({{"agent-1", HelloMessage("agent-1"), kMonday}, {"agent-1", SnapshotMessage(1), kMonday}});
  absl::StatusOr<Database> db = Database::Open(
      dir_.path() / "mamori.db", Database::OpenMode::kExistingOnly, CollectorSchema());
  ASSERT_TRUE(db.ok());
  absl::StatusOr<Statement> query = db->Query(
      "SELECT facts, collected_at, received_at FROM snapshots WHERE seq = ?1", {std::int64_t{1}});
  ASSERT_TRUE(query.ok());
  ASSERT_TRUE(*query->Step());
  mamori::v1::HostFacts facts;
  ASSERT_TRUE(facts.ParseFromString(query->ColumnText(0)));
  EXPECT_EQ(facts.inventory().hostname(), "reception-01");
  EXPECT_EQ(query->ColumnText(1), "2023-11-14T22:13:20Z");
  EXPECT_EQ(query->ColumnText(2), "2023-11-14T22:13:20Z");
}

TEST_F(AgentRecordStoreTest, AcknowledgesADuplicateSeqWithoutStoringItTwice) {
  Commit({{"agent-1", HelloMessage("agent-1"), kMonday}, {"agent-1", SnapshotMessage(1), kMonday}});
  const auto outcomes = Commit({{"agent-1", SnapshotMessage(1, "renamed"), kMonday}});
  ASSERT_TRUE(outcomes[0].ok()) << outcomes[0].status();
  EXPECT_TRUE(outcomes[0]->duplicate);
  EXPECT_EQ(outcomes[0]->last_committed_seq, 1u);
  EXPECT_EQ(Count("SELECT count(*) FROM snapshots"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM hosts WHERE hostname = 'renamed'"), 0);
}

TEST_F(AgentRecordStoreTest, RecordsAGapAndStillStoresTheRecordAfterIt) {
  Commit({{"agent-1", HelloMessage("agent-1"), kMonday}, {"agent-1", SnapshotMessage(1), kMonday}});
  const auto outcomes = Commit({{"agent-1", HeartbeatMessage(5), kMonday}});
  ASSERT_TRUE(outcomes[0].ok()) << outcomes[0].status();
  EXPECT_EQ(outcomes[0]->last_committed_seq, 5u);
  EXPECT_EQ(Count("SELECT count(*) FROM sequence_gaps WHERE agent_id = 'agent-1' AND "
                  "first_missing = 2 AND last_missing = 4"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM heartbeats WHERE seq = 5"), 1);
}

TEST_F(AgentRecordStoreTest, UpdatesTheHostsRowFromTheNewestSnapshot) {
  Commit({{"agent-1", HelloMessage("agent-1"), kMonday}, {"agent-1", SnapshotMessage(1), kMonday}});
  mamori::v1::AgentMessage upgraded = SnapshotMessage(2, "reception-02");
  upgraded.mutable_snapshot()->mutable_facts()->mutable_inventory()->set_os_version("13");
  Commit({{"agent-1", upgraded, kMonday + absl::Hours(2)}});

  absl::StatusOr<std::vector<HostSummary>> hosts = store_->ListHosts();
  ASSERT_TRUE(hosts.ok()) << hosts.status();
  ASSERT_EQ(hosts->size(), 1u);
  EXPECT_EQ((*hosts)[0].agent_id, "agent-1");
  EXPECT_EQ((*hosts)[0].hostname, "reception-02");
  EXPECT_EQ((*hosts)[0].os_name, "Debian GNU/Linux");
  EXPECT_EQ((*hosts)[0].os_version, "13");
  EXPECT_EQ((*hosts)[0].os_pretty_name, "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ((*hosts)[0].last_seen, kMonday + absl::Hours(2));
  EXPECT_EQ(Count("SELECT count(*) FROM hosts WHERE os_family = 'linux' AND "
                  "kernel_version = '6.1.0-18-amd64' AND architecture = 'x86_64' AND "
                  "last_snapshot_at = '2023-11-15T00:13:20Z'"),
            1);
}

TEST_F(AgentRecordStoreTest, HeartbeatMovesLastSeenForward) {
  Commit({{"agent-1", HelloMessage("agent-1"), kMonday}, {"agent-1", SnapshotMessage(1), kMonday}});
  Commit({{"agent-1", HeartbeatMessage(2), kMonday + absl::Minutes(5)}});
  absl::StatusOr<std::vector<HostSummary>> hosts = store_->ListHosts();
  ASSERT_TRUE(hosts.ok());
  ASSERT_EQ(hosts->size(), 1u);
  EXPECT_EQ((*hosts)[0].last_seen, kMonday + absl::Minutes(5));
  EXPECT_EQ(Count("SELECT count(*) FROM hosts WHERE last_seen = '2023-11-14T22:18:20Z'"), 1);
}

TEST_F(AgentRecordStoreTest, ListsAnAgentBeforeItsFirstSnapshotWithTheHelloHostname) {
  Commit({{"agent-2", HelloMessage("agent-2", "exam-room"), kMonday}});
  absl::StatusOr<std::vector<HostSummary>> hosts = store_->ListHosts();
  ASSERT_TRUE(hosts.ok());
  ASSERT_EQ(hosts->size(), 1u);
  EXPECT_EQ((*hosts)[0].hostname, "exam-room");
  EXPECT_EQ((*hosts)[0].os_name, "");
}

TEST_F(AgentRecordStoreTest, FailsOnlyTheRecordOfAnAgentThatNeverSaidHello) {
  const auto outcomes = Commit({
      {"stranger", SnapshotMessage(1), kMonday},
      {"agent-1", HelloMessage("agent-1"), kMonday},
      {"agent-1", SnapshotMessage(1), kMonday},
  });
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[0].status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(outcomes[1].ok());
  EXPECT_TRUE(outcomes[2].ok());
  EXPECT_EQ(Count("SELECT count(*) FROM snapshots"), 1);
}

TEST_F(AgentRecordStoreTest, ReportsZeroCommittedForAnUnknownAgent) {
  EXPECT_EQ(*store_->LastCommittedSeq("nobody"), 0u);
}

}  // namespace
}  // namespace mamori::collector
