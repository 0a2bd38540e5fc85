#include "collector/ingest/validate.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/collector/test_messages.h"

namespace mamori::collector {
namespace {

using ::mamori::collector::testing::HeartbeatMessage;
using ::mamori::collector::testing::HelloMessage;
using ::mamori::collector::testing::SnapshotMessage;

void ExpectInvalid(const mamori::v1::AgentMessage& message, const std::string& reason) {
  const absl::Status status = ValidateAgentMessage(message);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_EQ(status.message(), reason);
}

TEST(ValidateAgentMessage, AcceptsWellFormedHelloSnapshotAndHeartbeat) {
  EXPECT_TRUE(ValidateAgentMessage(HelloMessage("agent-1.clinic_A")).ok());
  EXPECT_TRUE(ValidateAgentMessage(SnapshotMessage(1)).ok());
  EXPECT_TRUE(ValidateAgentMessage(HeartbeatMessage(2)).ok());
}

TEST(ValidateAgentMessage, RejectsAMessageWithNoBody) {
  ExpectInvalid(mamori::v1::AgentMessage(), "agent_message: no hello, snapshot or heartbeat");
}

TEST(ValidateAgentMessage, RejectsHelloWithoutAgentId) {
  ExpectInvalid(HelloMessage(""), "hello.agent_id: required");
}

TEST(ValidateAgentMessage, RejectsHelloWithAgentIdOutsideTheAllowedAlphabet) {
  ExpectInvalid(HelloMessage("agent/../1"), "hello.agent_id: must match ^[A-Za-z0-9._-]{1,64}$");
  ExpectInvalid(HelloMessage(std::string(65, 'a')),
                "hello.agent_id: must match ^[A-Za-z0-9._-]{1,64}$");
}

TEST(ValidateAgentMessage, RejectsHelloWithoutHostname) {
  ExpectInvalid(HelloMessage("agent-1", ""), "hello.hostname: required");
}

TEST(ValidateAgentMessage, RejectsSnapshotWithoutSeq) {
  ExpectInvalid(SnapshotMessage(0), "snapshot.seq: required (sequence numbers start at 1)");
}

TEST(ValidateAgentMessage, RejectsSeqBeyondWhatSqliteCanStore) {
  ExpectInvalid(HeartbeatMessage(1ull << 63), "heartbeat.seq: larger than 2^63-1");
}

TEST(ValidateAgentMessage, RejectsSnapshotWithoutFacts) {
  mamori::v1::AgentMessage message = SnapshotMessage(1);
  message.mutable_snapshot()->clear_facts();
  ExpectInvalid(message, "snapshot.facts: required");
}

TEST(ValidateAgentMessage, RejectsSnapshotWithoutInventoryHostname) {
  mamori::v1::AgentMessage message = SnapshotMessage(1, "");
  ExpectInvalid(message, "snapshot.facts.inventory.hostname: required");
}

TEST(ValidateAgentMessage, RejectsHeartbeatWithoutSeq) {
  ExpectInvalid(HeartbeatMessage(0), "heartbeat.seq: required (sequence numbers start at 1)");
}

TEST(ValidateAgentMessage, RejectsAnOversizeStringNamingItsPath) {
  ExpectInvalid(SnapshotMessage(1, std::string(4097, 'h')),
                "snapshot.facts.inventory.hostname: longer than 4096 bytes");
}

TEST(ValidateAgentMessage, AcceptsAStringOfExactlyTheLimit) {
  EXPECT_TRUE(ValidateAgentMessage(SnapshotMessage(1, std::string(4096, 'h'))).ok());
}

TEST(ValidateAgentMessage, RejectsAnOversizeStringInsideARepeatedMessage) {
  mamori::v1::AgentMessage message = SnapshotMessage(1);
  auto* inventory = message.mutable_snapshot()->mutable_facts()->mutable_inventory();
  inventory->add_software()->set_name("ok");
  inventory->add_software()->set_publisher(std::string(5000, 'p'));
  ExpectInvalid(message, "snapshot.facts.inventory.software[1].publisher: longer than 4096 bytes");
}

TEST(ValidateAgentMessage, RejectsTooManyRepeatedEntries) {
  mamori::v1::AgentMessage message = SnapshotMessage(1);
  auto* pending = message.mutable_snapshot()->mutable_facts()->mutable_patch()->mutable_pending();
  for (int i = 0; i < 10'001; ++i) {
    pending->Add();
  }
  ExpectInvalid(message, "snapshot.facts.patch.pending: more than 10000 entries");
}

TEST(ValidateAgentMessage, RejectsTooManyRepeatedStrings) {
  mamori::v1::AgentMessage message = SnapshotMessage(1);
  auto* account = message.mutable_snapshot()->mutable_facts()->mutable_accounts()->add_accounts();
  for (int i = 0; i < 10'001; ++i) {
    account->add_groups("staff");
  }
  ExpectInvalid(message, "snapshot.facts.accounts.accounts[0].groups: more than 10000 entries");
}

TEST(ValidateAgentMessage, RejectsInvalidUtf8InAMessageBuiltInProcess) {
  mamori::v1::AgentMessage message = SnapshotMessage(1);
  message.mutable_snapshot()->mutable_facts()->mutable_inventory()->set_os_name("Debian \xff");
  ExpectInvalid(message, "snapshot.facts.inventory.os_name: not valid UTF-8");
}

TEST(ValidateAgentMessage, RejectsATimestampBeyondYear9999) {
  mamori::v1::AgentMessage message = SnapshotMessage(1);
  message.mutable_snapshot()->mutable_collected_at()->set_seconds(253'402'300'800);
  ExpectInvalid(message, "snapshot.collected_at: timestamp outside 0001-01-01 .. 9999-12-31");
}

TEST(ValidateAgentMessage, RejectsTimestampNanosOutOfRange) {
  mamori::v1::AgentMessage message = HeartbeatMessage(1);
  message.mutable_heartbeat()->mutable_sent_at()->set_nanos(-1);
  ExpectInvalid(message, "heartbeat.sent_at: timestamp nanos outside 0 .. 999999999");
}

TEST(ValidateAgentMessage, RejectsADurationWithMismatchedSigns) {
  mamori::v1::AgentMessage message = HeartbeatMessage(1);
  message.mutable_heartbeat()->mutable_uptime()->set_seconds(5);
  message.mutable_heartbeat()->mutable_uptime()->set_nanos(-5);
  ExpectInvalid(message, "heartbeat.uptime: duration nanos out of range or of the wrong sign");
}

TEST(ValidateAgentMessage, RejectsAMessageLargerThanFourMebibytes) {
  mamori::v1::AgentMessage message = SnapshotMessage(1);
  auto* software =
      message.mutable_snapshot()->mutable_facts()->mutable_inventory()->mutable_software();
  for (int i = 0; i < 1100; ++i) {
    software->Add()->set_name(std::string(4000, 'x'));
  }
  ExpectInvalid(message, "agent_message: larger than 4194304 bytes");
}

TEST(IsValidUtf8, AcceptsJapaneseAndRejectsOverlongAndSurrogateForms) {
  EXPECT_TRUE(IsValidUtf8("受付-01"));
  EXPECT_TRUE(IsValidUtf8("\xf0\x9f\x98\x80"));   // U+1F600
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // U+D800, a UTF-16 surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xe3\x81"));          // truncated
}

}  // namespace
}  // namespace mamori::collector
