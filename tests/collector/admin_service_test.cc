// The people's side of the collector over real TLS on loopback: the role table, the audit of every
// call and refusal, and the attacks a LAN neighbour or a stolen credential would try (wrong role,
// agent certificates, oversized messages, old TLS versions).
#include "collector/server/admin_service.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>

#include "collector/people/user_bundle.h"
#include "collector/pki/key_files.h"
#include "collector/server/collector_server.h"
#include "collector/storage/audit_log.h"
#include "collector/storage/schema.h"
#include "collector/storage/user_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mamori/v1/admin.grpc.pb.h"
#include "tests/collector/temp_dir.h"
#include "tests/collector/test_messages.h"
#include "tests/collector/test_pki.h"

namespace mamori::collector {
namespace {

using ::mamori::collector::testing::AgentCredentials;
using ::mamori::collector::testing::HelloMessage;
using ::mamori::collector::testing::IssueRecorded;
using ::mamori::collector::testing::TempDir;
using ::mamori::collector::testing::TlsChannel;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

class CollectorAdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<AgentRecordStore> store =
        AgentRecordStore::Open(DatabasePath(), Database::OpenMode::kCreateIfMissing);
    ASSERT_TRUE(store.ok()) << store.status();
    store_.emplace(*std::move(store));
    absl::StatusOr<AgentRecordStore> reader =
        AgentRecordStore::Open(DatabasePath(), Database::OpenMode::kExistingOnly);
    ASSERT_TRUE(reader.ok()) << reader.status();
    reader_.emplace(*std::move(reader));
    absl::StatusOr<std::unique_ptr<TrustStore>> trust =
        TrustStore::Open(DatabasePath(), Database::OpenMode::kExistingOnly);
    ASSERT_TRUE(trust.ok()) << trust.status();
    trust_ = *std::move(trust);
    absl::StatusOr<std::unique_ptr<UserStore>> users =
        UserStore::Open(DatabasePath(), Database::OpenMode::kExistingOnly);
    ASSERT_TRUE(users.ok()) << users.status();
    users_ = *std::move(users);
    absl::StatusOr<std::unique_ptr<AuditLog>> audit =
        AuditLog::Open(DatabasePath(), Database::OpenMode::kExistingOnly);
    ASSERT_TRUE(audit.ok()) << audit.status();
    audit_ = *std::move(audit);
    absl::StatusOr<CollectorIdentity> identity =
        LoadOrIssueCollectorIdentity(dir_.path(), pki::DefaultServerNames(), absl::Now());
    ASSERT_TRUE(identity.ok()) << identity.status();
    identity_.emplace(*std::move(identity));
    people_.emplace(PeopleServices{*users_, *audit_, *reader_});
    absl::StatusOr<std::unique_ptr<CollectorServer>> server =
        CollectorServer::Start("127.0.0.1:0", *store_, *trust_, *identity_, &*people_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  void TearDown() override {
    if (server_ != nullptr) {
      server_->Shutdown(absl::Seconds(1));
    }
  }

  std::filesystem::path DatabasePath() const { return dir_.path() / "mamori.db"; }
  std::string CaPem() const { return identity_->ca.certificate().Pem(); }

  // A person's credentials made exactly as `user add` makes them, recorded in the users table.
  AgentCredentials Person(const std::string& name, UserRole role) {
    const std::filesystem::path out = dir_.path() / ("bundle-" + name);
    absl::StatusOr<UserBundle> bundle =
        WriteUserBundle(identity_->ca, name, role, out, std::nullopt, absl::Now());
    EXPECT_TRUE(bundle.ok()) << bundle.status();
    EXPECT_TRUE(users_->AddUser(bundle->record, absl::Now()).ok());
    return {name, *pki::ReadSmallFile(out / kUserKeyFile),
            *pki::ReadSmallFile(out / kUserCertificateFile), bundle->record.serial};
  }

  std::unique_ptr<mamori::v1::CollectorAdmin::Stub> AdminStub(
      const std::optional<AgentCredentials>& client) {
    return mamori::v1::CollectorAdmin::NewStub(
        TlsChannel(server_->address().ToString(), CaPem(), client));
  }

  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return context;
  }

