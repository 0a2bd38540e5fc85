#include "collector/server/agent_gateway.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "collector/server/collector_server.h"
#include "collector/storage/agent_record_store.h"
#include "collector/storage/schema.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mamori/v1/agent.grpc.pb.h"
#include "tests/collector/temp_dir.h"
#include "tests/collector/test_messages.h"

namespace mamori::collector {
namespace {

using ::mamori::collector::testing::HeartbeatMessage;
using ::mamori::collector::testing::HelloMessage;
using ::mamori::collector::testing::SnapshotMessage;
using ::mamori::collector::testing::TempDir;
using mamori::v1::AgentMessage;
using mamori::v1::CollectorMessage;
using ::testing::HasSubstr;

// One agent's session through the generated (typed) client.
struct AgentSession {
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReaderWriter<AgentMessage, CollectorMessage>> stream;

  // Sends `message` and returns the collector's reply, or nullopt if the stream ended instead.
  std::optional<CollectorMessage> Send(const AgentMessage& message) {
    if (!stream->Write(message)) {
      return std::nullopt;
    }
    CollectorMessage reply;
    if (!stream->Read(&reply)) {
      return std::nullopt;
    }
    return reply;
  }
};

// One agent's session through the generic client, which sends bytes exactly as given: the only way
// to put what a buggy or hostile agent would send on the wire.
class RawAgentSession {
 public:
  explicit RawAgentSession(const std::shared_ptr<grpc::Channel>& channel) : stub_(channel) {
    call_ = stub_.PrepareCall(&context_, "/mamori.v1.AgentGateway/Connect", &queue_);
    call_->StartCall(Tag(1));
    EXPECT_TRUE(Await(1));
  }
  ~RawAgentSession() {
    if (!finished_) {
      context_.TryCancel();
      grpc::Status ignored;
      call_->Finish(&ignored, Tag(99));
      Await(99);
    }
    queue_.Shutdown();
    void* tag = nullptr;
    bool ok = false;
    while (queue_.Next(&tag, &ok)) {
    }
  }

  // Writes `bytes` as one message; returns the reply's bytes, or nullopt if the stream ended.
  std::optional<std::string> Send(const std::string& bytes) {
    grpc::Slice slice(bytes);
    grpc::ByteBuffer outgoing(&slice, 1);
    call_->Write(outgoing, Tag(2));
    if (!Await(2)) {
      return std::nullopt;
    }
    grpc::ByteBuffer incoming;
    call_->Read(&incoming, Tag(3));
    if (!Await(3)) {
      return std::nullopt;
    }
    std::vector<grpc::Slice> slices;
    EXPECT_TRUE(incoming.Dump(&slices).ok());
    std::string reply;
    for (const grpc::Slice& part : slices) {
      reply.append(reinterpret_cast<const char*>(part.begin()), part.size());
    }
    return reply;
  }

  grpc::Status Finish() {
    grpc::Status status;
    call_->Finish(&status, Tag(4));
    EXPECT_TRUE(Await(4));
    finished_ = true;
    return status;
  }

 private:
  static void* Tag(std::intptr_t n) { return reinterpret_cast<void*>(n); }
  bool Await(std::intptr_t expected) {
    void* tag = nullptr;
    bool ok = false;
    EXPECT_TRUE(queue_.Next(&tag, &ok));
    EXPECT_EQ(tag, Tag(expected));
    return ok;
  }

  grpc::GenericStub stub_;
  grpc::ClientContext context_;
  grpc::CompletionQueue queue_;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call_;
  bool finished_ = false;
};

class AgentGatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<AgentRecordStore> store =
        AgentRecordStore::Open(DatabasePath(), Database::OpenMode::kCreateIfMissing);
    ASSERT_TRUE(store.ok()) << store.status();
    store_.emplace(*std::move(store));
    absl::StatusOr<std::unique_ptr<CollectorServer>> server =
        CollectorServer::Start("127.0.0.1:0", *store_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    ASSERT_NE(server_->address().port, 0);
    channel_ =
        grpc::CreateChannel(server_->address().ToString(), grpc::InsecureChannelCredentials());
    stub_ = mamori::v1::AgentGateway::NewStub(channel_);
  }

  void TearDown() override {
    if (server_ != nullptr) {
      server_->Shutdown(absl::Seconds(1));
    }
  }

  std::filesystem::path DatabasePath() const { return dir_.path() / "mamori.db"; }

  std::unique_ptr<AgentSession> Connect() {
    auto session = std::make_unique<AgentSession>();
    session->stream = stub_->Connect(&session->context);
    return session;
  }

  // A separate connection, as `mamori-collector hosts` would open while the server runs.
  AgentRecordStore Reader() {
    absl::StatusOr<AgentRecordStore> reader =
        AgentRecordStore::Open(DatabasePath(), Database::OpenMode::kExistingOnly);
    EXPECT_TRUE(reader.ok()) << reader.status();
    return *std::move(reader);
  }

