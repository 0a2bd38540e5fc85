#include "agent/agent_state.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace mamori::agent {
namespace {

class AgentStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("agent-state-" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(AgentStateTest, StartsTheCertificatesAgentAtSeqZeroInOwnerOnlyDirectory) {
  absl::StatusOr<AgentState> state = AgentState::LoadForAgent(dir_, "agent-a");
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->agent_id(), "agent-a");
  EXPECT_EQ(state->last_seq(), 0u);
  EXPECT_EQ(std::filesystem::status(dir_).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_all);
}

TEST_F(AgentStateTest, KeepsIdentityAndSeqAcrossRestarts) {
  std::string id;
  {
    absl::StatusOr<AgentState> state = AgentState::LoadForAgent(dir_, "agent-a");
    ASSERT_TRUE(state.ok());
    id = state->agent_id();
    ASSERT_EQ(*state->NextSeq(), 1u);
    ASSERT_EQ(*state->NextSeq(), 2u);
    ASSERT_TRUE(state->RecordAck(1).ok());
  }
  absl::StatusOr<AgentState> again = AgentState::LoadForAgent(dir_, "agent-a");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->agent_id(), id);
  EXPECT_EQ(again->last_seq(), 2u);
  EXPECT_EQ(again->last_acked_seq(), 1u);
  EXPECT_EQ(*again->NextSeq(), 3u);
}

TEST_F(AgentStateTest, ContinuesAboveCollectorsCommittedSeq) {
  absl::StatusOr<AgentState> state = AgentState::LoadForAgent(dir_, "agent-a");
  ASSERT_TRUE(state.ok());
  ASSERT_TRUE(state->ObserveCollectorSeq(41).ok());
  EXPECT_EQ(*state->NextSeq(), 42u);
  // A collector that knows less than the agent does not move the agent backwards.
  ASSERT_TRUE(state->ObserveCollectorSeq(5).ok());
  EXPECT_EQ(*state->NextSeq(), 43u);
}

TEST_F(AgentStateTest, ANewCertificateIdentityStartsOverAtSeqZero) {
  {
    absl::StatusOr<AgentState> old = AgentState::LoadForAgent(dir_, "locally-generated");
    ASSERT_TRUE(old.ok());
    ASSERT_EQ(*old->NextSeq(), 1u);
  }
  absl::StatusOr<AgentState> enrolled = AgentState::LoadForAgent(dir_, "agent-a");
  ASSERT_TRUE(enrolled.ok()) << enrolled.status();
  EXPECT_EQ(enrolled->agent_id(), "agent-a");
  EXPECT_EQ(enrolled->last_seq(), 0u);
  EXPECT_EQ(AgentState::LoadForAgent(dir_, "agent-a")->agent_id(), "agent-a");
}

TEST_F(AgentStateTest, RefusesDamagedStateInsteadOfMintingNewIdentity) {
  std::filesystem::create_directories(dir_);
  std::ofstream(dir_ / "agent-state.json") << "{\"agent_id\": 12";
  absl::StatusOr<AgentState> state = AgentState::LoadForAgent(dir_, "agent-a");
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(state.status().message().find("damaged"), std::string::npos);
}

TEST_F(AgentStateTest, RefusesAckedSeqAboveReservedSeq) {
  std::filesystem::create_directories(dir_);
  std::ofstream(dir_ / "agent-state.json")
      << R"({"agent_id": "agent-a", "last_seq": 1, "last_acked_seq": 5})";
  EXPECT_EQ(AgentState::LoadForAgent(dir_, "agent-a").status().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace mamori::agent