  std::int64_t Count(const std::string& sql) {
    absl::StatusOr<Database> db =
        Database::Open(DatabasePath(), Database::OpenMode::kExistingOnly, CollectorSchema());
    EXPECT_TRUE(db.ok());
    absl::StatusOr<Statement> query = db->Query(sql, {});
    EXPECT_TRUE(query.ok()) << query.status();
    EXPECT_TRUE(*query->Step());
    return query->ColumnInt64(0);
  }

  std::vector<AuditEvent> Audit() {
    absl::StatusOr<std::vector<AuditEvent>> events = audit_->List(std::nullopt, 1000);
    EXPECT_TRUE(events.ok()) << events.status();
    return *events;
  }

  TempDir dir_;
  std::optional<AgentRecordStore> store_;
  std::optional<AgentRecordStore> reader_;
  std::unique_ptr<TrustStore> trust_;
  std::unique_ptr<UserStore> users_;
  std::unique_ptr<AuditLog> audit_;
  std::optional<CollectorIdentity> identity_;
  std::optional<PeopleServices> people_;
  std::unique_ptr<CollectorServer> server_;
};

TEST_F(CollectorAdminTest, VendorCallingAnAdminRpcIsRefusedAuditedAndChangesNothing) {
  auto stub = AdminStub(Person("vendor-sato", UserRole::kVendor));
  mamori::v1::CreateEnrollmentTokenRequest request;
  request.set_label("sneaky");
  mamori::v1::CreateEnrollmentTokenResponse response;
  const grpc::Status status = stub->CreateEnrollmentToken(Context().get(), request, &response);

  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(),
            "role vendor may not call CollectorAdmin/CreateEnrollmentToken");
  EXPECT_TRUE(response.token().empty());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM enrollment_tokens"), 0);
  const std::vector<AuditEvent> events = Audit();
  ASSERT_THAT(events, SizeIs(1));
  EXPECT_EQ(events[0].entry.actor, "vendor-sato");
  EXPECT_EQ(events[0].entry.role, "vendor");
  EXPECT_EQ(events[0].entry.action, "CollectorAdmin/CreateEnrollmentToken");
  EXPECT_EQ(events[0].entry.outcome, AuditOutcome::kRefused);
  EXPECT_EQ(events[0].entry.detail,
            "role vendor may not call CollectorAdmin/CreateEnrollmentToken");
}

