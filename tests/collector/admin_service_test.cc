// The people's side of the collector over real TLS on loopback: the role table, the audit of every
// call and refusal, the query RPCs (query.proto) on a seeded database, and the attacks a LAN
// neighbour or a stolen credential would try (wrong role, agent certificates, oversized messages,
// old TLS versions).
#include "collector/server/admin_service.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <future>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include <grpcpp/generic/generic_stub.h>

#include "collector/knowledge/knowledge_reader.h"
#include "collector/knowledge/policy_source.h"
#include "collector/people/user_bundle.h"
#include "collector/pki/key_files.h"
#include "collector/server/collector_server.h"
#include "collector/storage/audit_log.h"
#include "collector/storage/schema.h"
#include "collector/storage/user_store.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
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
    absl::StatusOr<KnowledgeReader> knowledge = KnowledgeReader::Open(DatabasePath());
    ASSERT_TRUE(knowledge.ok()) << knowledge.status();
    knowledge_.emplace(*std::move(knowledge));
    policy_.emplace(LoadedPolicy{rules::Policy{}, "", "(defaults)"});
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
    absl::StatusOr<OrgRegisterStore> org = OrgRegisterStore::Open(DatabasePath());
    ASSERT_TRUE(org.ok()) << org.status();
    org_.emplace(*std::move(org));
    absl::StatusOr<Database> report_db =
        Database::Open(DatabasePath(), Database::OpenMode::kExistingOnly, CollectorSchema());
    ASSERT_TRUE(report_db.ok()) << report_db.status();
    report_db_.emplace(*std::move(report_db));
    reports_.emplace(*report_db_, *knowledge_, *org_, ReportOrigin{"clinic-server", "test"});
    people_.emplace(PeopleServices{*users_, *audit_, *knowledge_, *policy_, *org_, *reports_});
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

  // Runs `sql` on a connection of its own: the test seeds the schema v4 tables the knowledge writer
  // fills in the running collector.
  void Seed(const std::string& sql) {
    absl::StatusOr<Database> db =
        Database::Open(DatabasePath(), Database::OpenMode::kExistingOnly, CollectorSchema());
    ASSERT_TRUE(db.ok()) << db.status();
    const absl::Status status = db->Execute(sql);
    ASSERT_TRUE(status.ok()) << status;
  }

  TempDir dir_;
  std::optional<AgentRecordStore> store_;
  std::optional<KnowledgeReader> knowledge_;
  std::optional<PolicySource> policy_;
  std::optional<OrgRegisterStore> org_;
  std::optional<Database> report_db_;
  std::optional<ReportBuilder> reports_;
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

// One workstation as the knowledge writer would have left it after a snapshot (schema v4).
constexpr char kSeedAgent1[] = R"sql(
UPDATE agents SET contact_state = 'online' WHERE agent_id = 'agent-1';
INSERT INTO hosts (agent_id, hostname, os_family, os_name, os_version, os_build, os_pretty_name,
  kernel_version, architecture, machine_id, last_snapshot_at, last_seen, role, os_edition,
  end_of_support, manufacturer, model, serial_number, cpu_model, memory_bytes, addresses,
  mac_addresses, software_count, last_snapshot_seq)
VALUES ('agent-1', '受付PC', 'windows', 'Windows', '10.0.19045', '19045.5011', 'Windows 10 Pro',
  '', 'x86_64', 'm-1', '2026-11-27T10:00:00Z', '2026-11-27T10:00:00Z', 'workstation',
  'Professional', '2025-10-14', 'FUJITSU', 'ESPRIMO D588', 'SN123', 'Intel Core i5',
  17179869184, '["192.0.2.10/24"]', '["aa:bb:cc:dd:ee:ff"]', 1, 1);
INSERT INTO findings (agent_id, rule_id, status, evidence, since, evaluated_at) VALUES
  ('agent-1', 'MAM-USB-001', 'fail', 'USBストレージが許可されています', '2026-11-20T00:00:00Z',
   '2026-11-27T10:00:00Z'),
  ('agent-1', 'MAM-FW-001', 'pass', 'ファイアウォールは有効です', '2026-11-20T00:00:00Z',
   '2026-11-27T10:00:00Z');
INSERT INTO finding_history (agent_id, rule_id, old_status, new_status, at, evidence) VALUES
  ('agent-1', 'MAM-USB-001', NULL, 'fail', '2026-11-20T00:00:00Z',
   'USBストレージが許可されています');
INSERT INTO host_software (agent_id, name, version, publisher, installed_at) VALUES
  ('agent-1', 'ORCA', '5.2.0', '日本医師会', '2026-01-01T00:00:00Z');