  std::int64_t CountSnapshots(const std::string& agent_id) {
    absl::StatusOr<Database> db =
        Database::Open(DatabasePath(), Database::OpenMode::kExistingOnly, CollectorSchema());
    EXPECT_TRUE(db.ok()) << db.status();
    absl::StatusOr<Statement> query =
        db->Query("SELECT count(*) FROM snapshots WHERE agent_id = ?1", {agent_id});
    EXPECT_TRUE(query.ok());
    EXPECT_TRUE(*query->Step());
    return query->ColumnInt64(0);
  }

  // Hello then one snapshot, each answered; leaves the session open.
  std::unique_ptr<AgentSession> ConnectAndStoreOneSnapshot(const std::string& agent_id,
                                                           const std::string& hostname) {
    auto session = Connect();
    std::optional<CollectorMessage> welcome = session->Send(HelloMessage(agent_id, hostname));
    EXPECT_TRUE(welcome.has_value() && welcome->has_welcome());
    std::optional<CollectorMessage> ack = session->Send(SnapshotMessage(1, hostname));
    EXPECT_TRUE(ack.has_value() && ack->has_ack());
    return session;
  }

  TempDir dir_;
  std::optional<AgentRecordStore> store_;
  std::unique_ptr<CollectorServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<mamori::v1::AgentGateway::Stub> stub_;
};

TEST_F(AgentGatewayTest, WelcomesHelloAndAcksASnapshotAfterStoringIt) {
  auto session = Connect();
  std::optional<CollectorMessage> welcome = session->Send(HelloMessage("agent-1"));
  ASSERT_TRUE(welcome.has_value());
  ASSERT_TRUE(welcome->has_welcome());
  EXPECT_EQ(welcome->welcome().last_committed_seq(), 0u);
  EXPECT_GT(welcome->welcome().collector_time().seconds(), 1'700'000'000);

  std::optional<CollectorMessage> ack = session->Send(SnapshotMessage(1));
  ASSERT_TRUE(ack.has_value());
  ASSERT_TRUE(ack->has_ack());
  EXPECT_EQ(ack->ack().seq(), 1u);

  // The Ack promises the record is committed: another connection sees it at once.
  AgentRecordStore reader = Reader();
  EXPECT_EQ(*reader.LastCommittedSeq("agent-1"), 1u);
  EXPECT_EQ(CountSnapshots("agent-1"), 1);
  absl::StatusOr<std::vector<HostSummary>> hosts = reader.ListHosts();
  ASSERT_TRUE(hosts.ok());
  ASSERT_EQ(hosts->size(), 1u);
  EXPECT_EQ((*hosts)[0].os_pretty_name, "Debian GNU/Linux 12 (bookworm)");

  session->stream->WritesDone();
  EXPECT_TRUE(session->stream->Finish().ok());
}

TEST_F(AgentGatewayTest, AcksAHeartbeatAndReacksAReplayedSeq) {
  auto session = ConnectAndStoreOneSnapshot("agent-1", "reception-01");
  std::optional<CollectorMessage> ack = session->Send(HeartbeatMessage(2));
  ASSERT_TRUE(ack.has_value());
  EXPECT_EQ(ack->ack().seq(), 2u);
  std::optional<CollectorMessage> replay = session->Send(SnapshotMessage(1));
  ASSERT_TRUE(replay.has_value());
  EXPECT_EQ(replay->ack().seq(), 1u);
  EXPECT_EQ(CountSnapshots("agent-1"), 1);
}

TEST_F(AgentGatewayTest, WelcomesAReconnectingAgentWithItsLastCommittedSeq) {
  ConnectAndStoreOneSnapshot("agent-1", "reception-01");
  auto again = Connect();
  std::optional<CollectorMessage> welcome = again->Send(HelloMessage("agent-1"));
  ASSERT_TRUE(welcome.has_value());
  EXPECT_EQ(welcome->welcome().last_committed_seq(), 1u);
}

TEST_F(AgentGatewayTest, RejectsAStreamThatDoesNotStartWithHello) {
  auto session = Connect();
  EXPECT_FALSE(session->Send(SnapshotMessage(1)).has_value());
  const grpc::Status status = session->stream->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("must be Hello"));
  EXPECT_EQ(CountSnapshots("agent-1"), 0);
}

TEST_F(AgentGatewayTest, RejectsSnapshotWithOversizeHostnameAndKeepsServing) {
  auto first = ConnectAndStoreOneSnapshot("agent-1", "reception-01");
  EXPECT_FALSE(first->Send(SnapshotMessage(2, std::string(5000, 'h'))).has_value());
  const grpc::Status status = first->stream->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "snapshot.facts.inventory.hostname: longer than 4096 bytes");