TEST_F(CollectorAdminTest, VendorMayListHostsButNotRemoveThem) {
  IssueRecorded(identity_->ca, *trust_, "agent-1", absl::Now() - absl::Hours(1),
                absl::Now() + absl::Hours(24));
  auto stub = AdminStub(Person("vendor-sato", UserRole::kVendor));

  mamori::v1::ListHostsResponse hosts;
  const grpc::Status listed = stub->ListHosts(Context().get(), {}, &hosts);
  ASSERT_TRUE(listed.ok()) << listed.error_message();
  ASSERT_THAT(hosts.hosts(), SizeIs(1));
  EXPECT_EQ(hosts.hosts(0).agent_id(), "agent-1");

  mamori::v1::RemoveHostRequest remove;
  remove.set_host("agent-1");
  mamori::v1::RemoveHostResponse removed;
  const grpc::Status refused = stub->RemoveHost(Context().get(), remove, &removed);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(refused.error_message(), "role vendor may not call CollectorAdmin/RemoveHost");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM agents WHERE removed_at IS NOT NULL"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM agent_certificates WHERE revoked_at IS NOT NULL"), 0);

  mamori::v1::ListAuditEventsResponse audit;
  EXPECT_EQ(stub->ListAuditEvents(Context().get(), {}, &audit).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(CollectorAdminTest, AdminManagesTokensAndHostsAndEveryCallIsAudited) {
  IssueRecorded(identity_->ca, *trust_, "agent-1", absl::Now() - absl::Hours(1),
                absl::Now() + absl::Hours(24));
  auto stub = AdminStub(Person("admin-tanaka", UserRole::kAdmin));

  mamori::v1::CreateEnrollmentTokenRequest create;
  create.set_label("reception PCs");
  create.set_uses(3);
  mamori::v1::CreateEnrollmentTokenResponse created;
  const grpc::Status status = stub->CreateEnrollmentToken(Context().get(), create, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(created.token(), ::testing::StartsWith(kEnrollmentTokenPrefix));
  EXPECT_EQ(created.uses(), 3);

  mamori::v1::ListEnrollmentTokensResponse tokens;
  ASSERT_TRUE(stub->ListEnrollmentTokens(Context().get(), {}, &tokens).ok());
  // Two: the one IssueRecorded used, and ours (created in the same second: order not asserted).
  ASSERT_THAT(tokens.tokens(), SizeIs(2));
  const auto ours = std::find_if(
      tokens.tokens().begin(), tokens.tokens().end(),
      [&](const mamori::v1::EnrollmentToken& t) { return t.token_id() == created.token_id(); });
  ASSERT_NE(ours, tokens.tokens().end());
  EXPECT_EQ(ours->uses_left(), 3);
  EXPECT_EQ(ours->label(), "reception PCs");
  EXPECT_FALSE(ours->has_revoked_at());

  mamori::v1::RevokeEnrollmentTokenRequest revoke;
  revoke.set_token_id(created.token_id());
  mamori::v1::RevokeEnrollmentTokenResponse revoked;
  ASSERT_TRUE(stub->RevokeEnrollmentToken(Context().get(), revoke, &revoked).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM enrollment_tokens WHERE revoked_at IS NOT NULL"), 1);

  mamori::v1::RemoveHostRequest remove;
  remove.set_host("agent-1");
  mamori::v1::RemoveHostResponse removed;
  ASSERT_TRUE(stub->RemoveHost(Context().get(), remove, &removed).ok());
  EXPECT_EQ(removed.agent_id(), "agent-1");
  EXPECT_EQ(removed.certificates_revoked(), 1);

  mamori::v1::ListAuditEventsResponse audit;
  ASSERT_TRUE(stub->ListAuditEvents(Context().get(), {}, &audit).ok());
  std::vector<std::string> actions;
  for (const mamori::v1::AuditEvent& event : audit.events()) {
    EXPECT_EQ(event.actor(), "admin-tanaka");
    EXPECT_EQ(event.outcome(), "ok");
    actions.push_back(event.action());
    // The secret is shown once to the admin and never written anywhere.
    EXPECT_THAT(event.detail(), ::testing::Not(HasSubstr(created.token())));
    EXPECT_THAT(event.target(), ::testing::Not(HasSubstr(created.token())));
  }
  EXPECT_THAT(actions, ::testing::ElementsAre("CollectorAdmin/CreateEnrollmentToken",
                                              "CollectorAdmin/ListEnrollmentTokens",
                                              "CollectorAdmin/RevokeEnrollmentToken",
                                              "CollectorAdmin/RemoveHost"));
}

TEST_F(CollectorAdminTest, AnAgentCertificateCannotCallAdminRpcs) {
  const AgentCredentials agent =
      IssueRecorded(identity_->ca, *trust_, "agent-1", absl::Now() - absl::Hours(1),
                    absl::Now() + absl::Hours(24));
  auto stub = AdminStub(agent);
  mamori::v1::RemoveHostRequest remove;
  remove.set_host("agent-1");
  mamori::v1::RemoveHostResponse removed;
  const grpc::Status status = stub->RemoveHost(Context().get(), remove, &removed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(), "CollectorAdmin/RemoveHost is not allowed for agent agent-1");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM agents WHERE removed_at IS NOT NULL"), 0);

  mamori::v1::ListHostsResponse hosts;
  EXPECT_EQ(stub->ListHosts(Context().get(), {}, &hosts).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(hosts.hosts(), IsEmpty());
  const std::vector<AuditEvent> events = Audit();
  ASSERT_THAT(events, SizeIs(2));
  EXPECT_EQ(events[0].entry.actor, "agent-1");
  EXPECT_EQ(events[0].entry.role, "agent");
  EXPECT_EQ(events[0].entry.outcome, AuditOutcome::kRefused);
}

TEST_F(CollectorAdminTest, APersonCannotConnectAsAnAgent) {
  const AgentCredentials person = Person("admin-tanaka", UserRole::kAdmin);
  auto stub =
      mamori::v1::AgentGateway::NewStub(TlsChannel(server_->address().ToString(), CaPem(), person));
  auto context = Context();
  auto stream = stub->Connect(context.get());
  stream->Write(HelloMessage("admin-tanaka"));
  stream->WritesDone();
  mamori::v1::CollectorMessage reply;
  EXPECT_FALSE(stream->Read(&reply));
  const grpc::Status status = stream->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(), "role admin may not call Connect");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM agents"), 0);
  const std::vector<AuditEvent> events = Audit();
  ASSERT_THAT(events, SizeIs(1));
  EXPECT_EQ(events[0].entry.action, "AgentGateway/Connect");
  EXPECT_EQ(events[0].entry.outcome, AuditOutcome::kRefused);
}

TEST_F(CollectorAdminTest, ARevokedPersonIsRefusedAtTheNextCall) {
  const AgentCredentials admin = Person("admin-tanaka", UserRole::kAdmin);
  auto stub = AdminStub(admin);
  mamori::v1::ListHostsResponse hosts;
  ASSERT_TRUE(stub->ListHosts(Context().get(), {}, &hosts).ok());

  ASSERT_EQ(*users_->RevokeUser("admin-tanaka", absl::Now()), 1);
  mamori::v1::CreateEnrollmentTokenResponse created;
  const grpc::Status status = stub->CreateEnrollmentToken(Context().get(), {}, &created);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(status.error_message(),
            "certificate " + admin.serial + " of user admin-tanaka has been revoked");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM enrollment_tokens"), 0);
  const std::vector<AuditEvent> events = Audit();
  ASSERT_THAT(events, SizeIs(2));
  EXPECT_EQ(events[1].entry.actor, "admin-tanaka");
  EXPECT_EQ(events[1].entry.outcome, AuditOutcome::kRefused);
}

TEST_F(CollectorAdminTest, ACertificateWithoutItsUsersRowIsRefused) {
  // Signed by the CA, never recorded: e.g. issued by a tampered `user add`.
  const std::filesystem::path out = dir_.path() / "unrecorded";
  absl::StatusOr<UserBundle> bundle =
      WriteUserBundle(identity_->ca, "ghost", UserRole::kAdmin, out, std::nullopt, absl::Now());
  ASSERT_TRUE(bundle.ok());
  auto stub = AdminStub(AgentCredentials{"ghost", *pki::ReadSmallFile(out / kUserKeyFile),
                                         *pki::ReadSmallFile(out / kUserCertificateFile),
                                         bundle->record.serial});
  mamori::v1::ListHostsResponse hosts;
  const grpc::Status status = stub->ListHosts(Context().get(), {}, &hosts);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(status.error_message(),
            "certificate " + bundle->record.serial + " is not known to this collector");
}

TEST_F(CollectorAdminTest, NoClientCertificateMeansNoAdminRpcAndNoAuditRow) {
  auto stub = AdminStub(std::nullopt);
  mamori::v1::ListHostsResponse hosts;
  const grpc::Status status = stub->ListHosts(Context().get(), {}, &hosts);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(status.error_message(), "CollectorAdmin/ListHosts requires a client certificate");
  // Anyone on the LAN can make this call: logging it to the append-only table would let them fill
  // the disk.
  EXPECT_THAT(Audit(), IsEmpty());
}

TEST_F(CollectorAdminTest, AHundredMegabyteMessageIsRefusedAndTheServerKeepsServing) {
  auto stub = AdminStub(Person("admin-tanaka", UserRole::kAdmin));
  mamori::v1::CreateEnrollmentTokenRequest huge;
  huge.set_label(std::string(100 * 1024 * 1024, 'x'));
  mamori::v1::CreateEnrollmentTokenResponse created;
  const grpc::Status status = stub->CreateEnrollmentToken(Context().get(), huge, &created);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(status.error_message(), HasSubstr("larger than max"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM enrollment_tokens"), 0);

  mamori::v1::ListHostsResponse hosts;
  const grpc::Status after = stub->ListHosts(Context().get(), {}, &hosts);
  EXPECT_TRUE(after.ok()) << after.error_message();
}

TEST_F(CollectorAdminTest, EnrollmentsAndRefusedRealTokensAreAuditedButUnknownTokensAreNot) {
  absl::StatusOr<NewEnrollmentToken> token =
      trust_->CreateToken("reception", absl::Hours(1), 1, absl::Now());
  ASSERT_TRUE(token.ok());
  auto gateway = mamori::v1::AgentGateway::NewStub(
      TlsChannel(server_->address().ToString(), CaPem(), std::nullopt));
  const pki::PrivateKey key = testing::NewKey();

  mamori::v1::EnrollResponse enrolled;
  ASSERT_TRUE(gateway
                  ->Enroll(Context().get(),
                           testing::EnrollRequestFor(token->token, testing::CsrFor(key)), &enrolled)
                  .ok());
  mamori::v1::EnrollResponse again;
  EXPECT_EQ(
      gateway
          ->Enroll(Context().get(),
                   testing::EnrollRequestFor(token->token, testing::CsrFor(key), "pc-2"), &again)
          .error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(
      gateway
          ->Enroll(Context().get(),
                   testing::EnrollRequestFor("mmr1.guessed", testing::CsrFor(key), "pc-3"), &again)
          .error_code(),
      grpc::StatusCode::UNAUTHENTICATED);

  const std::vector<AuditEvent> events = Audit();
  ASSERT_THAT(events, SizeIs(2));
  EXPECT_EQ(events[0].entry.action, "enroll");
  EXPECT_EQ(events[0].entry.actor, enrolled.agent_id());
  EXPECT_EQ(events[0].entry.outcome, AuditOutcome::kOk);
  EXPECT_EQ(events[1].entry.target, "pc-2");
  EXPECT_EQ(events[1].entry.outcome, AuditOutcome::kRefused);
  EXPECT_THAT(events[1].entry.detail, HasSubstr("is used up"));
  for (const AuditEvent& event : events) {
    EXPECT_THAT(event.entry.detail, ::testing::Not(HasSubstr(token->token)));
  }
}

// A raw OpenSSL client limited to one protocol version. "@SECLEVEL=0" lets this client offer the
// old protocols and suites at all (Debian's OpenSSL refuses them client-side otherwise), so a
// failure can only come from the server.
struct HandshakeResult {
  bool connected = false;
  unsigned long error = 0;  // the first OpenSSL error queued, if any
};

HandshakeResult HandshakeWith(std::uint16_t port, int version) {
  HandshakeResult result;
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()),
                                                        SSL_CTX_free);
  EXPECT_NE(ctx, nullptr);
  SSL_CTX_set_min_proto_version(ctx.get(), version);
  SSL_CTX_set_max_proto_version(ctx.get(), version);
  SSL_CTX_set_cipher_list(ctx.get(), "ALL:@SECLEVEL=0");
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  static constexpr unsigned char kAlpn[] = {2, 'h', '2'};
  SSL_CTX_set_alpn_protos(ctx.get(), kAlpn, sizeof(kAlpn));

  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), SSL_free);
  SSL_set_fd(ssl.get(), fd);
  ERR_clear_error();
  result.connected = SSL_connect(ssl.get()) == 1;
  result.error = ERR_peek_error();
  if (result.connected) {
    SSL_shutdown(ssl.get());
  }
  ssl.reset();
  close(fd);
  ERR_clear_error();
  return result;
}

// The server ended a handshake the client did start: either with a protocol_version alert or, as
// gRPC's TLS stack does, by closing the connection after OpenSSL refused the ClientHello
// ("unsupported protocol" in the server's log). A client that could not even offer the version
// would fail with "no protocols available" before sending anything, which this does not accept.
bool RefusedByServer(const HandshakeResult& result) {
  const int reason = ERR_GET_REASON(result.error);
  return reason == SSL_R_TLSV1_ALERT_PROTOCOL_VERSION ||
         reason == SSL_R_UNEXPECTED_EOF_WHILE_READING;
}

TEST_F(CollectorAdminTest, Tls10ClientIsRefusedByTheServer) {
  const HandshakeResult result = HandshakeWith(server_->address().port, TLS1_VERSION);
  EXPECT_FALSE(result.connected);
  EXPECT_TRUE(RefusedByServer(result)) << ERR_error_string(result.error, nullptr);
}

TEST_F(CollectorAdminTest, Tls11ClientIsRefusedByTheServer) {
  const HandshakeResult result = HandshakeWith(server_->address().port, TLS1_1_VERSION);
  EXPECT_FALSE(result.connected);
  EXPECT_TRUE(RefusedByServer(result)) << ERR_error_string(result.error, nullptr);
}

TEST_F(CollectorAdminTest, Tls12And13ClientsCompleteTheHandshake) {
  // The control for the two above: the same client, only the version differs.
  EXPECT_TRUE(HandshakeWith(server_->address().port, TLS1_2_VERSION).connected);
  EXPECT_TRUE(HandshakeWith(server_->address().port, TLS1_3_VERSION).connected);
}

}  // namespace
}  // namespace mamori::collector
