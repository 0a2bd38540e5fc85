#include "collector/ingest/group_committer.h"

#include <optional>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "tests/collector/temp_dir.h"
#include "tests/collector/test_messages.h"

namespace mamori::collector {
namespace {

using ::mamori::collector::testing::HelloMessage;
using ::mamori::collector::testing::SnapshotMessage;
using ::mamori::collector::testing::TempDir;

const absl::Time kNow = absl::FromUnixSeconds(1'700'000'000);

class GroupCommitterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<AgentRecordStore> store =
        AgentRecordStore::Open(dir_.path() / "mamori.db", Database::OpenMode::kCreateIfMissing);
    ASSERT_TRUE(store.ok()) << store.status();
    store_.emplace(*std::move(store));
  }

  TempDir dir_;
  std::optional<AgentRecordStore> store_;
};

TEST_F(GroupCommitterTest, CallsEveryStreamBackWithItsOwnOutcome) {
  GroupCommitter committer(*store_);
  constexpr int kAgents = 20;
  std::vector<absl::Notification> welcomed(kAgents);
  std::vector<absl::StatusOr<RecordOutcome>> outcomes(kAgents, absl::UnknownError("not called"));
  for (int i = 0; i < kAgents; ++i) {
    const std::string agent_id = "agent-" + std::to_string(i);
    committer.Submit(AgentRecord{agent_id, HelloMessage(agent_id), kNow},
                     [&, i](absl::StatusOr<RecordOutcome> outcome) {
                       outcomes[static_cast<std::size_t>(i)] = std::move(outcome);
                       welcomed[static_cast<std::size_t>(i)].Notify();
                     });
  }
  for (int i = 0; i < kAgents; ++i) {
    welcomed[static_cast<std::size_t>(i)].WaitForNotification();
    EXPECT_TRUE(outcomes[static_cast<std::size_t>(i)].ok());
  }
  absl::StatusOr<std::vector<HostSummary>> hosts = store_->ListHosts();
  ASSERT_TRUE(hosts.ok());
  EXPECT_EQ(hosts->size(), static_cast<std::size_t>(kAgents));
}

TEST_F(GroupCommitterTest, CommitsWhatIsQueuedBeforeShutdownAndRefusesWhatComesAfter) {
  GroupCommitter committer(*store_);
  absl::Notification welcomed;
  committer.Submit(AgentRecord{"agent-1", HelloMessage("agent-1"), kNow},
                   [&](absl::StatusOr<RecordOutcome> outcome) {
                     EXPECT_TRUE(outcome.ok());
                     welcomed.Notify();
                   });
  std::optional<absl::StatusOr<RecordOutcome>> acked;
  committer.Submit(AgentRecord{"agent-1", SnapshotMessage(1), kNow},
                   [&](absl::StatusOr<RecordOutcome> outcome) { acked = std::move(outcome); });
  committer.Shutdown();
  EXPECT_TRUE(welcomed.HasBeenNotified());
  ASSERT_TRUE(acked.has_value());
  EXPECT_TRUE(acked->ok());

  std::optional<absl::Status> late;
  committer.Submit(AgentRecord{"agent-1", SnapshotMessage(2), kNow},
                   [&](absl::StatusOr<RecordOutcome> outcome) { late = outcome.status(); });
  ASSERT_TRUE(late.has_value());
  EXPECT_EQ(late->code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(*store_->LastCommittedSeq("agent-1"), 1u);
}

TEST_F(GroupCommitterTest, RunsTasksOnTheWriterThreadBetweenBatches) {
  GroupCommitter committer(*store_);
  committer.Submit(AgentRecord{"agent-1", HelloMessage("agent-1"), kNow},
                   [](absl::StatusOr<RecordOutcome>) {});
  committer.Submit(AgentRecord{"agent-1", SnapshotMessage(1), kNow},
                   [](absl::StatusOr<RecordOutcome>) {});
  std::optional<std::uint64_t> seen_by_task;
  std::optional<std::uint64_t> seen_after_submit;
  absl::Notification snapshot_two_acked;
  absl::Notification task_done;
  std::optional<absl::Status> task_status;
  committer.SubmitTask(
      [&](AgentRecordStore& store) -> absl::Status {
        // Everything submitted before the task is committed; a record arriving while it runs
        // waits for the next batch.
        seen_by_task = *store.LastCommittedSeq("agent-1");
        committer.Submit(AgentRecord{"agent-1", SnapshotMessage(2), kNow},
                         [&](absl::StatusOr<RecordOutcome> outcome) {
                           EXPECT_TRUE(outcome.ok());
                           snapshot_two_acked.Notify();
                         });
        seen_after_submit = *store.LastCommittedSeq("agent-1");
        return store.RunInTransaction([](Database& db) {
          return db.Run("UPDATE agents SET contact_state = 'stale' WHERE agent_id = ?1",
                        {"agent-1"});
        });
      },
      [&](absl::Status status) {
        task_status = std::move(status);
        task_done.Notify();
      });
  task_done.WaitForNotification();
  snapshot_two_acked.WaitForNotification();
  ASSERT_TRUE(task_status.has_value());
  EXPECT_TRUE(task_status->ok()) << *task_status;
  EXPECT_EQ(seen_by_task, 1u);
  EXPECT_EQ(seen_after_submit, 1u);
  EXPECT_EQ(*store_->LastCommittedSeq("agent-1"), 2u);
}

TEST_F(GroupCommitterTest, ATaskThatFailsRollsBackItsOwnWritesOnly) {
  GroupCommitter committer(*store_);
  committer.Submit(AgentRecord{"agent-1", HelloMessage("agent-1"), kNow},
                   [](absl::StatusOr<RecordOutcome>) {});
  absl::Notification task_done;
  std::optional<absl::Status> task_status;
  committer.SubmitTask(
      [](AgentRecordStore& store) {
        return store.RunInTransaction([](Database& db) -> absl::Status {
          if (absl::Status status = db.Run(
                  "UPDATE agents SET contact_state = 'stale' WHERE agent_id = ?1", {"agent-1"});
              !status.ok()) {
            return status;
          }
          return absl::InternalError("sweep failed halfway");
        });
      },
      [&](absl::Status status) {
        task_status = std::move(status);
        task_done.Notify();
      });
  task_done.WaitForNotification();
  EXPECT_EQ(task_status->code(), absl::StatusCode::kInternal);
  committer.Shutdown();
  absl::StatusOr<std::string> state;
  ASSERT_TRUE(store_
                  ->RunInTransaction([&](Database& db) -> absl::Status {
                    absl::StatusOr<Statement> query = db.Query(
                        "SELECT contact_state FROM agents WHERE agent_id = ?1", {"agent-1"});
                    if (!query.ok()) {
                      return query.status();
                    }
                    absl::StatusOr<bool> row = query->Step();
                    if (!row.ok()) {
                      return row.status();
                    }
                    state = query->ColumnText(0);
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(*state, "never_reported");
}

TEST_F(GroupCommitterTest, AnswersTasksAfterShutdownWithUnavailable) {
  GroupCommitter committer(*store_);
  committer.Shutdown();
  bool ran = false;
  std::optional<absl::Status> answer;
  committer.SubmitTask(
      [&](AgentRecordStore&) {
        ran = true;
        return absl::OkStatus();
      },
      [&](absl::Status status) { answer = std::move(status); });
  EXPECT_FALSE(ran);
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace mamori::collector