  ConnectAndStoreOneSnapshot("agent-2", "exam-room");
  AgentRecordStore reader = Reader();
  EXPECT_EQ(*reader.LastCommittedSeq("agent-1"), 1u);
  EXPECT_EQ(*reader.LastCommittedSeq("agent-2"), 1u);
  EXPECT_EQ(CountSnapshots("agent-1"), 1);
  absl::StatusOr<std::vector<HostSummary>> hosts = reader.ListHosts();
  ASSERT_TRUE(hosts.ok());
  ASSERT_EQ(hosts->size(), 2u);
  EXPECT_EQ((*hosts)[0].hostname, "exam-room");
  EXPECT_EQ((*hosts)[1].hostname, "reception-01");
}

TEST_F(AgentGatewayTest, RejectsSnapshotWithoutFactsAndKeepsServing) {
  auto first = ConnectAndStoreOneSnapshot("agent-1", "reception-01");
  AgentMessage no_facts = SnapshotMessage(2);
  no_facts.mutable_snapshot()->clear_facts();
  EXPECT_FALSE(first->Send(no_facts).has_value());
  const grpc::Status status = first->stream->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "snapshot.facts: required");

  ConnectAndStoreOneSnapshot("agent-2", "exam-room");
  EXPECT_EQ(*Reader().LastCommittedSeq("agent-1"), 1u);
  EXPECT_EQ(CountSnapshots("agent-1"), 1);
}

TEST_F(AgentGatewayTest, RejectsSnapshotWithInvalidUtf8AndKeepsServing) {
  RawAgentSession raw(channel_);
  std::optional<std::string> welcome = raw.Send(HelloMessage("agent-1").SerializeAsString());
  ASSERT_TRUE(welcome.has_value());
  CollectorMessage parsed;
  ASSERT_TRUE(parsed.ParseFromString(*welcome));
  EXPECT_TRUE(parsed.has_welcome());
  std::optional<std::string> ack = raw.Send(SnapshotMessage(1, "reception-01").SerializeAsString());
  ASSERT_TRUE(ack.has_value());

  // Same length, so the surrounding length prefixes stay right: only the UTF-8 is broken.
  std::string bytes = SnapshotMessage(2, "reception-01").SerializeAsString();
  const std::size_t at = bytes.find("reception-01");
  ASSERT_NE(at, std::string::npos);
  bytes.replace(at + 10, 2, "\xff\xfe");
  EXPECT_FALSE(raw.Send(bytes).has_value());
  const grpc::Status status = raw.Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("UTF-8"));

  ConnectAndStoreOneSnapshot("agent-2", "exam-room");
  AgentRecordStore reader = Reader();
  EXPECT_EQ(*reader.LastCommittedSeq("agent-1"), 1u);
  EXPECT_EQ(*reader.LastCommittedSeq("agent-2"), 1u);
  EXPECT_EQ(CountSnapshots("agent-1"), 1);
}

TEST_F(AgentGatewayTest, RejectsBytesThatAreNotAProtobufMessage) {
  RawAgentSession raw(channel_);
  EXPECT_FALSE(raw.Send("\xff\xff\xff\xff").has_value());
  const grpc::Status status = raw.Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("not a valid AgentMessage"));
}

TEST_F(AgentGatewayTest, RejectsASecondHelloOnTheSameStream) {
  auto session = ConnectAndStoreOneSnapshot("agent-1", "reception-01");
  EXPECT_FALSE(session->Send(HelloMessage("agent-1")).has_value());
  EXPECT_EQ(session->stream->Finish().error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(AgentGatewayTest, AnswersEnrollWithUnimplementedForNow) {
  grpc::ClientContext context;
  mamori::v1::EnrollRequest request;
  mamori::v1::EnrollResponse response;
  const grpc::Status status = stub_->Enroll(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(status.error_message(), "enrollment arrives with the security work");
}

TEST_F(AgentGatewayTest, ShutsDownWithAnIdleStreamOpen) {
  auto session = ConnectAndStoreOneSnapshot("agent-1", "reception-01");
  server_->Shutdown(absl::Milliseconds(100));
  CollectorMessage reply;
  EXPECT_FALSE(session->stream->Read(&reply));
  EXPECT_FALSE(session->stream->Finish().ok());
  EXPECT_EQ(*Reader().LastCommittedSeq("agent-1"), 1u);
}

TEST(CollectorServer, RefusesToListenOnANonLoopbackAddress) {
  TempDir dir;
  absl::StatusOr<AgentRecordStore> store =
      AgentRecordStore::Open(dir.path() / "mamori.db", Database::OpenMode::kCreateIfMissing);
  ASSERT_TRUE(store.ok());
  absl::StatusOr<std::unique_ptr<CollectorServer>> server =
      CollectorServer::Start("0.0.0.0:0", *store);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(server.status().message(), HasSubstr("not a loopback address"));
}

}  // namespace
}  // namespace mamori::collector
