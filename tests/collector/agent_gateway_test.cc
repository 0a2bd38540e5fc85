#include "collector/server/agent_gateway.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <sys/stat.h>

#include <map>
#include <memory>
#include <string>
#include <thread>

#include "collector/pki/certificate_authority.h"
#include "collector/server/collector_identity.h"
#include "collector/server/collector_server.h"
#include "collector/server/enrollment.h"
#include "collector/storage/agent_record_store.h"
#include "collector/storage/schema.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mamori/v1/agent.grpc.pb.h"
#include "tests/collector/temp_dir.h"
#include "tests/collector/test_messages.h"
#include "tests/collector/test_pki.h"

namespace mamori::collector {
namespace {

using ::mamori::collector::testing::AgentCredentials;
using ::mamori::collector::testing::CsrFor;
using ::mamori::collector::testing::EnrollRequestFor;
using ::mamori::collector::testing::HeartbeatMessage;
using ::mamori::collector::testing::HelloMessage;
using ::mamori::collector::testing::IssueRecorded;
using ::mamori::collector::testing::IssueUnrecorded;
using ::mamori::collector::testing::NewKey;
using ::mamori::collector::testing::SnapshotMessage;
using ::mamori::collector::testing::TempDir;
using ::mamori::collector::testing::TlsChannel;
using mamori::v1::AgentMessage;
using mamori::v1::CollectorMessage;
using ::testing::HasSubstr;

// One agent's session through the generated (typed) client.
struct AgentSession {
  std::unique_ptr<mamori::v1::AgentGateway::Stub> stub;
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
    ASSERT_NE(server_->address().port, 0);
  }

  void TearDown() override {
    if (server_ != nullptr) {
      server_->Shutdown(absl::Seconds(1));
    }
  }

  std::filesystem::path DatabasePath() const { return dir_.path() / "mamori.db"; }
  std::string CaPem() const { return identity_->ca.certificate().Pem(); }

  std::shared_ptr<grpc::Channel> ChannelFor(const std::optional<AgentCredentials>& client) {
    return TlsChannel(server_->address().ToString(), CaPem(), client);
  }

  // The agent called `name` in a test, enrolled on first use with a valid certificate.
  const AgentCredentials& Agent(const std::string& name) {
    auto it = agents_.find(name);
    if (it == agents_.end()) {
      it = agents_
               .emplace(name,
                        IssueRecorded(identity_->ca, *trust_, name, absl::Now() - absl::Hours(1),
                                      absl::Now() + absl::Hours(24)))
               .first;
    }
    return it->second;
  }

  std::unique_ptr<AgentSession> Connect(const std::string& name) {
    return ConnectWith(ChannelFor(Agent(name)));
  }

  std::unique_ptr<AgentSession> ConnectWith(const std::shared_ptr<grpc::Channel>& channel) {
    auto session = std::make_unique<AgentSession>();
    session->stub = mamori::v1::AgentGateway::NewStub(channel);
    session->context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    session->stream = session->stub->Connect(&session->context);
    return session;
  }

  // A separate connection, as `mamori-collector hosts` would open while the server runs.
  AgentRecordStore Reader() {
    absl::StatusOr<AgentRecordStore> reader =
        AgentRecordStore::Open(DatabasePath(), Database::OpenMode::kExistingOnly);
    EXPECT_TRUE(reader.ok()) << reader.status();
    return *std::move(reader);
  }

  std::int64_t Count(const std::string& sql, const std::string& param = "") {
    absl::StatusOr<Database> db =
        Database::Open(DatabasePath(), Database::OpenMode::kExistingOnly, CollectorSchema());
    EXPECT_TRUE(db.ok()) << db.status();
    absl::StatusOr<Statement> query = param.empty() ? db->Query(sql, {}) : db->Query(sql, {param});
    EXPECT_TRUE(query.ok()) << query.status();
    EXPECT_TRUE(*query->Step());
    return query->ColumnInt64(0);
  }

