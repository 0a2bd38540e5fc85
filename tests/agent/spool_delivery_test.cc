// The agent's spool delivered over the long-lived stream to the real collector (gateway, group
// committer, SQLite in a temp dir), in process: records survive a collector that is away, a crash
// between append and Ack sends nothing twice, the thinned count reaches the collector, and a
// second stream of one agent replaces the first.
#include "agent/spool_delivery.h"

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "absl/time/clock.h"
#include "collector/server/collector_identity.h"
#include "collector/server/collector_server.h"
#include "collector/storage/agent_record_store.h"
#include "collector/storage/schema.h"
#include "gtest/gtest.h"
#include "platform/spool/spool.h"
#include "tests/collector/temp_dir.h"
#include "tests/collector/test_messages.h"
#include "tests/collector/test_pki.h"

namespace mamori::agent {
namespace {

namespace spool = ::mamori::platform::spool;
using ::mamori::collector::AgentRecordStore;
using ::mamori::collector::CollectorIdentity;
using ::mamori::collector::CollectorServer;
using ::mamori::collector::Database;
using ::mamori::collector::Statement;
using ::mamori::collector::TrustStore;
using ::mamori::collector::testing::HeartbeatMessage;
using ::mamori::collector::testing::SnapshotMessage;
using ::mamori::collector::testing::TempDir;
using ::mamori::collector::testing::TlsChannel;

// The spooled form: as the collection loop writes it (seq 0, set when sent).
std::string Payload(mamori::v1::AgentMessage message) {
  if (message.has_snapshot()) {
    message.mutable_snapshot()->set_seq(0);
  } else {
    message.mutable_heartbeat()->set_seq(0);
  }
  return SpoolPayload(message);
}

class SpoolDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<AgentRecordStore> store =
        AgentRecordStore::Open(DatabasePath(), Database::OpenMode::kCreateIfMissing);
    ASSERT_TRUE(store.ok()) << store.status();
    store_.emplace(*std::move(store));
    absl::StatusOr<std::unique_ptr<TrustStore>> trust =
        TrustStore::Open(DatabasePath(), Database::OpenMode::kExistingOnly);
    ASSERT_TRUE(trust.ok()) << trust.status();
    trust_ = *std::move(trust);
    absl::StatusOr<CollectorIdentity> identity = collector::LoadOrIssueCollectorIdentity(
        dir_.path() / "collector", pki::DefaultServerNames(), absl::Now());
    ASSERT_TRUE(identity.ok()) << identity.status();
    identity_.emplace(*std::move(identity));
    agent_ = collector::testing::IssueRecorded(identity_->ca, *trust_, "reception-01",
                                               absl::Now() - absl::Hours(1),
                                               absl::Now() + absl::Hours(24));
    settings_.backoff.initial = absl::Milliseconds(50);
    settings_.backoff.cap = absl::Milliseconds(200);
    settings_.welcome_timeout = absl::Seconds(10);
  }

  void TearDown() override { StopCollector(); }