INSERT INTO host_accounts (agent_id, name, account_id, full_name, groups, system_account, enabled,
  admin, locked, password_empty, password_expires, password_changed_at, last_logon, rule_ids,
  material, first_seen, last_seen, removed_at)
VALUES ('agent-1', 'tanaka', 'S-1-5-21-1-1001', '田中', '["Administrators"]', 0, 1, 1, 0, 0, 1,
  '2026-06-01T00:00:00Z', NULL, '[]', 'm1', '2026-06-01T00:00:00Z', '2026-11-27T10:00:00Z', NULL);
INSERT INTO idle_episodes (agent_id, started_at, ended_at, max_idle_s, idle_since, locked, open)
VALUES ('agent-1', '2026-11-26T12:00:00Z', '2026-11-26T20:00:00Z', 28800, '2026-11-26T11:00:00Z',
  0, 0);
)sql";

class CollectorQueryTest : public CollectorAdminTest {
 protected:
  void SetUp() override {
    CollectorAdminTest::SetUp();
    IssueRecorded(identity_->ca, *trust_, "agent-1", absl::Now() - absl::Hours(1),
                  absl::Now() + absl::Hours(24));
    Seed(kSeedAgent1);
  }
};

TEST_F(CollectorQueryTest, VendorReadsEveryQueryAndEachCallIsAudited) {
  auto stub = AdminStub(Person("vendor-sato", UserRole::kVendor));

  mamori::v1::ListHostsResponse hosts;
  grpc::Status status = stub->ListHosts(Context().get(), {}, &hosts);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_THAT(hosts.hosts(), SizeIs(1));
  EXPECT_EQ(hosts.hosts(0).agent_id(), "agent-1");
  EXPECT_EQ(hosts.hosts(0).role(), "workstation");
  EXPECT_EQ(hosts.hosts(0).failing(), 1);

  mamori::v1::GetHostRequest get;
  get.set_host("agent-1");
  mamori::v1::GetHostResponse host;
  status = stub->GetHost(Context().get(), get, &host);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(host.ledger().hostname(), "受付PC");
  EXPECT_THAT(host.findings(), SizeIs(2));

  mamori::v1::ListFindingsResponse findings;
  status = stub->ListFindings(Context().get(), {}, &findings);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_THAT(findings.findings(), SizeIs(1));  // fail, warn and unknown by default
  EXPECT_EQ(findings.findings(0).rule_id(), "MAM-USB-001");
  EXPECT_EQ(findings.findings(0).status(), mamori::v1::FINDING_STATUS_FAIL);

  mamori::v1::ListFindingHistoryResponse history;
  status = stub->ListFindingHistory(Context().get(), {}, &history);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(history.changes(), SizeIs(1));

  mamori::v1::ListLedgerResponse ledger;
  status = stub->ListLedger(Context().get(), {}, &ledger);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_THAT(ledger.entries(), SizeIs(1));
  EXPECT_EQ(ledger.entries(0).serial_number(), "SN123");

  mamori::v1::ListSoftwareRequest software_request;
  software_request.set_name_contains("orca");
  mamori::v1::ListSoftwareResponse software;
  status = stub->ListSoftware(Context().get(), software_request, &software);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_THAT(software.versions(), SizeIs(1));
  EXPECT_EQ(software.versions(0).host_count(), 1);

  mamori::v1::ListAccountsResponse accounts;
  status = stub->ListAccounts(Context().get(), {}, &accounts);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_THAT(accounts.accounts(), SizeIs(1));
  EXPECT_EQ(accounts.accounts(0).name(), "tanaka");
  EXPECT_TRUE(accounts.accounts(0).due());  // never reviewed

  mamori::v1::ListIdleEpisodesResponse idle;
  status = stub->ListIdleEpisodes(Context().get(), {}, &idle);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(idle.episodes(), SizeIs(1));

  const std::vector<AuditEvent> events = Audit();
  std::vector<std::string> actions;
  for (const AuditEvent& event : events) {
    EXPECT_EQ(event.entry.actor, "vendor-sato");
    EXPECT_EQ(event.entry.role, "vendor");
    EXPECT_EQ(event.entry.outcome, AuditOutcome::kOk) << event.entry.detail;
    EXPECT_FALSE(event.entry.detail.empty()) << event.entry.action;
    actions.push_back(event.entry.action);
  }
  EXPECT_THAT(actions, ::testing::ElementsAre(
                           "CollectorAdmin/ListHosts", "CollectorAdmin/GetHost",
                           "CollectorAdmin/ListFindings", "CollectorAdmin/ListFindingHistory",
                           "CollectorAdmin/ListLedger", "CollectorAdmin/ListSoftware",
                           "CollectorAdmin/ListAccounts", "CollectorAdmin/ListIdleEpisodes"));
  EXPECT_EQ(events[1].entry.target, "agent-1");
  EXPECT_THAT(events[1].entry.detail, HasSubstr("2 finding(s)"));
  EXPECT_THAT(events[5].entry.detail, HasSubstr("name_contains=orca"));
}

