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

}  // namespace
}  // namespace mamori::collector