  void StartCollector() {
    absl::StatusOr<std::unique_ptr<CollectorServer>> server =
        CollectorServer::Start("127.0.0.1:0", *store_, *trust_, *identity_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    std::lock_guard lock(target_mu_);
    target_ = server_->address().ToString();
  }
  void StopCollector() {
    if (server_ != nullptr) {
      server_->Shutdown(absl::Seconds(1));
      server_.reset();
    }
  }

  // Where the agent dials: nothing listens on port 1 until a collector has started.
  ChannelFactory Channels() {
    return [this] {
      std::lock_guard lock(target_mu_);
      return TlsChannel(target_, identity_->ca.certificate().Pem(), agent_);
    };
  }

  std::unique_ptr<spool::Spool> OpenSpool(const std::filesystem::path& dir,
                                          spool::SpoolOptions options = {}) {
    spool::SpoolOpenResult opened = spool::Spool::Open(dir, options, 1);
    EXPECT_NE(opened.spool, nullptr) << opened.error;
    return std::move(opened.spool);
  }

  std::uint64_t Append(spool::Spool& records, const mamori::v1::AgentMessage& message) {
    const spool::AppendResult appended = records.Append(
        message.has_snapshot() ? spool::RecordKind::kSnapshot : spool::RecordKind::kHeartbeat,
        Payload(message));
    EXPECT_TRUE(appended.ok()) << appended.error;
    return appended.id;
  }

  std::filesystem::path DatabasePath() const { return dir_.path() / "mamori.db"; }

  std::int64_t Count(const std::string& sql) {
    absl::StatusOr<Database> db = Database::Open(DatabasePath(), Database::OpenMode::kExistingOnly,
                                                 collector::CollectorSchema());
    EXPECT_TRUE(db.ok()) << db.status();
    absl::StatusOr<Statement> query = db->Query(sql, {agent_.agent_id});
    EXPECT_TRUE(query.ok()) << query.status();
    EXPECT_TRUE(*query->Step());
    return query->ColumnInt64(0);
  }
  std::int64_t Snapshots() { return Count("SELECT count(*) FROM snapshots WHERE agent_id = ?1"); }
  std::int64_t Heartbeats() { return Count("SELECT count(*) FROM heartbeats WHERE agent_id = ?1"); }
  // Distinct seqs over both kinds: equal to the row count when nothing was stored twice.
  std::int64_t DistinctSeqs() {
    return Count(
        "SELECT count(DISTINCT seq) FROM (SELECT seq FROM snapshots WHERE agent_id = ?1 "
        "UNION ALL SELECT seq FROM heartbeats WHERE agent_id = ?1)");
  }

  // Polls until the spool holds nothing unacknowledged.
  static bool WaitUntilDrained(spool::Spool& records, absl::Duration timeout = absl::Seconds(20)) {
    const absl::Time until = absl::Now() + timeout;
    while (absl::Now() < until) {
      if (records.Stats().records == 0) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  TempDir dir_;
  std::optional<AgentRecordStore> store_;
  std::unique_ptr<TrustStore> trust_;
  std::optional<CollectorIdentity> identity_;
  collector::testing::AgentCredentials agent_;
  std::unique_ptr<CollectorServer> server_;
  std::mutex target_mu_;
  std::string target_ = "127.0.0.1:1";
  DeliverySettings settings_;
};

TEST_F(SpoolDeliveryTest, RecordsSpooledWhileTheCollectorIsAwayArriveOnceWhenItIsBack) {
  std::unique_ptr<spool::Spool> records = OpenSpool(dir_.path() / "spool");
  std::atomic<std::uint64_t> acknowledged{0};
  DeliveryEvents events;
  events.acknowledged = [&](std::uint64_t up_to) { acknowledged = up_to; };
  SpoolDelivery delivery(*records, Channels(), agent_.agent_id, "reception-01", settings_, events);
  delivery.Start();

  Append(*records, SnapshotMessage(0));
  for (int i = 0; i < 3; ++i) {
    Append(*records, HeartbeatMessage(0));
  }
  delivery.Notify();
  // Several reconnect attempts fail meanwhile; nothing leaves the spool.
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  EXPECT_EQ(records->Stats().records, 4u);
  EXPECT_EQ(records->Stats().acknowledged_id, 0u);

  StartCollector();
  ASSERT_TRUE(WaitUntilDrained(*records));
  // The owner hears of it just after the spool did.
  for (int i = 0; i < 100 && acknowledged.load() < 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(acknowledged.load(), 4u);
  EXPECT_EQ(Snapshots(), 1);
  EXPECT_EQ(Heartbeats(), 3);

  // The stream stays open: a record spooled later goes out on it.
  Append(*records, HeartbeatMessage(0));
  delivery.Notify();
  ASSERT_TRUE(WaitUntilDrained(*records));
  EXPECT_EQ(Heartbeats(), 4);
  EXPECT_EQ(DistinctSeqs(), 5);
  EXPECT_EQ(server_->live_agent_streams().replaced_streams(), 0u);
  delivery.Stop();
}

TEST_F(SpoolDeliveryTest, AnAgentKilledBeforeTheAckSendsAgainAndTheCollectorStoresEachOnce) {
  StartCollector();
  const std::filesystem::path live = dir_.path() / "spool";
  const std::filesystem::path crashed = dir_.path() / "spool-at-crash";
  {
    std::unique_ptr<spool::Spool> records = OpenSpool(live);
    Append(*records, SnapshotMessage(0));
    Append(*records, HeartbeatMessage(0));
    Append(*records, HeartbeatMessage(0));
  }
  // The disk as a kill -9 after the appends and before any Ack would leave it.
  std::filesystem::copy(live, crashed, std::filesystem::copy_options::recursive);
  {
    std::unique_ptr<spool::Spool> records = OpenSpool(live);
    SpoolDelivery delivery(*records, Channels(), agent_.agent_id, "reception-01", settings_, {});
    ASSERT_TRUE(delivery.DrainOnce(absl::Now() + absl::Seconds(20)).ok());
    EXPECT_EQ(records->Stats().acknowledged_id, 3u);
  }
  ASSERT_EQ(Snapshots(), 1);
  ASSERT_EQ(Heartbeats(), 2);

  // The restarted agent: its spool still holds 1..3 unacknowledged, and it observed one more.
  std::unique_ptr<spool::Spool> restarted = OpenSpool(crashed);
  ASSERT_EQ(restarted->Stats().records, 3u);
  Append(*restarted, HeartbeatMessage(0));
  SpoolDelivery delivery(*restarted, Channels(), agent_.agent_id, "reception-01", settings_, {});
  ASSERT_TRUE(delivery.DrainOnce(absl::Now() + absl::Seconds(20)).ok());
  EXPECT_EQ(restarted->Stats().records, 0u);
  EXPECT_EQ(restarted->Stats().acknowledged_id, 4u);
  EXPECT_EQ(Snapshots(), 1);
  EXPECT_EQ(Heartbeats(), 3);
  EXPECT_EQ(DistinctSeqs(), 4);
  EXPECT_EQ(Count("SELECT count(*) FROM sequence_gaps WHERE agent_id = ?1"), 0);
}

TEST_F(SpoolDeliveryTest, ARecordResentOnTheWireIsAcknowledgedAndNotStoredTwice) {
  StartCollector();
  std::unique_ptr<spool::Spool> records = OpenSpool(dir_.path() / "spool");
  Append(*records, SnapshotMessage(0));
  Append(*records, HeartbeatMessage(0));
  {
    SpoolDelivery delivery(*records, Channels(), agent_.agent_id, "reception-01", settings_, {});
    ASSERT_TRUE(delivery.DrainOnce(absl::Now() + absl::Seconds(20)).ok());
  }
  // A stream that sends seq 2 again, as an agent whose Ack was lost in flight would.
  auto stub = mamori::v1::AgentGateway::NewStub(Channels()());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  auto stream = stub->Connect(&context);
  ASSERT_TRUE(stream->Write(collector::testing::HelloMessage(agent_.agent_id, "reception-01")));
  mamori::v1::CollectorMessage reply;
  ASSERT_TRUE(stream->Read(&reply));
  ASSERT_TRUE(reply.has_welcome());
  EXPECT_EQ(reply.welcome().last_committed_seq(), 2u);
  ASSERT_TRUE(stream->Write(HeartbeatMessage(2)));
  ASSERT_TRUE(stream->Read(&reply));
  ASSERT_TRUE(reply.has_ack());
  EXPECT_EQ(reply.ack().seq(), 2u);
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
  EXPECT_EQ(Heartbeats(), 1);
  EXPECT_EQ(Snapshots(), 1);
}

TEST_F(SpoolDeliveryTest, TheThinnedHeartbeatCountReachesTheCollectorInHelloAndIsForgotten) {
  StartCollector();
  // A spool so small that heartbeats are thinned, as after a long time offline.
  std::unique_ptr<spool::Spool> records =
      OpenSpool(dir_.path() / "spool", {.max_bytes = 2048, .segment_bytes = 512});
  for (int i = 0; i < 60; ++i) {
    Append(*records, HeartbeatMessage(0));
  }
  const std::uint64_t thinned = records->Stats().thinned_heartbeats;
  ASSERT_GT(thinned, 0u);
  const std::uint64_t kept = records->Stats().records;

  SpoolDelivery delivery(*records, Channels(), agent_.agent_id, "reception-01", settings_, {});
  ASSERT_TRUE(delivery.DrainOnce(absl::Now() + absl::Seconds(20)).ok());
  EXPECT_EQ(server_->agent_gateway().thinned_heartbeats_reported(), thinned);
  EXPECT_EQ(records->Stats().thinned_heartbeats, 0u);
  EXPECT_EQ(Heartbeats(), static_cast<std::int64_t>(kept));
  EXPECT_EQ(thinned + kept, 60u);
}

TEST_F(SpoolDeliveryTest, ASecondStreamOfTheSameAgentReplacesTheFirst) {
  StartCollector();
  auto open = [this](grpc::ClientContext& context) {
    auto stub = mamori::v1::AgentGateway::NewStub(Channels()());
    auto stream = stub->Connect(&context);
    EXPECT_TRUE(stream->Write(collector::testing::HelloMessage(agent_.agent_id, "reception-01")));
    mamori::v1::CollectorMessage reply;
    EXPECT_TRUE(stream->Read(&reply));
    EXPECT_TRUE(reply.has_welcome());
    return std::make_pair(std::move(stub), std::move(stream));
  };
  grpc::ClientContext first_context;
  auto first = open(first_context);
  grpc::ClientContext second_context;
  auto second = open(second_context);

  // The first stream ends; the second still takes records.
  mamori::v1::CollectorMessage reply;
  EXPECT_FALSE(first.second->Read(&reply));
  EXPECT_EQ(first.second->Finish().error_code(), grpc::StatusCode::CANCELLED);
  ASSERT_TRUE(second.second->Write(HeartbeatMessage(1)));
  ASSERT_TRUE(second.second->Read(&reply));
  EXPECT_TRUE(reply.has_ack());
  EXPECT_EQ(server_->live_agent_streams().replaced_streams(), 1u);
  second.second->WritesDone();
  EXPECT_TRUE(second.second->Finish().ok());
}

TEST_F(SpoolDeliveryTest, ASnapshotAboveTheCollectorsBoundIsDroppedAndTheRestDelivered) {
  StartCollector();
  std::unique_ptr<spool::Spool> records = OpenSpool(dir_.path() / "spool");
  mamori::v1::AgentMessage huge = SnapshotMessage(0);
  for (int i = 0; i < 2000; ++i) {
    mamori::v1::InstalledSoftware* software =
        huge.mutable_snapshot()->mutable_facts()->mutable_inventory()->add_software();
    software->set_name(std::string(3000, 'a'));
  }
  ASSERT_GT(huge.ByteSizeLong(), 4u * 1024 * 1024);
  Append(*records, huge);
  Append(*records, HeartbeatMessage(0));
  SpoolDelivery delivery(*records, Channels(), agent_.agent_id, "reception-01", settings_, {});
  ASSERT_TRUE(delivery.DrainOnce(absl::Now() + absl::Seconds(20)).ok());
  EXPECT_EQ(records->Stats().records, 0u);
  EXPECT_EQ(Snapshots(), 0);
  EXPECT_EQ(Heartbeats(), 1);
}

}  // namespace
}  // namespace mamori::agent