  std::int64_t CountSnapshots(const std::string& agent_id) {
    return Count("SELECT count(*) FROM snapshots WHERE agent_id = ?1", agent_id);
  }
  std::int64_t CountAgents() { return Count("SELECT count(*) FROM agents"); }
  std::int64_t UsesLeft(const std::string& token_id) {
    return Count("SELECT uses_left FROM enrollment_tokens WHERE token_id = ?1", token_id);
  }

  // Hello then one snapshot, each answered; leaves the session open.
  std::unique_ptr<AgentSession> ConnectAndStoreOneSnapshot(const std::string& agent_id,
                                                           const std::string& hostname) {
    auto session = Connect(agent_id);
    std::optional<CollectorMessage> welcome = session->Send(HelloMessage(agent_id, hostname));
    EXPECT_TRUE(welcome.has_value() && welcome->has_welcome());
    std::optional<CollectorMessage> ack = session->Send(SnapshotMessage(1, hostname));
    EXPECT_TRUE(ack.has_value() && ack->has_ack());
    return session;
  }

  grpc::Status Enroll(const mamori::v1::EnrollRequest& request,
                      mamori::v1::EnrollResponse* response,
                      const std::optional<AgentCredentials>& client = std::nullopt) {
    auto stub = mamori::v1::AgentGateway::NewStub(ChannelFor(client));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    return stub->Enroll(&context, request, response);
  }

  grpc::Status Renew(const std::optional<AgentCredentials>& client, const std::string& csr,
                     mamori::v1::EnrollResponse* response) {
    auto stub = mamori::v1::AgentGateway::NewStub(ChannelFor(client));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    mamori::v1::RenewRequest request;
    request.set_csr_der(csr);
    return stub->Renew(&context, request, response);
  }

  // Asserts that the stream was refused with exactly `code` and `message`.
  static void ExpectRefused(AgentSession& session, grpc::StatusCode code,
                            const std::string& message) {
    EXPECT_FALSE(session.Send(HelloMessage("anyone")).has_value());
    const grpc::Status status = session.stream->Finish();
    EXPECT_EQ(status.error_code(), code) << status.error_message();
    EXPECT_EQ(status.error_message(), message);
  }