TEST_F(CollectorQueryTest, AdminEditsTheLedgerAndRecordsAReviewWithoutTheNoteInTheAudit) {
  auto stub = AdminStub(Person("admin-tanaka", UserRole::kAdmin));

  mamori::v1::UpdateHostAnnotationsRequest update;
  update.set_host("agent-1");
  update.set_location("受付");
  update.set_person_in_charge("");
  mamori::v1::UpdateHostAnnotationsResponse updated;
  grpc::Status status = stub->UpdateHostAnnotations(Context().get(), update, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(updated.agent_id(), "agent-1");
  EXPECT_EQ(updated.annotations().location(), "受付");
  EXPECT_EQ(updated.annotations().updated_by(), "admin-tanaka");

  const std::string note = "退職予定の職員。パスワードは付箋に書かれていた";
  mamori::v1::RecordAccountReviewRequest review;
  review.set_host("agent-1");
  review.set_account("tanaka");
  review.set_decision(mamori::v1::REVIEW_DECISION_KEEP);
  review.set_note(note);
  mamori::v1::RecordAccountReviewResponse reviewed;
  status = stub->RecordAccountReview(Context().get(), review, &reviewed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(reviewed.account().review().decision(), mamori::v1::REVIEW_DECISION_KEEP);
  EXPECT_EQ(reviewed.account().review().reviewer(), "admin-tanaka");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM account_reviews"), 1);

  const std::vector<AuditEvent> events = Audit();
  ASSERT_THAT(events, SizeIs(2));
  EXPECT_EQ(events[0].entry.action, "CollectorAdmin/UpdateHostAnnotations");
  EXPECT_EQ(events[0].entry.target, "agent-1");
  EXPECT_EQ(events[0].entry.detail, "location=受付 person_in_charge cleared");
  EXPECT_EQ(events[1].entry.action, "CollectorAdmin/RecordAccountReview");
  EXPECT_EQ(events[1].entry.target, "agent-1");
  EXPECT_THAT(events[1].entry.detail, HasSubstr("account=tanaka decision=keep review_id="));
  EXPECT_THAT(events[1].entry.detail, HasSubstr(" note=23 character(s)"));
  // The note is in the review record, never in the exported audit log.
  EXPECT_THAT(events[1].entry.detail, ::testing::Not(HasSubstr("付箋")));
}

TEST_F(CollectorQueryTest, VendorMayNotEditTheLedgerOrRecordReviewsAndTheRefusalsAreAudited) {
  auto stub = AdminStub(Person("vendor-sato", UserRole::kVendor));
  mamori::v1::UpdateHostAnnotationsRequest update;
  update.set_host("agent-1");
  update.set_location("倉庫");
  mamori::v1::UpdateHostAnnotationsResponse updated;
  grpc::Status status = stub->UpdateHostAnnotations(Context().get(), update, &updated);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(),
            "role vendor may not call CollectorAdmin/UpdateHostAnnotations");

  mamori::v1::RecordAccountReviewRequest review;
  review.set_host("agent-1");
  review.set_account("tanaka");
  review.set_decision(mamori::v1::REVIEW_DECISION_REMOVE);
  review.set_note("vendor says so");
  mamori::v1::RecordAccountReviewResponse reviewed;
  status = stub->RecordAccountReview(Context().get(), review, &reviewed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(), "role vendor may not call CollectorAdmin/RecordAccountReview");

  EXPECT_EQ(Count("SELECT COUNT(*) FROM host_annotations"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM account_reviews"), 0);
  const std::vector<AuditEvent> events = Audit();
  ASSERT_THAT(events, SizeIs(2));
  for (const AuditEvent& event : events) {
    EXPECT_EQ(event.entry.actor, "vendor-sato");
    EXPECT_EQ(event.entry.outcome, AuditOutcome::kRefused);
  }
  EXPECT_EQ(events[0].entry.action, "CollectorAdmin/UpdateHostAnnotations");
  EXPECT_EQ(events[1].entry.action, "CollectorAdmin/RecordAccountReview");
}

TEST_F(CollectorQueryTest, APageSizeOutOfBoundsIsRefusedAndAudited) {
  auto stub = AdminStub(Person("vendor-sato", UserRole::kVendor));
  for (const int page_size : {kMaxPageSize + 1, -1}) {
    mamori::v1::ListFindingsRequest request;
    request.mutable_page()->set_page_size(page_size);
    mamori::v1::ListFindingsResponse response;
    const grpc::Status status = stub->ListFindings(Context().get(), request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << page_size;
    EXPECT_EQ(status.error_message(), "page.page_size: must be from 0 to 1000");
    EXPECT_THAT(response.findings(), IsEmpty());
  }
  mamori::v1::ListHostsRequest hosts_request;
  hosts_request.mutable_page()->set_page_size(5000);
  mamori::v1::ListHostsResponse hosts;
  EXPECT_EQ(stub->ListHosts(Context().get(), hosts_request, &hosts).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  const std::vector<AuditEvent> events = Audit();
  ASSERT_THAT(events, SizeIs(3));
  EXPECT_EQ(events[0].entry.outcome, AuditOutcome::kFailed);
  EXPECT_EQ(events[0].entry.detail, "page.page_size: must be from 0 to 1000");
}

TEST_F(CollectorQueryTest, AReviewWithoutADecisionOrWithAnOverlongNoteIsRefused) {
  auto stub = AdminStub(Person("admin-tanaka", UserRole::kAdmin));
  mamori::v1::RecordAccountReviewRequest review;
  review.set_host("agent-1");
  review.set_account("tanaka");
  mamori::v1::RecordAccountReviewResponse reviewed;
  grpc::Status status = stub->RecordAccountReview(Context().get(), review, &reviewed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "decision: must be keep, remove or investigate");

  review.set_decision(mamori::v1::REVIEW_DECISION_INVESTIGATE);
  std::string note;
  for (int i = 0; i < 2001; ++i) {
    note += "あ";  // 2001 characters, 6003 bytes: over the bound of characters, not only bytes
  }
  review.set_note(note);
  status = stub->RecordAccountReview(Context().get(), review, &reviewed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM account_reviews"), 0);
  const std::vector<AuditEvent> events = Audit();
  ASSERT_THAT(events, SizeIs(2));
  EXPECT_EQ(events[1].entry.outcome, AuditOutcome::kFailed);
  EXPECT_THAT(events[1].entry.detail, ::testing::Not(HasSubstr("あああ")));
}

TEST_F(CollectorQueryTest, AnUnknownHostIsNotFoundAndAudited) {
  auto stub = AdminStub(Person("vendor-sato", UserRole::kVendor));
  mamori::v1::GetHostRequest get;
  get.set_host("pc-404");
  mamori::v1::GetHostResponse host;
  const grpc::Status status = stub->GetHost(Context().get(), get, &host);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  const std::vector<AuditEvent> events = Audit();
  ASSERT_THAT(events, SizeIs(1));
  EXPECT_EQ(events[0].entry.target, "pc-404");
  EXPECT_EQ(events[0].entry.outcome, AuditOutcome::kFailed);
}

// Calls `method` with an empty request, whatever its type: the role table answers before the
// request is looked at.
grpc::Status CallEmpty(const std::shared_ptr<grpc::Channel>& channel, const std::string& method) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  // The encoding of a message with no fields set: zero bytes, in one slice (a ByteBuffer without
  // any is not a message at all).
  grpc::Slice empty;
  grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                 [&](grpc::Status status) { done.set_value(std::move(status)); });
  return done.get_future().get();
}

TEST_F(CollectorAdminTest, EveryCollectorAdminRpcIsInTheRoleTable) {
  const auto admin =
      TlsChannel(server_->address().ToString(), CaPem(), Person("admin-tanaka", UserRole::kAdmin));
  const auto vendor =
      TlsChannel(server_->address().ToString(), CaPem(), Person("vendor-sato", UserRole::kVendor));
  const std::set<std::string> admin_only = {"ListEnrollmentTokens",  "CreateEnrollmentToken",
                                            "RevokeEnrollmentToken", "RemoveHost",
                                            "ListAuditEvents",       "UpdateHostAnnotations",
                                            "RecordAccountReview",   "RecordOrgEvidence"};
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          mamori::v1::CollectorAdmin::service_full_name());
  ASSERT_NE(service, nullptr);
  ASSERT_EQ(service->method_count(), 19);
  for (int i = 0; i < service->method_count(); ++i) {
    const std::string name = service->method(i)->name();
    const std::string method = "/mamori.v1.CollectorAdmin/" + name;
    const grpc::Status as_admin = CallEmpty(admin, method);
    EXPECT_NE(as_admin.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << name << ": " << as_admin.error_message();
    const grpc::Status as_vendor = CallEmpty(vendor, method);
    if (admin_only.contains(name)) {
      EXPECT_EQ(as_vendor.error_code(), grpc::StatusCode::PERMISSION_DENIED) << name;
    } else {
      EXPECT_NE(as_vendor.error_code(), grpc::StatusCode::PERMISSION_DENIED)
          << name << ": " << as_vendor.error_message();
    }
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