  TempDir dir_;
  std::optional<AgentRecordStore> store_;
  std::unique_ptr<TrustStore> trust_;
  std::optional<CollectorIdentity> identity_;
  std::unique_ptr<CollectorServer> server_;
  std::map<std::string, AgentCredentials> agents_;
};

TEST_F(AgentGatewayTest, WelcomesHelloAndAcksASnapshotAfterStoringIt) {
  auto session = Connect("agent-1");
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
  auto again = Connect("agent-1");
  std::optional<CollectorMessage> welcome = again->Send(HelloMessage("agent-1"));
  ASSERT_TRUE(welcome.has_value());
  EXPECT_EQ(welcome->welcome().last_committed_seq(), 1u);
}

TEST_F(AgentGatewayTest, RejectsAStreamThatDoesNotStartWithHello) {
  auto session = Connect("agent-1");
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
  RawAgentSession raw(ChannelFor(Agent("agent-1")));
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
  RawAgentSession raw(ChannelFor(Agent("agent-1")));
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

TEST_F(AgentGatewayTest, ShutsDownWithAnIdleStreamOpen) {
  auto session = ConnectAndStoreOneSnapshot("agent-1", "reception-01");
  server_->Shutdown(absl::Milliseconds(100));
  CollectorMessage reply;
  EXPECT_FALSE(session->stream->Read(&reply));
  EXPECT_FALSE(session->stream->Finish().ok());
  EXPECT_EQ(*Reader().LastCommittedSeq("agent-1"), 1u);
}

// --- Enrollment and renewal -------------------------------------------------------------------

TEST_F(AgentGatewayTest, EnrollsWithATokenAndTheNewCertificateOpensAStream) {
  absl::StatusOr<NewEnrollmentToken> token =
      trust_->CreateToken("reception", absl::Hours(1), 1, absl::Now());
  pki::PrivateKey key = NewKey();
  mamori::v1::EnrollResponse response;
  const grpc::Status status = Enroll(EnrollRequestFor(token->token, CsrFor(key)), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.agent_id().size(), 32u);
  ASSERT_EQ(response.ca_chain_der_size(), 1);
  EXPECT_EQ(pki::Sha256Fingerprint(response.ca_chain_der(0)),
            identity_->ca.certificate().Fingerprint());
  absl::StatusOr<pki::Certificate> cert = pki::Certificate::FromDer(response.certificate_der());
  ASSERT_TRUE(cert.ok());
  EXPECT_EQ(cert->CommonName(), response.agent_id());
  EXPECT_TRUE(cert->MatchesKey(key));
  EXPECT_NEAR(absl::ToDoubleHours(cert->NotAfter() - absl::Now()), 24.0 * 90, 0.1);
  EXPECT_EQ(response.not_after().seconds(), absl::ToUnixSeconds(cert->NotAfter()));
  EXPECT_EQ(UsesLeft(token->token_id), 0);

  const AgentCredentials agent{response.agent_id(), *key.ToPem(), cert->Pem(), cert->SerialHex()};
  auto session = ConnectWith(ChannelFor(agent));
  std::optional<CollectorMessage> welcome = session->Send(HelloMessage(agent.agent_id));
  ASSERT_TRUE(welcome.has_value() && welcome->has_welcome());
  std::optional<CollectorMessage> ack = session->Send(SnapshotMessage(1));
  ASSERT_TRUE(ack.has_value() && ack->has_ack());
  EXPECT_EQ(CountSnapshots(agent.agent_id), 1);
}

TEST_F(AgentGatewayTest, RefusesWrongExpiredRevokedAndUsedUpTokensAlikeAndStoresNothing) {
  const absl::Time now = absl::Now();
  absl::StatusOr<NewEnrollmentToken> used = trust_->CreateToken("used", absl::Hours(1), 1, now);
  mamori::v1::EnrollResponse first;
  ASSERT_TRUE(Enroll(EnrollRequestFor(used->token, CsrFor(NewKey())), &first).ok());
  absl::StatusOr<NewEnrollmentToken> revoked = trust_->CreateToken("rev", absl::Hours(1), 3, now);
  ASSERT_TRUE(trust_->RevokeToken(revoked->token_id, now).ok());
  // Created "two hours ago" with a one-hour lifetime.
  absl::StatusOr<NewEnrollmentToken> expired =
      trust_->CreateToken("old", absl::Hours(1), 3, now - absl::Hours(2));
  const std::int64_t agents_before = CountAgents();

  for (const std::string& token :
       {std::string("mmr1.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), used->token, revoked->token,
        expired->token, std::string(), std::string(500, 'x')}) {
    mamori::v1::EnrollResponse response;
    const grpc::Status status = Enroll(EnrollRequestFor(token, CsrFor(NewKey())), &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << token;
    EXPECT_EQ(status.error_message(), "enrollment token is not valid");
    EXPECT_TRUE(response.certificate_der().empty());
  }
  EXPECT_EQ(CountAgents(), agents_before);
  EXPECT_EQ(UsesLeft(revoked->token_id), 3);
  EXPECT_EQ(UsesLeft(expired->token_id), 3);
  EXPECT_EQ(Count("SELECT count(*) FROM agent_certificates"), 1);
}

TEST_F(AgentGatewayTest, TwoAgentsRacingForTheLastTokenUseExactlyOneIsEnrolled) {
  absl::StatusOr<NewEnrollmentToken> token =
      trust_->CreateToken("last one", absl::Hours(1), 1, absl::Now());
  grpc::Status results[2];
  std::thread racers[2];
  for (int i = 0; i < 2; ++i) {
    racers[i] = std::thread([&, i] {
      mamori::v1::EnrollResponse response;
      results[i] = Enroll(EnrollRequestFor(token->token, CsrFor(NewKey())), &response);
    });
  }
  racers[0].join();
  racers[1].join();
  EXPECT_NE(results[0].ok(), results[1].ok());
  const grpc::Status& loser = results[0].ok() ? results[1] : results[0];
  EXPECT_EQ(loser.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(loser.error_message(), "enrollment token is not valid");
  EXPECT_EQ(CountAgents(), 1);
  EXPECT_EQ(UsesLeft(token->token_id), 0);
}

TEST_F(AgentGatewayTest, RefusesAMalformedOrHugeSubjectCsrWithoutUsingTheToken) {
  absl::StatusOr<NewEnrollmentToken> token =
      trust_->CreateToken("csr", absl::Hours(1), 1, absl::Now());
  pki::PrivateKey key = NewKey();
  pki::X509ReqPtr request(X509_REQ_new());
  const std::string huge(3000, 'h');
  X509_NAME_add_entry_by_txt(X509_REQ_get_subject_name(request.get()), "CN", V_ASN1_UTF8STRING,
                             reinterpret_cast<const unsigned char*>(huge.data()),
                             static_cast<int>(huge.size()), -1, 0);
  X509_REQ_set_pubkey(request.get(), key.get());
  X509_REQ_sign(request.get(), key.get(), EVP_sha256());
  unsigned char* out = nullptr;
  const int size = i2d_X509_REQ(request.get(), &out);
  const std::string huge_subject(reinterpret_cast<char*>(out), static_cast<std::size_t>(size));
  OPENSSL_free(out);

  const std::pair<std::string, std::string> cases[] = {
      {huge_subject, "csr: a subject entry is longer than 64 bytes"},
      {"\x30\x82\x01\x00garbage", "csr: not a DER PKCS#10 certificate request"},
      {std::string(10'000, '\x30'), "csr: larger than 8192 bytes"},
  };
  for (const auto& [csr, message] : cases) {
    mamori::v1::EnrollResponse response;
    const grpc::Status status = Enroll(EnrollRequestFor(token->token, csr), &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(status.error_message(), message);
  }
  EXPECT_EQ(UsesLeft(token->token_id), 1);
  EXPECT_EQ(CountAgents(), 0);
}

TEST_F(AgentGatewayTest, EnrollIsNotForCallersThatAlreadyHaveACertificate) {
  absl::StatusOr<NewEnrollmentToken> token =
      trust_->CreateToken("x", absl::Hours(1), 1, absl::Now());
  mamori::v1::EnrollResponse response;
  const grpc::Status status =
      Enroll(EnrollRequestFor(token->token, CsrFor(NewKey())), &response, Agent("agent-1"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(), "Enroll is not allowed for agent agent-1");
  EXPECT_EQ(UsesLeft(token->token_id), 1);
}

TEST_F(AgentGatewayTest, RenewsOverMutualTlsForTheSameAgent) {
  const AgentCredentials& agent = Agent("agent-1");
  pki::PrivateKey key = NewKey();
  mamori::v1::EnrollResponse response;
  const grpc::Status status = Renew(agent, CsrFor(key), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.agent_id(), "agent-1");
  absl::StatusOr<pki::Certificate> cert = pki::Certificate::FromDer(response.certificate_der());
  ASSERT_TRUE(cert.ok());
  EXPECT_EQ(cert->CommonName(), "agent-1");
  EXPECT_NE(cert->SerialHex(), agent.serial);
  EXPECT_EQ(Count("SELECT count(*) FROM agent_certificates WHERE agent_id = ?1", "agent-1"), 2);

  const AgentCredentials renewed{"agent-1", *key.ToPem(), cert->Pem(), cert->SerialHex()};
  auto session = ConnectWith(ChannelFor(renewed));
  std::optional<CollectorMessage> welcome = session->Send(HelloMessage("agent-1"));
  EXPECT_TRUE(welcome.has_value() && welcome->has_welcome());
}

TEST_F(AgentGatewayTest, RenewRequiresAnAgentCertificate) {
  mamori::v1::EnrollResponse response;
  const grpc::Status status = Renew(std::nullopt, CsrFor(NewKey()), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(status.error_message(), "Renew requires a client certificate");
  EXPECT_EQ(Count("SELECT count(*) FROM agent_certificates"), 0);
}

// --- The attack matrix on Connect ------------------------------------------------------------

TEST_F(AgentGatewayTest, RefusesConnectWithoutAClientCertificate) {
  auto session = ConnectWith(ChannelFor(std::nullopt));
  ExpectRefused(*session, grpc::StatusCode::UNAUTHENTICATED,
                "Connect requires a client certificate");
  EXPECT_EQ(CountAgents(), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM snapshots"), 0);
}

TEST_F(AgentGatewayTest, RefusesACertificateFromAnotherCaInTheHandshake) {
  absl::StatusOr<pki::CertificateAuthority> other =
      pki::CertificateAuthority::Create("attacker CA", absl::Now());
  ASSERT_TRUE(other.ok());
  const AgentCredentials forged = IssueUnrecorded(*other, "agent-1", absl::Now() - absl::Hours(1),
                                                  absl::Now() + absl::Hours(1));
  auto session = ConnectWith(ChannelFor(forged));
  EXPECT_FALSE(session->Send(HelloMessage("agent-1")).has_value());
  const grpc::Status status = session->stream->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_EQ(CountAgents(), 0);
}

TEST_F(AgentGatewayTest, RefusesAnExpiredCertificateInTheHandshake) {
  const AgentCredentials expired =
      IssueRecorded(identity_->ca, *trust_, "agent-old", absl::Now() - absl::Hours(48),
                    absl::Now() - absl::Hours(24));
  auto session = ConnectWith(ChannelFor(expired));
  EXPECT_FALSE(session->Send(HelloMessage("agent-old")).has_value());
  const grpc::Status status = session->stream->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_EQ(Count("SELECT count(*) FROM snapshots"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM agents WHERE last_seen != first_seen"), 0);
}

TEST_F(AgentGatewayTest, RefusesACertificateOfOurCaThatWasNeverRecorded) {
  const AgentCredentials unrecorded = IssueUnrecorded(
      identity_->ca, "agent-x", absl::Now() - absl::Hours(1), absl::Now() + absl::Hours(1));
  auto session = ConnectWith(ChannelFor(unrecorded));
  ExpectRefused(*session, grpc::StatusCode::UNAUTHENTICATED,
                "certificate " + unrecorded.serial + " is not known to this collector");
  EXPECT_EQ(CountAgents(), 0);
}

TEST_F(AgentGatewayTest, RefusesAHelloThatClaimsAnotherAgentAndStoresNothing) {
  Agent("victim");
  Agent("agent-1");
  const std::int64_t agents_before = CountAgents();
  auto session = Connect("agent-1");
  EXPECT_FALSE(session->Send(HelloMessage("victim", "evil-host")).has_value());
  const grpc::Status status = session->stream->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(),
            "Hello claims agent victim but the certificate is for agent agent-1");
  EXPECT_EQ(CountAgents(), agents_before);
  EXPECT_EQ(Count("SELECT count(*) FROM agents WHERE hostname = 'evil-host'"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM agents WHERE agent_version != '0.1.0'"), 0);
}

TEST_F(AgentGatewayTest, HostRemovalClosesTheLiveStreamAndRefusesTheCertificateAfterwards) {
  auto session = ConnectAndStoreOneSnapshot("agent-1", "reception-01");
  const std::string serial = Agent("agent-1").serial;

  // `mamori-collector host remove` is another process with its own database connection.
  absl::StatusOr<std::unique_ptr<TrustStore>> cli =
      TrustStore::Open(DatabasePath(), Database::OpenMode::kExistingOnly);
  ASSERT_TRUE(cli.ok());
  const absl::Time removed_at = absl::Now();
  ASSERT_TRUE((*cli)->RemoveHost("reception-01", removed_at).ok());

  CollectorMessage reply;
  EXPECT_FALSE(session->stream->Read(&reply)) << "the stream should have been closed";
  const grpc::Status closed = session->stream->Finish();
  EXPECT_EQ(closed.error_code(), grpc::StatusCode::CANCELLED) << closed.error_message();
  EXPECT_LT(absl::Now() - removed_at, absl::Seconds(3));

  auto again = Connect("agent-1");
  ExpectRefused(*again, grpc::StatusCode::UNAUTHENTICATED,
                "certificate " + serial + " of agent agent-1 has been revoked");
  mamori::v1::EnrollResponse response;
  const grpc::Status renew = Renew(Agent("agent-1"), CsrFor(NewKey()), &response);
  EXPECT_EQ(renew.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(CountSnapshots("agent-1"), 1);
  EXPECT_TRUE(Reader().ListHosts()->empty()) << "a removed host is no longer listed";
}

TEST(CollectorServer, ListensOnAnyAddressNowThatItIsTls) {
  TempDir dir;
  absl::StatusOr<AgentRecordStore> store =
      AgentRecordStore::Open(dir.path() / "mamori.db", Database::OpenMode::kCreateIfMissing);
  absl::StatusOr<std::unique_ptr<TrustStore>> trust =
      TrustStore::Open(dir.path() / "mamori.db", Database::OpenMode::kExistingOnly);
  absl::StatusOr<CollectorIdentity> identity =
      LoadOrIssueCollectorIdentity(dir.path(), pki::DefaultServerNames(), absl::Now());
  ASSERT_TRUE(store.ok() && trust.ok() && identity.ok());
  absl::StatusOr<std::unique_ptr<CollectorServer>> server =
      CollectorServer::Start("0.0.0.0:0", *store, **trust, *identity);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_NE((*server)->address().port, 0);
  EXPECT_EQ(CollectorServer::Start("localhost:0", *store, **trust, *identity).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CollectorIdentity, ReusesTheServerCertificateUntilItsNamesChange) {
  TempDir dir;
  const std::vector<std::string> names = {"mamori-collector", "127.0.0.1"};
  absl::StatusOr<CollectorIdentity> first =
      LoadOrIssueCollectorIdentity(dir.path(), names, absl::Now());
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<CollectorIdentity> same =
      LoadOrIssueCollectorIdentity(dir.path(), names, absl::Now());
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->server_certificate.SerialHex(), first->server_certificate.SerialHex());
  EXPECT_EQ(same->ca.certificate().Fingerprint(), first->ca.certificate().Fingerprint());

  const std::vector<std::string> more = {"mamori-collector", "127.0.0.1", "192.168.1.10"};
  absl::StatusOr<CollectorIdentity> renamed =
      LoadOrIssueCollectorIdentity(dir.path(), more, absl::Now());
  ASSERT_TRUE(renamed.ok());
  EXPECT_NE(renamed->server_certificate.SerialHex(), first->server_certificate.SerialHex());
  EXPECT_EQ(renamed->ca.certificate().Fingerprint(), first->ca.certificate().Fingerprint());

  // Eleven months later the certificate is within 30 days of expiry: re-issued.
  absl::StatusOr<CollectorIdentity> later =
      LoadOrIssueCollectorIdentity(dir.path(), more, absl::Now() + absl::Hours(24 * 340));
  ASSERT_TRUE(later.ok());
  EXPECT_NE(later->server_certificate.SerialHex(), renamed->server_certificate.SerialHex());
  struct stat info {};
  ASSERT_EQ(::stat((PkiDirectory(dir.path()) / "server.key").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((PkiDirectory(dir.path()) / "ca.key").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}
}  // namespace
}  // namespace mamori::collector
