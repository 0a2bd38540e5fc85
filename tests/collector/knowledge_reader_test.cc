// The read side of the collector's knowledge, on a database seeded directly with SQL so that these
// tests pin the reader's contract independently of the writer.
#include "collector/knowledge/knowledge_reader.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "collector/knowledge/reader_review_state.h"
#include "collector/storage/schema.h"
#include "collector/storage/stored_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "platform/rules/rule_catalogue.h"
#include "tests/collector/temp_dir.h"

namespace mamori::collector {
namespace {

namespace v1 = mamori::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A fixed clock: every due decision below is made as of this moment.
const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 11, 25, 9, 0, 0), absl::UTCTimeZone());

std::string Ago(absl::Duration duration) { return FormatStoredTime(kNow - duration); }
absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}
absl::Duration Days(int days) { return absl::Hours(24 * days); }

SqlParam IntOrNull(std::optional<std::int64_t> value) {
  if (value.has_value()) {
    return SqlParam(*value);
  }
  return SqlParam(nullptr);
}

struct HostRow {
  std::string agent_id;
  std::string hostname;
  std::string role = "workstation";
  std::string contact_state = "online";
  bool removed = false;
  bool has_snapshot = true;  // false: enrolled, no hosts row yet
  std::string os_name = "Windows";
  std::string addresses = "[]";
};

struct AccountRow {
  std::string agent_id;
  std::string name;
  std::string account_id = "S-1-5-21-1-1001";
  std::optional<std::int64_t> enabled = 1;
  std::optional<std::int64_t> admin = 0;
  std::optional<std::int64_t> password_empty = 0;
  std::optional<std::string> password_changed_at;
  bool system_account = false;
  std::optional<std::int64_t> locked = 0;
  std::optional<std::int64_t> password_expires = 1;
  std::optional<std::string> removed_at;
  std::string rule_ids = "[]";

  // The writer's material text, in its key order.
  std::string Material() const {
    auto flag = [](const std::optional<std::int64_t>& value) -> std::string {
      return value.has_value() ? (*value != 0 ? "1" : "0") : "";
    };
    return "id=" + account_id + ";enabled=" + flag(enabled) + ";admin=" + flag(admin) +
           ";password_empty=" + flag(password_empty) +
           ";password_changed_at=" + password_changed_at.value_or("");
  }
};

struct ReviewRow {
  std::string agent_id;
  std::string account_name;
  std::string decision = "keep";
  std::string material;
  absl::Time reviewed_at = kNow - Days(10);
  std::optional<absl::Time> valid_until;
  std::optional<absl::Time> closed_at;
};

// GCC 12 warns about members left out of designated initializers, so rows are built and then
// changed: With(LocalAccount("agent-1", "tanaka"), [](AccountRow& a) { a.admin = 1; }).
template <typename Row, typename Change>
Row With(Row row, Change change) {
  change(row);
  return row;
}

HostRow Host(absl::string_view agent_id, absl::string_view hostname) {
  HostRow row;
  row.agent_id = std::string(agent_id);
  row.hostname = std::string(hostname);
  return row;
}

AccountRow LocalAccount(absl::string_view agent_id, absl::string_view name) {
  AccountRow row;
  row.agent_id = std::string(agent_id);
  row.name = std::string(name);
  return row;
}

// A review of `account` as it is now.
ReviewRow ReviewOf(const AccountRow& account, std::optional<absl::Time> valid_until) {
  ReviewRow row;
  row.agent_id = account.agent_id;
  row.account_name = account.name;
  row.material = account.Material();
  row.valid_until = valid_until;
  return row;
}

class KnowledgeReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<Database> db =
        Database::Open(path(), Database::OpenMode::kCreateIfMissing, CollectorSchema());
    ASSERT_TRUE(db.ok()) << db.status();
    db_.emplace(*std::move(db));
    absl::StatusOr<KnowledgeReader> reader = KnowledgeReader::Open(path());
    ASSERT_TRUE(reader.ok()) << reader.status();
    reader_.emplace(*std::move(reader));
  }

  std::filesystem::path path() const { return dir_.path() / "collector.db"; }
  Database& db() { return *db_; }
  KnowledgeReader& reader() { return *reader_; }

  void Exec(absl::string_view sql, std::initializer_list<SqlParam> params) {
    absl::Status status = db().Run(sql, params);
    ASSERT_TRUE(status.ok()) << status << "\n" << sql;
  }

  void AddHost(const HostRow& host) {
    Exec(
        "INSERT INTO agents (agent_id, hostname, agent_version, first_seen, last_seen, "
        "contact_state, removed_at) VALUES (?1, ?2, '0.6.0', ?3, ?4, ?5, ?6)",
        {host.agent_id, host.hostname, Ago(Days(100)), Ago(absl::Minutes(1)),
         host.has_snapshot ? host.contact_state : "never_reported",
         host.removed ? std::optional<std::string>(Ago(Days(1))) : std::nullopt});
    if (!host.has_snapshot) {
      return;
    }
    Exec(
        "INSERT INTO hosts (agent_id, hostname, os_family, os_name, os_version, os_build, "
        "os_pretty_name, kernel_version, architecture, machine_id, last_snapshot_at, last_seen, "
        "role, os_edition, end_of_support, manufacturer, model, serial_number, cpu_model, "
        "memory_bytes, addresses, mac_addresses, software_count, last_snapshot_seq) VALUES "
        "(?1, ?2, 'windows', ?3, '10.0.19045', '19045.5011', 'Windows 10 Pro', '', 'x86_64', "
        "'m-1', ?4, ?4, ?5, 'Professional', '2025-10-14', 'FUJITSU', 'ESPRIMO D588', 'SN123', "
        "'Intel(R) Core(TM) i5', 17179869184, ?6, '[\"aa:bb:cc:dd:ee:ff\"]', 3, 1)",
        {host.agent_id, host.hostname, host.os_name, Ago(absl::Minutes(1)), host.role,
         host.addresses});
  }
  void AddHost(absl::string_view agent_id, absl::string_view hostname) {
    AddHost(Host(agent_id, hostname));
  }

  void AddFinding(absl::string_view agent_id, absl::string_view rule_id, absl::string_view status,
                  absl::string_view evidence = "証拠") {
    Exec(
        "INSERT INTO findings (agent_id, rule_id, status, evidence, since, evaluated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        {agent_id, rule_id, status, evidence, Ago(Days(3)), Ago(absl::Minutes(5))});
  }

  void AddChange(absl::string_view agent_id, absl::string_view rule_id,
                 std::optional<std::string> old_status, absl::string_view new_status,
                 const std::string& at) {
    Exec(
        "INSERT INTO finding_history (agent_id, rule_id, old_status, new_status, at, evidence) "
        "VALUES (?1, ?2, ?3, ?4, ?5, 'e')",
        {agent_id, rule_id, old_status, new_status, at});
  }

  void AddSoftware(absl::string_view agent_id, absl::string_view name, absl::string_view version,
                   absl::string_view publisher = "Vendor") {
    Exec(
        "INSERT INTO host_software (agent_id, name, version, publisher, installed_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5)",
        {agent_id, name, version, publisher, Ago(Days(30))});
  }

  void AddAccount(const AccountRow& account) {
    Exec(
        "INSERT INTO host_accounts (agent_id, name, account_id, full_name, groups, "
        "system_account, enabled, admin, locked, password_empty, password_expires, "
        "password_changed_at, last_logon, rule_ids, material, first_seen, last_seen, removed_at) "
        "VALUES (?1, ?2, ?3, '', '[]', ?4, ?5, ?6, ?7, ?8, ?9, ?10, NULL, ?11, ?12, ?13, ?13, ?14)",
        {account.agent_id, account.name, account.account_id,
         static_cast<std::int64_t>(account.system_account), IntOrNull(account.enabled),
         IntOrNull(account.admin), IntOrNull(account.locked), IntOrNull(account.password_empty),
         IntOrNull(account.password_expires), account.password_changed_at, account.rule_ids,
         account.Material(), Ago(Days(200)), account.removed_at});
  }

  void AddReview(const ReviewRow& review) {
    auto text = [](const std::optional<absl::Time>& time) -> std::optional<std::string> {
      return time.has_value() ? std::optional<std::string>(FormatStoredTime(*time)) : std::nullopt;
    };
    Exec(
        "INSERT INTO account_reviews (agent_id, account_name, decision, note, reviewer, "
        "reviewed_at, material, valid_until, closed_at, closed_reason) "
        "VALUES (?1, ?2, ?3, 'note', 'sato', ?4, ?5, ?6, ?7, ?8)",
        {review.agent_id, review.account_name, review.decision,
         FormatStoredTime(review.reviewed_at), review.material, text(review.valid_until),
         text(review.closed_at),
         review.closed_at.has_value() ? std::optional<std::string>("closed") : std::nullopt});
  }

  void AddEpisode(absl::string_view agent_id, const std::string& started_at,
                  const std::string& ended_at, bool open) {
    Exec(
        "INSERT INTO idle_episodes (agent_id, started_at, ended_at, max_idle_s, idle_since, "
        "locked, open) VALUES (?1, ?2, ?3, 7200, ?2, NULL, ?4)",
        {agent_id, started_at, ended_at, static_cast<std::int64_t>(open)});
  }

  // The one account entry of `name`, with its review state as of `now`.
  v1::AccountEntry Entry(absl::string_view name, absl::Time now = kNow) {
    v1::ListAccountsRequest request;
    request.set_include_system(true);
    request.set_include_removed(true);
    absl::StatusOr<v1::ListAccountsResponse> response =
        reader().ListAccounts(request, rules::Policy{}, now);
    EXPECT_TRUE(response.ok()) << response.status();
    if (response.ok()) {
      for (const v1::AccountEntry& account : response->accounts()) {
        if (account.name() == name) {
          return account;
        }
      }
    }
    ADD_FAILURE() << "no account " << name;
    return {};
  }

  std::vector<std::string> HostNames(const v1::ListHostsResponse& response) {
    std::vector<std::string> names;
    for (const v1::Host& host : response.hosts()) {
      names.push_back(host.hostname());
    }
    return names;
  }

  testing::TempDir dir_;
  std::optional<Database> db_;
  std::optional<KnowledgeReader> reader_;
};

v1::ListHostsRequest HostsPage(int size, const std::string& token = "") {
  v1::ListHostsRequest request;
  request.mutable_page()->set_page_size(size);
  request.mutable_page()->set_page_token(token);
  return request;
}

// ---- Opening
// -------------------------------------------------------------------------------------

TEST(KnowledgeReaderOpen, RefusesADatabaseThatDoesNotExist) {
  testing::TempDir dir;
  absl::StatusOr<KnowledgeReader> reader = KnowledgeReader::Open(dir.path() / "missing.db");
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "missing.db"));
}

// ---- Paging
// --------------------------------------------------------------------------------------

TEST_F(KnowledgeReaderTest, PageSizeZeroMeansOneHundred) {
  for (int i = 0; i < 150; ++i) {
    AddHost(absl::StrCat("agent-", 1000 + i), absl::StrCat("pc-", 1000 + i));
  }
  absl::StatusOr<v1::ListHostsResponse> first = reader().ListHosts(HostsPage(0));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->hosts_size(), kDefaultPageSize);
  EXPECT_EQ(first->hosts(0).hostname(), "pc-1000");
  ASSERT_FALSE(first->next_page_token().empty());
  absl::StatusOr<v1::ListHostsResponse> second =
      reader().ListHosts(HostsPage(0, first->next_page_token()));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->hosts_size(), 50);
  EXPECT_EQ(second->hosts(0).hostname(), "pc-1100");
  EXPECT_THAT(second->next_page_token(), IsEmpty());

  absl::StatusOr<v1::ListHostsResponse> all = reader().ListHosts(HostsPage(kMaxPageSize));
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->hosts_size(), 150);
  EXPECT_THAT(all->next_page_token(), IsEmpty());
}

TEST_F(KnowledgeReaderTest, RefusesPageSizesOutOfBoundsNamingTheField) {
  for (int size : {-1, kMaxPageSize + 1, 1 << 30}) {
    absl::StatusOr<v1::ListHostsResponse> response = reader().ListHosts(HostsPage(size));
    EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument) << size;
    EXPECT_THAT(response.status().message(), HasSubstr("page.page_size")) << size;
  }
  v1::ListFindingsRequest findings;
  findings.mutable_page()->set_page_size(1001);
  EXPECT_EQ(reader().ListFindings(findings).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(KnowledgeReaderTest, WalksEveryPageWithTheReturnedTokensInOrder) {
  for (const char* name : {"d", "b", "e", "a", "c"}) {
    AddHost(absl::StrCat("agent-", name), name);
  }
  std::vector<std::string> seen;
  std::vector<int> sizes;
  std::string token;
  do {
    absl::StatusOr<v1::ListHostsResponse> page = reader().ListHosts(HostsPage(2, token));
    ASSERT_TRUE(page.ok()) << page.status();
    sizes.push_back(page->hosts_size());
    for (const std::string& name : HostNames(*page)) {
      seen.push_back(name);
    }
    token = page->next_page_token();
  } while (!token.empty() && sizes.size() < 10);
  EXPECT_THAT(seen, ElementsAre("a", "b", "c", "d", "e"));
  EXPECT_THAT(sizes, ElementsAre(2, 2, 1));
}

TEST_F(KnowledgeReaderTest, LastFullPageHasNoNextToken) {
  for (const char* name : {"a", "b"}) {
    AddHost(absl::StrCat("agent-", name), name);
  }
  absl::StatusOr<v1::ListHostsResponse> page = reader().ListHosts(HostsPage(2));
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->hosts_size(), 2);
  EXPECT_THAT(page->next_page_token(), IsEmpty());
}

TEST_F(KnowledgeReaderTest, RefusesPageTokensItDidNotIssue) {
  for (const char* token : {"x1", "o", "o-1", "o+1", "o1234567890", "o12a", " o1", "o1 ", "O1",
                            "o\xef\xbc\x91", "o0x10", "1"}) {
    absl::StatusOr<v1::ListHostsResponse> response = reader().ListHosts(HostsPage(2, token));
    EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument) << token;
    EXPECT_THAT(response.status().message(), HasSubstr("page.page_token")) << token;
  }
}

TEST_F(KnowledgeReaderTest, ATokenPastTheEndGivesAnEmptyLastPage) {
  AddHost("agent-a", "a");
  absl::StatusOr<v1::ListHostsResponse> page = reader().ListHosts(HostsPage(2, "o999999999"));
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->hosts_size(), 0);
  EXPECT_THAT(page->next_page_token(), IsEmpty());
}

// ---- Host resolution
// -----------------------------------------------------------------------------

TEST_F(KnowledgeReaderTest, ResolvesAHostByAgentIdOrByItsOneName) {
  AddHost("agent-1", "受付PC");
  v1::GetHostRequest request;
  request.set_host("agent-1");
  absl::StatusOr<v1::GetHostResponse> by_id = reader().GetHost(request);
  ASSERT_TRUE(by_id.ok()) << by_id.status();
  EXPECT_EQ(by_id->ledger().hostname(), "受付PC");
  request.set_host("受付PC");
  absl::StatusOr<v1::GetHostResponse> by_name = reader().GetHost(request);
  ASSERT_TRUE(by_name.ok()) << by_name.status();
  EXPECT_EQ(by_name->ledger().agent_id(), "agent-1");
}

TEST_F(KnowledgeReaderTest, AnUnknownHostIsNotFound) {
  AddHost("agent-1", "reception");
  v1::GetHostRequest request;
  request.set_host("RECEPTION");
  absl::StatusOr<v1::GetHostResponse> response = reader().GetHost(request);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(response.status().message(), HasSubstr("no host named 'RECEPTION'"));
}

TEST_F(KnowledgeReaderTest, AnAmbiguousHostNameAsksForTheAgentId) {
  AddHost("agent-1", "pc");
  AddHost("agent-2", "pc");
  v1::ListFindingsRequest request;
  request.set_host("pc");
  absl::StatusOr<v1::ListFindingsResponse> response = reader().ListFindings(request);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(response.status().message(), HasSubstr("names 2 hosts"));
  EXPECT_THAT(response.status().message(), HasSubstr("use the agent id"));
  request.set_host("agent-2");
  EXPECT_TRUE(reader().ListFindings(request).ok());
}

TEST_F(KnowledgeReaderTest, AnAgentIdWinsOverAHostOfTheSameName) {
  AddHost("agent-1", "agent-2");
  AddHost("agent-2", "other");
  v1::GetHostRequest request;
  request.set_host("agent-2");
  absl::StatusOr<v1::GetHostResponse> response = reader().GetHost(request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->ledger().agent_id(), "agent-2");
}

TEST_F(KnowledgeReaderTest, RemovedAgentsAreNeverResolvedNorListed) {
  AddHost(With(Host("agent-old", "pc"), [](HostRow& h) { h.removed = true; }));
  AddHost("agent-new", "pc");
  AddFinding("agent-old", "MAM-USB-001", "fail");
  AddSoftware("agent-old", "Old", "1");
  v1::GetHostRequest request;
  request.set_host("agent-old");
  EXPECT_EQ(reader().GetHost(request).status().code(), absl::StatusCode::kNotFound);
  request.set_host("pc");
  absl::StatusOr<v1::GetHostResponse> by_name = reader().GetHost(request);
  ASSERT_TRUE(by_name.ok()) << by_name.status();
  EXPECT_EQ(by_name->ledger().agent_id(), "agent-new");

  absl::StatusOr<v1::ListHostsResponse> hosts = reader().ListHosts({});
  ASSERT_TRUE(hosts.ok());
  ASSERT_EQ(hosts->hosts_size(), 1);
  EXPECT_EQ(hosts->hosts(0).agent_id(), "agent-new");
  absl::StatusOr<v1::ListFindingsResponse> findings = reader().ListFindings({});
  ASSERT_TRUE(findings.ok());
  EXPECT_EQ(findings->total(), 0);
  absl::StatusOr<v1::ListSoftwareResponse> software = reader().ListSoftware({});
  ASSERT_TRUE(software.ok());
  EXPECT_EQ(software->total(), 0);
}

TEST_F(KnowledgeReaderTest, GetHostRequiresAHostAndBoundsTheHistory) {
  AddHost("agent-1", "pc");
  EXPECT_EQ(reader().GetHost({}).status().code(), absl::StatusCode::kInvalidArgument);
  v1::GetHostRequest request;
  request.set_host("agent-1");
  for (int limit : {-1, 5001}) {
    request.set_history_limit(limit);
    absl::StatusOr<v1::GetHostResponse> response = reader().GetHost(request);
    EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument) << limit;
    EXPECT_THAT(response.status().message(), HasSubstr("history_limit"));
  }
  request.set_history_limit(5000);
  EXPECT_TRUE(reader().GetHost(request).ok());
}

// ---- Hosts and ledger
// ----------------------------------------------------------------------------

TEST_F(KnowledgeReaderTest, ListsHostsWithRoleContactAndCountsByName) {
  AddHost(With(Host("agent-s", "orca"), [](HostRow& h) {
    h.role = "server";
    h.contact_state = "stale";
  }));
  AddHost(Host("agent-w", "clinic-01"));
  AddHost(With(Host("agent-n", "new-pc"), [](HostRow& h) { h.has_snapshot = false; }));
  AddFinding("agent-w", "MAM-USB-001", "fail");
  AddFinding("agent-w", "MAM-PATCH-001", "fail");
  AddFinding("agent-w", "MAM-AV-001", "warn");
  AddFinding("agent-w", "MAM-FW-001", "pass");
  absl::StatusOr<v1::ListHostsResponse> response = reader().ListHosts({});
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_THAT(HostNames(*response), ElementsAre("clinic-01", "new-pc", "orca"));
  const v1::Host& workstation = response->hosts(0);
  EXPECT_EQ(workstation.role(), "workstation");
  EXPECT_EQ(workstation.contact_state(), v1::CONTACT_STATE_ONLINE);
  EXPECT_EQ(workstation.failing(), 2);
  EXPECT_EQ(workstation.warning(), 1);
  EXPECT_EQ(workstation.os_pretty_name(), "Windows 10 Pro");
  EXPECT_EQ(FromTimestamp(workstation.last_seen()), kNow - absl::Minutes(1));
  const v1::Host& never = response->hosts(1);
  EXPECT_EQ(never.role(), "");
  EXPECT_EQ(never.contact_state(), v1::CONTACT_STATE_NEVER_REPORTED);
  EXPECT_EQ(response->hosts(2).role(), "server");
  EXPECT_EQ(response->hosts(2).contact_state(), v1::CONTACT_STATE_STALE);
}

TEST_F(KnowledgeReaderTest, LedgerFiltersByRoleAndJoinsAnnotations) {
  AddHost(With(Host("agent-s", "orca"), [](HostRow& h) { h.role = "server"; }));
  AddHost(With(Host("agent-w1", "pc-2"),
               [](HostRow& h) { h.addresses = R"(["192.0.2.10/24","2001:db8::1/64"])"; }));
  AddHost(Host("agent-w2", "pc-1"));
  Exec(
      "INSERT INTO host_annotations (agent_id, location, purpose, person_in_charge, updated_by, "
      "updated_at) VALUES ('agent-w1', '受付', '電子カルテ端末', '田中', 'admin1', ?1)",
      {Ago(Days(2))});

  v1::ListLedgerRequest request;
  request.set_role("workstation");
  absl::StatusOr<v1::ListLedgerResponse> response = reader().ListLedger(request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->total(), 2);
  ASSERT_EQ(response->entries_size(), 2);
  EXPECT_EQ(response->entries(0).hostname(), "pc-1");
  EXPECT_FALSE(response->entries(0).has_annotations());
  const v1::LedgerEntry& entry = response->entries(1);
  EXPECT_EQ(entry.hostname(), "pc-2");
  EXPECT_THAT(entry.addresses(), ElementsAre("192.0.2.10/24", "2001:db8::1/64"));
  EXPECT_THAT(entry.mac_addresses(), ElementsAre("aa:bb:cc:dd:ee:ff"));
  EXPECT_EQ(entry.os_edition(), "Professional");
  EXPECT_EQ(entry.end_of_support(), "2025-10-14");
  EXPECT_EQ(entry.serial_number(), "SN123");
  EXPECT_EQ(entry.memory_bytes(), 17179869184u);
  EXPECT_EQ(entry.software_count(), 3);
  EXPECT_EQ(entry.agent_version(), "0.6.0");
  EXPECT_EQ(FromTimestamp(entry.first_seen()), kNow - Days(100));
  EXPECT_EQ(entry.annotations().location(), "受付");
  EXPECT_EQ(entry.annotations().purpose(), "電子カルテ端末");
  EXPECT_EQ(entry.annotations().person_in_charge(), "田中");
  EXPECT_EQ(entry.annotations().updated_by(), "admin1");
  EXPECT_EQ(FromTimestamp(entry.annotations().updated_at()), kNow - Days(2));

  request.set_role("server");
  response = reader().ListLedger(request);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->entries_size(), 1);
  EXPECT_EQ(response->entries(0).hostname(), "orca");

  request.set_role("");
  request.mutable_page()->set_page_size(1);
  response = reader().ListLedger(request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->total(), 3);
  EXPECT_EQ(response->entries_size(), 1);
  EXPECT_FALSE(response->next_page_token().empty());

  request.set_role("Server");
  response = reader().ListLedger(request);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(response.status().message(), HasSubstr("role"));
}

TEST_F(KnowledgeReaderTest, GetHostGathersLedgerFactsFindingsHistoryAndEpisodes) {
  AddHost("agent-1", "pc");
  v1::HostFacts facts;
  facts.mutable_inventory()->set_hostname("pc");
  facts.mutable_inventory()->set_os_name("Windows");
  std::string blob;
  ASSERT_TRUE(facts.SerializeToString(&blob));
  v1::HostFacts older = facts;
  older.mutable_inventory()->set_os_name("older");
  std::string older_blob;
  ASSERT_TRUE(older.SerializeToString(&older_blob));
  Exec(
      "INSERT INTO snapshots (agent_id, seq, collected_at, received_at, facts) VALUES "
      "('agent-1', 7, ?1, ?2, ?3), ('agent-1', 3, ?2, ?2, ?4)",
      {Ago(absl::Minutes(10)), Ago(absl::Minutes(9)), Blob{blob}, Blob{older_blob}});
  AddFinding("agent-1", "MAM-ZZZ-001", "warn");  // not in this collector's catalogue
  AddFinding("agent-1", "MAM-USB-001", "fail");
  AddFinding("agent-1", "MAM-PATCH-001", "pass");
  for (int i = 0; i < 5; ++i) {
    AddChange("agent-1", "MAM-USB-001", i == 0 ? std::nullopt : std::optional<std::string>("pass"),
              "fail", Ago(Days(10 - i)));
  }
  for (int i = 0; i < 60; ++i) {
    AddEpisode("agent-1", Ago(Days(100 - i)), Ago(Days(100 - i) - absl::Hours(2)), false);
  }

  v1::GetHostRequest request;
  request.set_host("pc");
  request.set_history_limit(3);
  absl::StatusOr<v1::GetHostResponse> response = reader().GetHost(request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->ledger().hostname(), "pc");
  EXPECT_EQ(response->facts().inventory().os_name(), "Windows");
  EXPECT_EQ(FromTimestamp(response->facts_collected_at()), kNow - absl::Minutes(10));

  std::vector<std::string> rule_ids;
  for (const v1::Finding& finding : response->findings()) {
    rule_ids.push_back(finding.rule_id());
  }
  EXPECT_THAT(rule_ids, ElementsAre("MAM-PATCH-001", "MAM-USB-001", "MAM-ZZZ-001"));
  const v1::Finding& usb = response->findings(1);
  const auto& catalogue = rules::RuleCatalogue();
  const auto rule =
      std::find_if(catalogue.begin(), catalogue.end(),
                   [](const rules::RuleDefinition& r) { return r.id == "MAM-USB-001"; });
  ASSERT_NE(rule, catalogue.end());
  EXPECT_EQ(usb.title_ja(), std::string(rule->title.ja));
  EXPECT_EQ(usb.title_en(), std::string(rule->title.en));
  EXPECT_EQ(usb.remediation_ja(), std::string(rule->remediation.ja));
  EXPECT_EQ(usb.area(), "USB");
  EXPECT_EQ(usb.mhlw_keys_size(), static_cast<int>(rule->mhlw.size()));
  EXPECT_EQ(usb.status(), v1::FINDING_STATUS_FAIL);
  EXPECT_EQ(FromTimestamp(usb.since()), kNow - Days(3));
  EXPECT_EQ(FromTimestamp(usb.evaluated_at()), kNow - absl::Minutes(5));
  const v1::Finding& unknown_rule = response->findings(2);
  EXPECT_EQ(unknown_rule.title_ja(), "MAM-ZZZ-001");
  EXPECT_EQ(unknown_rule.area(), "ZZZ");
  EXPECT_THAT(unknown_rule.remediation_ja(), IsEmpty());

  ASSERT_EQ(response->history_size(), 3);
  EXPECT_EQ(FromTimestamp(response->history(0).at()), kNow - Days(6));
  EXPECT_EQ(FromTimestamp(response->history(2).at()), kNow - Days(8));
  EXPECT_EQ(response->history(0).old_status(), v1::FINDING_STATUS_PASS);

  request.set_history_limit(0);
  response = reader().GetHost(request);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->history_size(), 5);
  EXPECT_EQ(response->history(4).old_status(), v1::FINDING_STATUS_UNSPECIFIED);
  ASSERT_EQ(response->idle_episodes_size(), 50);
  EXPECT_EQ(FromTimestamp(response->idle_episodes(0).from()), kNow - Days(41));
  EXPECT_EQ(response->idle_episodes(0).max_idle().seconds(), 7200);
  EXPECT_FALSE(response->idle_episodes(0).has_locked());
}

TEST_F(KnowledgeReaderTest, GetHostBeforeTheFirstSnapshotHasNoFacts) {
  AddHost(With(Host("agent-1", "pc"), [](HostRow& h) { h.has_snapshot = false; }));
  v1::GetHostRequest request;
  request.set_host("pc");
  absl::StatusOr<v1::GetHostResponse> response = reader().GetHost(request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_FALSE(response->has_facts());
  EXPECT_FALSE(response->has_facts_collected_at());
  EXPECT_EQ(response->ledger().contact_state(), v1::CONTACT_STATE_NEVER_REPORTED);
}

// ---- Findings
// ------------------------------------------------------------------------------------

class KnowledgeReaderFindingsTest : public KnowledgeReaderTest {
 protected:
  void SetUp() override {
    KnowledgeReaderTest::SetUp();
    AddHost("agent-b", "b-pc");
    AddHost("agent-a", "a-pc");
    AddFinding("agent-b", "MAM-USB-001", "fail");
    AddFinding("agent-a", "MAM-USB-002", "warn");
    AddFinding("agent-a", "MAM-USB-001", "fail");
    AddFinding("agent-a", "MAM-PATCH-001", "unknown");
    AddFinding("agent-b", "MAM-PATCH-001", "pass");
    AddFinding("agent-b", "MAM-IDLE-001", "na");
    AddFinding("agent-a", "MAM-AV-001", "fail");
  }

  std::vector<std::string> Keys(const v1::ListFindingsRequest& request) {
    absl::StatusOr<v1::ListFindingsResponse> response = reader().ListFindings(request);
    EXPECT_TRUE(response.ok()) << response.status();
    std::vector<std::string> keys;
    if (response.ok()) {
      for (const v1::Finding& finding : response->findings()) {
        keys.push_back(absl::StrCat(finding.hostname(), " ", finding.rule_id()));
      }
    }
    return keys;
  }
};

TEST_F(KnowledgeReaderFindingsTest, DefaultsToFailWarnUnknownByStatusThenHostThenRule) {
  EXPECT_THAT(Keys({}), ElementsAre("a-pc MAM-AV-001", "a-pc MAM-USB-001", "b-pc MAM-USB-001",
                                    "a-pc MAM-USB-002", "a-pc MAM-PATCH-001"));
}

TEST_F(KnowledgeReaderFindingsTest, ListsTheAskedStatusesInStatusOrder) {
  v1::ListFindingsRequest request;
  request.add_statuses(v1::FINDING_STATUS_NA);
  request.add_statuses(v1::FINDING_STATUS_PASS);
  request.add_statuses(v1::FINDING_STATUS_WARN);
  EXPECT_THAT(Keys(request),
              ElementsAre("a-pc MAM-USB-002", "b-pc MAM-PATCH-001", "b-pc MAM-IDLE-001"));
}

TEST_F(KnowledgeReaderFindingsTest, FiltersByRuleHostAndArea) {
  v1::ListFindingsRequest request;
  request.set_rule_id("MAM-USB-001");
  EXPECT_THAT(Keys(request), ElementsAre("a-pc MAM-USB-001", "b-pc MAM-USB-001"));
  request.set_host("b-pc");
  EXPECT_THAT(Keys(request), ElementsAre("b-pc MAM-USB-001"));
  request.Clear();
  request.set_area("usb");
  EXPECT_THAT(Keys(request),
              ElementsAre("a-pc MAM-USB-001", "b-pc MAM-USB-001", "a-pc MAM-USB-002"));
  request.set_area("US");
  EXPECT_THAT(Keys(request), IsEmpty());
  request.set_area("USB-%");
  EXPECT_EQ(reader().ListFindings(request).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(KnowledgeReaderFindingsTest, CountsTheTotalAcrossPages) {
  v1::ListFindingsRequest request;
  request.mutable_page()->set_page_size(2);
  absl::StatusOr<v1::ListFindingsResponse> first = reader().ListFindings(request);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->findings_size(), 2);
  EXPECT_EQ(first->total(), 5);
  request.mutable_page()->set_page_token(first->next_page_token());
  absl::StatusOr<v1::ListFindingsResponse> second = reader().ListFindings(request);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->findings(0).hostname(), "b-pc");
  EXPECT_EQ(second->total(), 5);
}

TEST_F(KnowledgeReaderFindingsTest, RefusesAnUnknownStatus) {
  v1::ListFindingsRequest request;
  request.add_statuses(v1::FINDING_STATUS_UNSPECIFIED);
  absl::StatusOr<v1::ListFindingsResponse> response = reader().ListFindings(request);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(response.status().message(), HasSubstr("statuses"));
  request.clear_statuses();
  request.add_statuses(static_cast<v1::FindingStatus>(42));
  EXPECT_EQ(reader().ListFindings(request).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(KnowledgeReaderTest, HistoryIsNewestFirstAndFilteredBySinceHostAndRule) {
  AddHost("agent-a", "a");
  AddHost("agent-b", "b");
  AddChange("agent-a", "MAM-USB-001", std::nullopt, "fail", Ago(Days(5)));
  AddChange("agent-a", "MAM-USB-001", "fail", "pass", Ago(Days(2)));
  AddChange("agent-b", "MAM-AV-001", std::nullopt, "warn", Ago(Days(3)));
  // A fraction of a second after `since`: as text it sorts before it, as a time it is after.
  AddChange("agent-b", "MAM-USB-001", std::nullopt, "fail",
            FormatStoredTime(kNow - Days(4) + absl::Milliseconds(500)));

  auto keys = [&](const v1::ListFindingHistoryRequest& request) {
    absl::StatusOr<v1::ListFindingHistoryResponse> response = reader().ListFindingHistory(request);
    EXPECT_TRUE(response.ok()) << response.status();
    std::vector<std::string> out;
    if (response.ok()) {
      for (const v1::FindingChange& change : response->changes()) {
        out.push_back(absl::StrCat(change.hostname(), " ", change.rule_id(), " ",
                                   v1::FindingStatus_Name(change.new_status())));
      }
    }
    return out;
  };
  v1::ListFindingHistoryRequest request;
  EXPECT_THAT(
      keys(request),
      ElementsAre("a MAM-USB-001 FINDING_STATUS_PASS", "b MAM-AV-001 FINDING_STATUS_WARN",
                  "b MAM-USB-001 FINDING_STATUS_FAIL", "a MAM-USB-001 FINDING_STATUS_FAIL"));
  request.mutable_since()->set_seconds(absl::ToUnixSeconds(kNow - Days(4)));
  EXPECT_THAT(keys(request),
              ElementsAre("a MAM-USB-001 FINDING_STATUS_PASS", "b MAM-AV-001 FINDING_STATUS_WARN",
                          "b MAM-USB-001 FINDING_STATUS_FAIL"));
  request.set_rule_id("MAM-USB-001");
  EXPECT_THAT(keys(request), ElementsAre("a MAM-USB-001 FINDING_STATUS_PASS",
                                         "b MAM-USB-001 FINDING_STATUS_FAIL"));
  request.set_host("b");
  EXPECT_THAT(keys(request), ElementsAre("b MAM-USB-001 FINDING_STATUS_FAIL"));

  request.Clear();
  request.mutable_page()->set_page_size(3);
  absl::StatusOr<v1::ListFindingHistoryResponse> page = reader().ListFindingHistory(request);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->changes_size(), 3);
  request.mutable_page()->set_page_token(page->next_page_token());
  EXPECT_THAT(keys(request), ElementsAre("a MAM-USB-001 FINDING_STATUS_FAIL"));

  request.Clear();
  request.mutable_since()->set_nanos(-1);
  absl::StatusOr<v1::ListFindingHistoryResponse> bad = reader().ListFindingHistory(request);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("since"));
}

// ---- Software
// ------------------------------------------------------------------------------------

class KnowledgeReaderSoftwareTest : public KnowledgeReaderTest {
 protected:
  void SetUp() override {
    KnowledgeReaderTest::SetUp();
    AddHost("agent-a", "a-pc");
    AddHost("agent-b", "b-pc");
    AddSoftware("agent-a", "Microsoft Office", "16.0", "Microsoft");
    AddSoftware("agent-b", "Microsoft Office", "16.0", "Microsoft");
    AddSoftware("agent-b", "Microsoft Office", "15.0", "Microsoft");
    AddSoftware("agent-a", "一太郎", "2024", "ジャストシステム");
    AddSoftware("agent-a", "100% Tool", "1");
    AddSoftware("agent-a", "x_y", "1");
    AddSoftware("agent-a", "xay", "1");
  }

  std::vector<std::string> Versions(const v1::ListSoftwareRequest& request) {
    absl::StatusOr<v1::ListSoftwareResponse> response = reader().ListSoftware(request);
    EXPECT_TRUE(response.ok()) << response.status();
    std::vector<std::string> out;
    if (response.ok()) {
      for (const v1::SoftwareVersion& version : response->versions()) {
        out.push_back(
            absl::StrCat(version.name(), " ", version.version(), " x", version.host_count()));
      }
      for (const v1::SoftwareInstall& install : response->installs()) {
        out.push_back(
            absl::StrCat(install.hostname(), " ", install.name(), " ", install.version()));
      }
    }
    return out;
  }
};

TEST_F(KnowledgeReaderSoftwareTest, AggregatesVersionsWithTheirHostCountsByNameAndVersion) {
  EXPECT_THAT(Versions({}),
              ElementsAre("100% Tool 1 x1", "Microsoft Office 15.0 x1", "Microsoft Office 16.0 x2",
                          "x_y 1 x1", "xay 1 x1", "一太郎 2024 x1"));
}

TEST_F(KnowledgeReaderSoftwareTest, MatchesNamesCaseInsensitivelyAndTakesWildcardsLiterally) {
  v1::ListSoftwareRequest request;
  request.set_name_contains("OFFICE");
  EXPECT_THAT(Versions(request),
              ElementsAre("Microsoft Office 15.0 x1", "Microsoft Office 16.0 x2"));
  request.set_name_contains("%");
  EXPECT_THAT(Versions(request), ElementsAre("100% Tool 1 x1"));
  request.set_name_contains("_");
  EXPECT_THAT(Versions(request), ElementsAre("x_y 1 x1"));
  request.set_name_contains("太郎");
  EXPECT_THAT(Versions(request), ElementsAre("一太郎 2024 x1"));
}

TEST_F(KnowledgeReaderSoftwareTest, ListsWhichHostsHaveAVersion) {
  v1::ListSoftwareRequest request;
  request.set_name_contains("office");
  request.set_version("16.0");
  request.set_by_host(true);
  absl::StatusOr<v1::ListSoftwareResponse> response = reader().ListSoftware(request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->total(), 2);
  EXPECT_THAT(Versions(request),
              ElementsAre("a-pc Microsoft Office 16.0", "b-pc Microsoft Office 16.0"));
  EXPECT_EQ(FromTimestamp(response->installs(0).installed_at()), kNow - Days(30));
  EXPECT_EQ(response->installs(0).publisher(), "Microsoft");
  request.set_host("b-pc");
  EXPECT_THAT(Versions(request), ElementsAre("b-pc Microsoft Office 16.0"));
  request.set_version("16");
  EXPECT_THAT(Versions(request), IsEmpty());
}

TEST_F(KnowledgeReaderSoftwareTest, CountsAggregatedRowsAcrossPages) {
  v1::ListSoftwareRequest request;
  request.mutable_page()->set_page_size(4);
  absl::StatusOr<v1::ListSoftwareResponse> first = reader().ListSoftware(request);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->versions_size(), 4);
  EXPECT_EQ(first->total(), 6);
  request.mutable_page()->set_page_token(first->next_page_token());
  EXPECT_THAT(Versions(request), ElementsAre("xay 1 x1", "一太郎 2024 x1"));
}

// ---- Idle episodes
// -------------------------------------------------------------------------------

TEST_F(KnowledgeReaderTest, IdleEpisodesAreNewestFirstAndFilteredByEndAndHost) {
  AddHost("agent-a", "a");
  AddHost("agent-b", "b");
  AddEpisode("agent-a", Ago(Days(3)), Ago(Days(3) - absl::Hours(5)), false);
  AddEpisode("agent-b", Ago(Days(2)), Ago(Days(2) - absl::Hours(1)), false);
  AddEpisode("agent-a", Ago(absl::Hours(3)), Ago(absl::Minutes(1)), true);
  auto list = [&](const v1::ListIdleEpisodesRequest& request) {
    absl::StatusOr<v1::ListIdleEpisodesResponse> response = reader().ListIdleEpisodes(request);
    EXPECT_TRUE(response.ok()) << response.status();
    std::vector<std::string> out;
    if (response.ok()) {
      for (const v1::IdleEpisode& episode : response->episodes()) {
        out.push_back(absl::StrCat(episode.hostname(), episode.open() ? " open" : ""));
      }
    }
    return out;
  };
  v1::ListIdleEpisodesRequest request;
  EXPECT_THAT(list(request), ElementsAre("a open", "b", "a"));
  // Ended at or after: the second one ended exactly then.
  request.mutable_since()->set_seconds(absl::ToUnixSeconds(kNow - Days(2) + absl::Hours(1)));
  EXPECT_THAT(list(request), ElementsAre("a open", "b"));
  request.set_host("a");
  EXPECT_THAT(list(request), ElementsAre("a open"));
}

// ---- Accounts and their review state
// -------------------------------------------------------------

TEST_F(KnowledgeReaderTest, AnAccountNeverReviewedIsDue) {
  AddHost("agent-1", "pc");
  AddAccount(LocalAccount("agent-1", "tanaka"));
  const v1::AccountEntry account = Entry("tanaka");
  EXPECT_TRUE(account.due());
  EXPECT_EQ(account.due_reason(), "未レビュー");
  EXPECT_FALSE(account.has_review());
}

TEST_F(KnowledgeReaderTest, AnOpenReviewOfTheSameFactsWithinItsTimeIsNotDue) {
  AddHost("agent-1", "pc");
  const AccountRow row = LocalAccount("agent-1", "tanaka");
  AddAccount(row);
  AddReview(ReviewOf(row, kNow + Days(1)));
  const v1::AccountEntry account = Entry("tanaka");
  EXPECT_FALSE(account.due());
  EXPECT_THAT(account.due_reason(), IsEmpty());
  EXPECT_EQ(account.review().decision(), v1::REVIEW_DECISION_KEEP);
  EXPECT_EQ(account.review().reviewer(), "sato");
  EXPECT_EQ(FromTimestamp(account.review().valid_until()), kNow + Days(1));
  EXPECT_FALSE(account.review().has_closed_at());
}

TEST_F(KnowledgeReaderTest, AClosedNewestReviewLeavesTheAccountUnreviewed) {
  AddHost("agent-1", "pc");
  const AccountRow row = LocalAccount("agent-1", "tanaka");
  AddAccount(row);
  AddReview(
      With(ReviewOf(row, kNow + Days(100)), [](ReviewRow& r) { r.closed_at = kNow - Days(1); }));
  const v1::AccountEntry account = Entry("tanaka");
  EXPECT_TRUE(account.due());
  EXPECT_EQ(account.due_reason(), "未レビュー");
  EXPECT_EQ(account.review().closed_reason(), "closed");
}

TEST_F(KnowledgeReaderTest, TheNewestReviewDecidesNotAnOlderOpenOne) {
  AddHost("agent-1", "pc");
  const AccountRow row = LocalAccount("agent-1", "tanaka");
  AddAccount(row);
  AddReview(With(ReviewOf(row, kNow + Days(100)), [](ReviewRow& r) {
    r.reviewed_at = kNow - Days(20);
    r.closed_at = kNow - Days(1);
  }));
  AddReview(With(ReviewOf(row, kNow + Days(5)), [](ReviewRow& r) { r.decision = "investigate"; }));
  const v1::AccountEntry account = Entry("tanaka");
  EXPECT_FALSE(account.due());
  EXPECT_EQ(account.review().decision(), v1::REVIEW_DECISION_INVESTIGATE);
}

TEST_F(KnowledgeReaderTest, ARemovedAccountIsNeverDue) {
  AddHost("agent-1", "pc");
  AddAccount(
      With(LocalAccount("agent-1", "gone"), [](AccountRow& a) { a.removed_at = Ago(Days(1)); }));
  const v1::AccountEntry account = Entry("gone");
  EXPECT_FALSE(account.due());
  EXPECT_EQ(FromTimestamp(account.removed_at()), kNow - Days(1));
}

struct MaterialChangeCase {
  const char* name;
  AccountRow (*change)(AccountRow);
  const char* reason;
};

class KnowledgeReaderMaterialChangeTest : public KnowledgeReaderTest,
                                          public ::testing::WithParamInterface<MaterialChangeCase> {
};

TEST_P(KnowledgeReaderMaterialChangeTest, AChangedFactMakesAnOpenReviewDueNamingTheChange) {
  AddHost("agent-1", "pc");
  const AccountRow reviewed = With(LocalAccount("agent-1", "tanaka"),
                                   [](AccountRow& a) { a.password_changed_at = Ago(Days(50)); });
  AddAccount(GetParam().change(reviewed));
  AddReview(ReviewOf(reviewed, kNow + Days(100)));
  const v1::AccountEntry account = Entry("tanaka");
  EXPECT_TRUE(account.due());
  EXPECT_EQ(account.due_reason(), GetParam().reason);
}

INSTANTIATE_TEST_SUITE_P(
    EveryMaterialKey, KnowledgeReaderMaterialChangeTest,
    ::testing::Values(MaterialChangeCase{"admin",
                                         [](AccountRow row) {
                                           row.admin = 1;
                                           return row;
                                         },
                                         "管理者権限が変わりました"},
                      MaterialChangeCase{"enabled",
                                         [](AccountRow row) {
                                           row.enabled = std::nullopt;
                                           return row;
                                         },
                                         "有効/無効が変わりました"},
                      MaterialChangeCase{"password_changed_at",
                                         [](AccountRow row) {
                                           row.password_changed_at = Ago(Days(1));
                                           return row;
                                         },
                                         "パスワードが変更されました"},
                      MaterialChangeCase{"password_empty",
                                         [](AccountRow row) {
                                           row.password_empty = 1;
                                           return row;
                                         },
                                         "空パスワードの状態が変わりました"},
                      MaterialChangeCase{"id",
                                         [](AccountRow row) {
                                           row.account_id = "S-1-5-21-1-1002";
                                           return row;
                                         },
                                         "アカウントが作り直されました (ID変更)"},
                      MaterialChangeCase{"admin_and_enabled",
                                         [](AccountRow row) {
                                           row.enabled = 0;
                                           row.admin = 1;
                                           return row;
                                         },
                                         "管理者権限が変わりました、有効/無効が変わりました"}),
    [](const ::testing::TestParamInfo<MaterialChangeCase>& param_info) {
      return param_info.param.name;
    });

TEST_F(KnowledgeReaderTest, AKeptAccountIsDueSixMonthsAfterItsReview) {
  AddHost("agent-1", "pc");
  const AccountRow row = LocalAccount("agent-1", "tanaka");
  AddAccount(row);
  const absl::Time reviewed_at = kNow - Days(183);
  AddReview(With(ReviewOf(row, reviewed_at + Days(183)),
                 [&](ReviewRow& r) { r.reviewed_at = reviewed_at; }));
  const v1::AccountEntry due = Entry("tanaka", kNow);
  EXPECT_TRUE(due.due());
  EXPECT_EQ(due.due_reason(), "前回のレビューから6か月経過");
  EXPECT_FALSE(Entry("tanaka", kNow - absl::Seconds(1)).due());
}

TEST_F(KnowledgeReaderTest, InvestigateAndRemoveAreDueAfterThirtyDays) {
  AddHost("agent-1", "pc");
  const AccountRow looked_into = LocalAccount("agent-1", "a");
  const AccountRow to_remove = LocalAccount("agent-1", "b");
  AddAccount(looked_into);
  AddAccount(to_remove);
  AddReview(With(ReviewOf(looked_into, kNow), [](ReviewRow& r) {
    r.decision = "investigate";
    r.reviewed_at = kNow - Days(30);
  }));
  AddReview(With(ReviewOf(to_remove, kNow - Days(1)), [](ReviewRow& r) {
    r.decision = "remove";
    r.reviewed_at = kNow - Days(31);
  }));
  EXPECT_EQ(Entry("a").due_reason(), "調査中のまま30日経過");
  EXPECT_EQ(Entry("b").due_reason(), "削除予定のまま30日経過");
}

TEST_F(KnowledgeReaderTest, ListsAccountsDueFirstWithFiltersAndTheDueCount) {
  AddHost("agent-b", "b-pc");
  AddHost("agent-a", "a-pc");
  const AccountRow reviewed = LocalAccount("agent-a", "a-reviewed");
  AddAccount(reviewed);
  AddReview(ReviewOf(reviewed, kNow + Days(1)));
  AddAccount(LocalAccount("agent-b", "b-new"));
  AddAccount(LocalAccount("agent-a", "z-new"));
  AddAccount(
      With(LocalAccount("agent-a", "SYSTEM"), [](AccountRow& a) { a.system_account = true; }));
  AddAccount(
      With(LocalAccount("agent-a", "gone"), [](AccountRow& a) { a.removed_at = Ago(Days(3)); }));

  auto names = [&](const v1::ListAccountsRequest& request) {
    absl::StatusOr<v1::ListAccountsResponse> response =
        reader().ListAccounts(request, rules::Policy{}, kNow);
    EXPECT_TRUE(response.ok()) << response.status();
    std::vector<std::string> out;
    if (response.ok()) {
      for (const v1::AccountEntry& account : response->accounts()) {
        out.push_back(absl::StrCat(account.hostname(), " ", account.name()));
      }
    }
    return out;
  };
  v1::ListAccountsRequest request;
  EXPECT_THAT(names(request), ElementsAre("a-pc z-new", "b-pc b-new", "a-pc a-reviewed"));
  request.set_include_system(true);
  request.set_include_removed(true);
  EXPECT_THAT(names(request), ElementsAre("a-pc SYSTEM", "a-pc z-new", "b-pc b-new",
                                          "a-pc a-reviewed", "a-pc gone"));
  request.set_due_only(true);
  EXPECT_THAT(names(request), ElementsAre("a-pc SYSTEM", "a-pc z-new", "b-pc b-new"));
  request.set_host("a-pc");
  EXPECT_THAT(names(request), ElementsAre("a-pc SYSTEM", "a-pc z-new"));

  v1::ListAccountsRequest paged;
  paged.mutable_page()->set_page_size(2);
  absl::StatusOr<v1::ListAccountsResponse> first =
      reader().ListAccounts(paged, rules::Policy{}, kNow);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->total(), 3);
  EXPECT_EQ(first->due(), 2);
  EXPECT_EQ(first->accounts_size(), 2);
  paged.mutable_page()->set_page_token(first->next_page_token());
  absl::StatusOr<v1::ListAccountsResponse> second =
      reader().ListAccounts(paged, rules::Policy{}, kNow);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->accounts_size(), 1);
  EXPECT_EQ(second->accounts(0).name(), "a-reviewed");
  EXPECT_EQ(second->due(), 2);
  EXPECT_THAT(second->next_page_token(), IsEmpty());

  paged.mutable_page()->set_page_token("bogus");
  EXPECT_EQ(reader().ListAccounts(paged, rules::Policy{}, kNow).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(KnowledgeReaderTest, AccountEntriesCarryFlagsPasswordAgeAndRules) {
  AddHost("agent-1", "pc");
  AddAccount(With(LocalAccount("agent-1", "old"), [](AccountRow& a) {
    a.enabled = std::nullopt;
    a.admin = 1;
    a.password_empty = 1;
    a.password_changed_at = Ago(Days(200) + absl::Hours(5));
    a.locked = 1;
    a.password_expires = 0;
    a.rule_ids = R"(["MAM-ACCT-002","MAM-ACCT-004"])";
  }));
  AddAccount(With(LocalAccount("agent-1", "plain"), [](AccountRow& a) {
    a.admin = std::nullopt;
    a.locked = std::nullopt;
    a.password_expires = std::nullopt;
  }));
  const v1::AccountEntry old = Entry("old");
  EXPECT_FALSE(old.has_enabled());
  ASSERT_TRUE(old.has_admin());
  EXPECT_TRUE(old.admin());
  ASSERT_TRUE(old.has_password_age_days());
  EXPECT_EQ(old.password_age_days(), 200);
  EXPECT_EQ(FromTimestamp(old.password_changed_at()), kNow - Days(200) - absl::Hours(5));
  EXPECT_THAT(old.flags(), ElementsAre("locked", "password_empty", "password_never_expires"));
  EXPECT_THAT(old.rule_ids(), ElementsAre("MAM-ACCT-002", "MAM-ACCT-004"));
  EXPECT_EQ(old.account_id(), "S-1-5-21-1-1001");
  EXPECT_EQ(FromTimestamp(old.first_seen()), kNow - Days(200));
  const v1::AccountEntry plain = Entry("plain");
  ASSERT_TRUE(plain.has_enabled());
  EXPECT_TRUE(plain.enabled());
  EXPECT_FALSE(plain.has_admin());
  EXPECT_FALSE(plain.has_password_age_days());
  EXPECT_THAT(plain.flags(), IsEmpty());
}

TEST(KnowledgeReaderReviewState, NamesAChangeNoKnownKeyExplains) {
  EXPECT_EQ(DescribeMaterialChange("id=1;enabled=1", "id=1;enabled=1"), "");
  EXPECT_EQ(DescribeMaterialChange("id=1;enabled=1", "id=1;enabled=1;shell=/bin/sh"),
            "確認対象の属性が変わりました");
  EXPECT_EQ(DescribeMaterialChange("id=1;admin=", "id=1"), "管理者権限が変わりました");
  EXPECT_EQ(DescribeMaterialChange("garbage", "id=2"), "アカウントが作り直されました (ID変更)");
}

TEST(KnowledgeReaderReviewState, ANewDecisionStandsSixMonthsOrThirtyDays) {
  EXPECT_EQ(ReviewValidUntil(v1::REVIEW_DECISION_KEEP, kNow), kNow + Days(183));
  EXPECT_EQ(ReviewValidUntil(v1::REVIEW_DECISION_INVESTIGATE, kNow), kNow + Days(30));
  EXPECT_EQ(ReviewValidUntil(v1::REVIEW_DECISION_REMOVE, kNow), kNow + Days(30));
}

TEST_F(KnowledgeReaderTest, ADamagedStoredTimeIsDataLossNotAGuess) {
  AddHost("agent-1", "pc");
  Exec(
      "INSERT INTO findings (agent_id, rule_id, status, evidence, since, evaluated_at) "
      "VALUES ('agent-1', 'MAM-USB-001', 'fail', '', 'yesterday', 'yesterday')",
      {});
  absl::StatusOr<v1::ListFindingsResponse> response = reader().ListFindings({});
  EXPECT_EQ(response.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(response.status().message(), HasSubstr("yesterday"));
}

// ---- Recording reviews
// ---------------------------------------------------------------------------

v1::RecordAccountReviewRequest Review(absl::string_view host, absl::string_view account,
                                      v1::ReviewDecision decision, absl::string_view note) {
  v1::RecordAccountReviewRequest request;
  request.set_host(std::string(host));
  request.set_account(std::string(account));
  request.set_decision(decision);
  request.set_note(std::string(note));
  return request;
}

TEST_F(KnowledgeReaderTest, RecordingAReviewClosesThePreviousOneAndStandsSixMonths) {
  AddHost("agent-1", "受付PC");
  AddAccount(LocalAccount("agent-1", "田中"));
  absl::StatusOr<v1::RecordAccountReviewResponse> first = reader().RecordAccountReview(
      Review("受付PC", "田中", v1::REVIEW_DECISION_INVESTIGATE, "退職者か確認中"), "sato",
      rules::Policy{}, kNow - Days(10));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->account().due());
  EXPECT_EQ(FromTimestamp(first->account().review().valid_until()), kNow - Days(10) + Days(30));
  const std::int64_t first_id = first->account().review().review_id();

  absl::StatusOr<v1::RecordAccountReviewResponse> second = reader().RecordAccountReview(
      Review("agent-1", "田中", v1::REVIEW_DECISION_KEEP, ""), "suzuki", rules::Policy{}, kNow);
  ASSERT_TRUE(second.ok()) << second.status();
  const v1::AccountEntry& account = second->account();
  EXPECT_EQ(account.name(), "田中");
  EXPECT_EQ(account.hostname(), "受付PC");
  EXPECT_FALSE(account.due());
  EXPECT_EQ(account.review().decision(), v1::REVIEW_DECISION_KEEP);
  EXPECT_EQ(account.review().reviewer(), "suzuki");
  EXPECT_EQ(FromTimestamp(account.review().reviewed_at()), kNow);
  EXPECT_EQ(FromTimestamp(account.review().valid_until()), kNow + Days(183));
  EXPECT_FALSE(account.review().has_closed_at());
  const std::int64_t second_id = account.review().review_id();
  EXPECT_GT(second_id, first_id);

  absl::StatusOr<Statement> closed = db().Query(
      "SELECT closed_at, closed_reason, material FROM account_reviews WHERE review_id = ?1",
      {first_id});
  ASSERT_TRUE(closed.ok());
  ASSERT_TRUE(*closed->Step());
  EXPECT_EQ(closed->ColumnText(0), FormatStoredTime(kNow));
  EXPECT_EQ(closed->ColumnText(1), absl::StrCat("新しいレビュー (#", second_id, ") に置き換え"));
  EXPECT_EQ(closed->ColumnText(2), LocalAccount("agent-1", "田中").Material());

  // Due again when the facts change, and after six months.
  EXPECT_EQ(Entry("田中", kNow + Days(183)).due_reason(), "前回のレビューから6か月経過");
  Exec("UPDATE host_accounts SET material = ?1 WHERE name = '田中'",
       {With(LocalAccount("agent-1", "田中"), [](AccountRow& a) { a.admin = 1; }).Material()});
  EXPECT_EQ(Entry("田中").due_reason(), "管理者権限が変わりました");
}

TEST_F(KnowledgeReaderTest, RecordingAReviewChecksTheDecisionAndTheNote) {
  AddHost("agent-1", "pc");
  AddAccount(LocalAccount("agent-1", "tanaka"));
  auto code = [&](const v1::RecordAccountReviewRequest& request) {
    return reader().RecordAccountReview(request, "sato", rules::Policy{}, kNow).status();
  };
  absl::Status status = code(Review("pc", "tanaka", v1::REVIEW_DECISION_UNSPECIFIED, "x"));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("decision"));
  status = code(Review("pc", "tanaka", static_cast<v1::ReviewDecision>(9), "x"));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  for (v1::ReviewDecision decision :
       {v1::REVIEW_DECISION_REMOVE, v1::REVIEW_DECISION_INVESTIGATE}) {
    status = code(Review("pc", "tanaka", decision, ""));
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(status.message(), HasSubstr("note: required"));
  }
  std::string long_note;
  for (int i = 0; i < 2001; ++i) {
    long_note += "あ";
  }
  status = code(Review("pc", "tanaka", v1::REVIEW_DECISION_KEEP, long_note));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("note"));
  status = code(Review("pc", "tanaka", v1::REVIEW_DECISION_KEEP, "bad \xff utf-8"));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("UTF-8"));

  absl::StatusOr<Statement> count = db().Query("SELECT count(*) FROM account_reviews", {});
  ASSERT_TRUE(count.ok());
  ASSERT_TRUE(*count->Step());
  EXPECT_EQ(count->ColumnInt64(0), 0);

  long_note.resize(long_note.size() - 3);  // 2000 characters
  EXPECT_TRUE(code(Review("pc", "tanaka", v1::REVIEW_DECISION_REMOVE, long_note)).ok());
}

TEST_F(KnowledgeReaderTest, RecordingAReviewNeedsAnAccountThatIsStillThere) {
  AddHost("agent-1", "pc");
  AddAccount(
      With(LocalAccount("agent-1", "gone"), [](AccountRow& a) { a.removed_at = Ago(Days(1)); }));
  for (const char* name : {"nobody", "gone"}) {
    absl::Status status = reader()
                              .RecordAccountReview(Review("pc", name, v1::REVIEW_DECISION_KEEP, ""),
                                                   "sato", rules::Policy{}, kNow)
                              .status();
    EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << name;
    EXPECT_THAT(status.message(), HasSubstr(absl::StrCat("host 'pc' has no account '", name)));
  }
  EXPECT_EQ(reader()
                .RecordAccountReview(Review("nowhere", "x", v1::REVIEW_DECISION_KEEP, ""), "sato",
                                     rules::Policy{}, kNow)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_F(KnowledgeReaderTest, TheReviewRecordRefusesEditsAndDeletionButClosesOnce) {
  AddHost("agent-1", "pc");
  AddAccount(LocalAccount("agent-1", "tanaka"));
  ASSERT_TRUE(reader()
                  .RecordAccountReview(Review("pc", "tanaka", v1::REVIEW_DECISION_KEEP, "ok"),
                                       "sato", rules::Policy{}, kNow)
                  .ok());
  EXPECT_FALSE(db().Run("UPDATE account_reviews SET note = 'rewritten'", {}).ok());
  EXPECT_FALSE(db().Run("UPDATE account_reviews SET decision = 'remove'", {}).ok());
  EXPECT_FALSE(db().Run("UPDATE account_reviews SET valid_until = NULL", {}).ok());
  EXPECT_FALSE(db().Run("DELETE FROM account_reviews", {}).ok());
  // Closing needs both a time and a reason; a reason alone does not close anything.
  EXPECT_FALSE(db().Run("UPDATE account_reviews SET closed_reason = 'x'", {}).ok());
  EXPECT_FALSE(
      db().Run("UPDATE account_reviews SET closed_at = ?1", {FormatStoredTime(kNow)}).ok());
  EXPECT_TRUE(db().Run("UPDATE account_reviews SET closed_at = ?1, closed_reason = 'x'",
                       {FormatStoredTime(kNow)})
                  .ok());
  EXPECT_FALSE(db().Run("UPDATE account_reviews SET closed_at = ?1, closed_reason = 'y'",
                        {FormatStoredTime(kNow + absl::Hours(1))})
                   .ok());
}

// ---- Annotations
// ---------------------------------------------------------------------------------

TEST_F(KnowledgeReaderTest, AnnotationsKeepUnsetFieldsAndClearEmptyOnes) {
  AddHost("agent-1", "pc");
  v1::UpdateHostAnnotationsRequest request;
  request.set_host("pc");
  request.set_location("受付");
  absl::StatusOr<v1::UpdateHostAnnotationsResponse> first =
      reader().UpdateHostAnnotations(request, "admin1", kNow - Days(1));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->agent_id(), "agent-1");
  EXPECT_EQ(first->annotations().location(), "受付");
  EXPECT_THAT(first->annotations().purpose(), IsEmpty());
  EXPECT_EQ(first->annotations().updated_by(), "admin1");

  request.clear_location();
  request.set_purpose("電子カルテ端末");
  request.set_person_in_charge("田中");
  absl::StatusOr<v1::UpdateHostAnnotationsResponse> second =
      reader().UpdateHostAnnotations(request, "admin2", kNow);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->annotations().location(), "受付");
  EXPECT_EQ(second->annotations().purpose(), "電子カルテ端末");
  EXPECT_EQ(second->annotations().person_in_charge(), "田中");
  EXPECT_EQ(second->annotations().updated_by(), "admin2");
  EXPECT_EQ(FromTimestamp(second->annotations().updated_at()), kNow);

  request.Clear();
  request.set_host("agent-1");
  request.set_location("");
  absl::StatusOr<v1::UpdateHostAnnotationsResponse> third =
      reader().UpdateHostAnnotations(request, "admin1", kNow);
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_THAT(third->annotations().location(), IsEmpty());
  EXPECT_EQ(third->annotations().purpose(), "電子カルテ端末");

  v1::GetHostRequest get;
  get.set_host("pc");
  absl::StatusOr<v1::GetHostResponse> host = reader().GetHost(get);
  ASSERT_TRUE(host.ok());
  EXPECT_EQ(host->ledger().annotations().person_in_charge(), "田中");
  EXPECT_THAT(host->ledger().annotations().location(), IsEmpty());
}

TEST_F(KnowledgeReaderTest, AnnotationsAreAtMostTwoHundredCharactersOfUtf8) {
  AddHost("agent-1", "pc");
  std::string longest;
  for (int i = 0; i < 200; ++i) {
    longest += "漢";
  }
  v1::UpdateHostAnnotationsRequest request;
  request.set_host("pc");
  request.set_purpose(longest);
  EXPECT_TRUE(reader().UpdateHostAnnotations(request, "admin1", kNow).ok());
  request.set_purpose(longest + "a");
  absl::Status status = reader().UpdateHostAnnotations(request, "admin1", kNow).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("purpose"));
  request.clear_purpose();
  request.set_person_in_charge("\xe6\xbc");  // truncated sequence
  status = reader().UpdateHostAnnotations(request, "admin1", kNow).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("person_in_charge"));
  request.clear_person_in_charge();
  request.set_location(std::string(201, 'x'));
  status = reader().UpdateHostAnnotations(request, "admin1", kNow).status();
  EXPECT_THAT(status.message(), HasSubstr("location"));

  request.Clear();
  request.set_host("unknown");
  request.set_location("x");
  EXPECT_EQ(reader().UpdateHostAnnotations(request, "admin1", kNow).status().code(),
            absl::StatusCode::kNotFound);
}

// ---- Text from agents
// ----------------------------------------------------------------------------

TEST_F(KnowledgeReaderTest, ReturnsHostileTextByteForByte) {
  const std::vector<std::string> hostile = {
      "<script>alert(1)</script>&amp;",
      "=HYPERLINK(\"http://example.invalid\",\"click\")",
      "invoice\xe2\x80\xaetxt.exe",  // U+202E RIGHT-TO-LEFT OVERRIDE
      std::string("ctl\x01\x1b[31m\r\n\t\x7f", 13),
      std::string(10 * 1024, 'h') + "受付",
  };
  for (std::size_t i = 0; i < hostile.size(); ++i) {
    const std::string agent_id = absl::StrCat("agent-", i);
    AddHost(agent_id, hostile[i]);
    AddFinding(agent_id, "MAM-USB-001", "fail", hostile[i]);
    AddSoftware(agent_id, hostile[i], hostile[i], hostile[i]);
    AddAccount(LocalAccount(agent_id, hostile[i]));
  }
  absl::StatusOr<v1::ListHostsResponse> hosts = reader().ListHosts({});
  ASSERT_TRUE(hosts.ok()) << hosts.status();
  std::vector<std::string> names = HostNames(*hosts);
  std::vector<std::string> expected = hostile;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(names, expected);

  for (std::size_t i = 0; i < hostile.size(); ++i) {
    SCOPED_TRACE(i);
    v1::GetHostRequest get;
    get.set_host(hostile[i]);
    absl::StatusOr<v1::GetHostResponse> host = reader().GetHost(get);
    ASSERT_TRUE(host.ok()) << host.status();
    EXPECT_EQ(host->ledger().hostname(), hostile[i]);
    ASSERT_EQ(host->findings_size(), 1);
    EXPECT_EQ(host->findings(0).evidence(), hostile[i]);

    v1::ListSoftwareRequest software;
    software.set_host(hostile[i]);
    software.set_by_host(true);
    absl::StatusOr<v1::ListSoftwareResponse> installs = reader().ListSoftware(software);
    ASSERT_TRUE(installs.ok()) << installs.status();
    ASSERT_EQ(installs->installs_size(), 1);
    EXPECT_EQ(installs->installs(0).name(), hostile[i]);
    EXPECT_EQ(installs->installs(0).version(), hostile[i]);
    EXPECT_EQ(installs->installs(0).publisher(), hostile[i]);
    EXPECT_EQ(installs->installs(0).hostname(), hostile[i]);

    v1::ListAccountsRequest accounts;
    accounts.set_host(hostile[i]);
    absl::StatusOr<v1::ListAccountsResponse> listed =
        reader().ListAccounts(accounts, rules::Policy{}, kNow);
    ASSERT_TRUE(listed.ok()) << listed.status();
    ASSERT_EQ(listed->accounts_size(), 1);
    EXPECT_EQ(listed->accounts(0).name(), hostile[i]);

    absl::StatusOr<v1::RecordAccountReviewResponse> reviewed = reader().RecordAccountReview(
        Review(hostile[i], hostile[i], v1::REVIEW_DECISION_KEEP, hostile[i].substr(0, 100)), "sato",
        rules::Policy{}, kNow);
    ASSERT_TRUE(reviewed.ok()) << reviewed.status();
    EXPECT_EQ(reviewed->account().name(), hostile[i]);
  }
}

TEST_F(KnowledgeReaderTest, RefusesAHostFilterLongerThanAnyStoredName) {
  v1::ListFindingsRequest request;
  request.set_host(std::string(64 * 1024, 'x'));
  absl::StatusOr<v1::ListFindingsResponse> response = reader().ListFindings(request);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(response.status().message(), HasSubstr("host"));
}

// ---- GetClinicSummary (clinic_summary.cc): the console's dashboard --------------------------

v1::GetClinicSummaryResponse Summary(KnowledgeReader& reader,
                                     const std::vector<rules::Finding>& clinic = {}) {
  absl::StatusOr<v1::GetClinicSummaryResponse> summary =
      reader.GetClinicSummary(v1::GetClinicSummaryRequest(), rules::Policy{}, kNow, clinic);
  EXPECT_TRUE(summary.ok()) << summary.status();
  return summary.ok() ? *summary : v1::GetClinicSummaryResponse();
}

TEST_F(KnowledgeReaderTest, ClinicSummaryCountsPcsByWhatTheirVerdictsAllow) {
  AddHost("agent-ok", "uketsuke-01");
  AddFinding("agent-ok", "MAM-PATCH-001", "pass");
  AddFinding("agent-ok", "MAM-IDLE-001", "na");
  AddHost("agent-bad", "shinsatsu-01");
  AddFinding("agent-bad", "MAM-PATCH-001", "pass");
  AddFinding("agent-bad", "MAM-AV-001", "warn");
  // Passes and an unknown: what could not be checked is not a pass.
  AddHost("agent-unknown", "shinsatsu-02");
  AddFinding("agent-unknown", "MAM-PATCH-001", "pass");
  AddFinding("agent-unknown", "MAM-USB-001", "unknown");
  AddHost(With(Host("agent-new", "new-pc"), [](HostRow& h) { h.has_snapshot = false; }));
  AddHost(With(Host("agent-gone", "old-pc"), [](HostRow& h) { h.removed = true; }));
  AddFinding("agent-gone", "MAM-PATCH-001", "fail");

  const v1::GetClinicSummaryResponse summary = Summary(reader());
  EXPECT_EQ(summary.hosts(), 4);
  EXPECT_EQ(summary.compliant(), 1);
  EXPECT_EQ(summary.not_compliant(), 1);
  EXPECT_EQ(summary.unknown(), 2);
}

TEST_F(KnowledgeReaderTest, ClinicSummarySaysDemoOnlyForADatabaseMarkedAsADemo) {
  AddHost("agent-ok", "uketsuke-01");
  EXPECT_FALSE(Summary(reader()).demo());
  // What `serve --demo` writes.
  Exec("INSERT INTO collector_settings (name, value, set_at) VALUES ('demo', '1', ?1)",
       {"2026-11-30T00:00:00Z"});
  EXPECT_TRUE(Summary(reader()).demo());
  Exec("UPDATE collector_settings SET value = '0' WHERE name = 'demo'", {});
  EXPECT_FALSE(Summary(reader()).demo());
}

TEST_F(KnowledgeReaderTest, ClinicSummaryRanksUrgentActionsFailFirstThenByPcs) {
  for (const char* id : {"a1", "a2", "a3", "a4"}) {
    AddHost(id, std::string("pc-") + id);
  }
  // A warning on three PCs ranks after every failure; among failures more PCs first, then the
  // catalogue's order (PATCH before USB).
  AddFinding("a1", "MAM-AV-001", "warn");
  AddFinding("a2", "MAM-AV-001", "warn");
  AddFinding("a3", "MAM-AV-001", "warn");
  AddFinding("a1", "MAM-USB-001", "fail");
  AddFinding("a2", "MAM-PATCH-001", "fail");
  AddFinding("a3", "MAM-FW-001", "fail");
  AddFinding("a4", "MAM-FW-001", "warn");

  const v1::GetClinicSummaryResponse summary = Summary(reader());
  ASSERT_EQ(summary.urgent_actions_size(), 3);
  EXPECT_EQ(summary.urgent_actions(0).rule_id(), "MAM-FW-001");
  EXPECT_EQ(summary.urgent_actions(0).hosts(), 2);
  EXPECT_EQ(summary.urgent_actions(0).status(), v1::FINDING_STATUS_FAIL);
  EXPECT_EQ(summary.urgent_actions(1).rule_id(), "MAM-PATCH-001");
  EXPECT_EQ(summary.urgent_actions(2).rule_id(), "MAM-USB-001");
  EXPECT_EQ(summary.urgent_actions(2).hosts(), 1);
  // Titles and remediation come from the rule catalogue.
  const rules::RuleDefinition& fw =
      *std::find_if(rules::RuleCatalogue().begin(), rules::RuleCatalogue().end(),
                    [](const rules::RuleDefinition& rule) { return rule.id == "MAM-FW-001"; });
  EXPECT_EQ(summary.urgent_actions(0).title_ja(), std::string(fw.title.ja));
  EXPECT_EQ(summary.urgent_actions(0).remediation_ja(), std::string(fw.remediation.ja));
  EXPECT_EQ(summary.urgent_actions(0).area(), "FW");
}

TEST_F(KnowledgeReaderTest, ClinicSummaryCountsOpenFindingsPerDashboardArea) {
  AddHost("a1", "pc-1");
  AddHost("a2", "pc-2");
  AddFinding("a1", "MAM-PATCH-001", "fail");
  AddFinding("a2", "MAM-PATCH-002", "warn");
  AddFinding("a1", "MAM-AV-001", "warn");
  AddFinding("a1", "MAM-ACCT-001", "fail");
  AddFinding("a2", "MAM-LOGON-001", "fail");  // automatic logon counts with the accounts
  AddFinding("a1", "MAM-FW-001", "fail");     // firewall: other
  AddFinding("a2", "MAM-USB-001", "pass");    // passes are not open
  rules::Finding no_manager;
  no_manager.rule_id = "MAM-ORG-001";
  no_manager.area = "ORG";
  no_manager.title = {"安全管理責任者が未登録", "No security manager recorded"};
  no_manager.remediation = {"登録してください", "Record one"};
  no_manager.status = rules::Status::kFail;

  const v1::GetClinicSummaryResponse summary = Summary(reader(), {no_manager});
  ASSERT_EQ(summary.areas_size(), 7);
  std::vector<std::string> names;
  for (const v1::AreaFindings& area : summary.areas()) {
    names.push_back(area.area());
  }
  EXPECT_THAT(names, ElementsAre("patch", "antivirus", "usb", "idle", "accounts", "org", "other"));
  EXPECT_EQ(summary.areas(0).open(), 2);
  EXPECT_EQ(summary.areas(0).fail(), 1);
  EXPECT_EQ(summary.areas(0).warn(), 1);
  EXPECT_EQ(summary.areas(1).open(), 1);
  EXPECT_EQ(summary.areas(2).open(), 0);
  EXPECT_EQ(summary.areas(4).open(), 2);
  EXPECT_EQ(summary.areas(5).open(), 1);
  EXPECT_EQ(summary.areas(6).open(), 1);
  // The clinic's own failure is an urgent action with no PCs, after the PCs' failures that
  // concern more machines... here each failure concerns one PC, so catalogue order decides and
  // host rules come first.
  ASSERT_EQ(summary.urgent_actions_size(), 3);
  std::vector<std::string> urgent;
  for (const v1::UrgentAction& action : summary.urgent_actions()) {
    urgent.push_back(action.rule_id());
  }
  EXPECT_THAT(urgent, ElementsAre("MAM-PATCH-001", "MAM-ACCT-001", "MAM-LOGON-001"));
}

TEST_F(KnowledgeReaderTest, ClinicSummaryPutsAClinicFailureAmongTheUrgentActions) {
  AddHost("a1", "pc-1");
  AddFinding("a1", "MAM-AV-001", "warn");
  rules::Finding no_bcp;
  no_bcp.rule_id = "MAM-ORG-006";
  no_bcp.title = {"BCP が策定されていない", "No business continuity plan"};
  no_bcp.remediation = {"BCP を策定してください", "Write one"};
  no_bcp.status = rules::Status::kFail;
  const v1::GetClinicSummaryResponse summary = Summary(reader(), {no_bcp});
  ASSERT_EQ(summary.urgent_actions_size(), 2);
  EXPECT_EQ(summary.urgent_actions(0).rule_id(), "MAM-ORG-006");  // fail before warn
  EXPECT_EQ(summary.urgent_actions(0).hosts(), 0);
  EXPECT_EQ(summary.urgent_actions(0).title_ja(), "BCP が策定されていない");
  EXPECT_EQ(summary.urgent_actions(1).rule_id(), "MAM-AV-001");
  EXPECT_EQ(summary.urgent_actions(1).status(), v1::FINDING_STATUS_WARN);
}

TEST_F(KnowledgeReaderTest, ClinicSummaryTrendReplaysHistoryPerTokyoDay) {
  AddHost("a1", "pc-1");
  AddHost("a2", "pc-2");
  AddHost(With(Host("gone", "old-pc"), [](HostRow& h) { h.removed = true; }));
  // kNow is 18:00 in Tokyo; each change below is at 18:00 Tokyo on its day.
  AddChange("a2", "MAM-AV-001", std::nullopt, "pass", Ago(Days(100)));
  AddChange("a1", "MAM-PATCH-001", std::nullopt, "pass", Ago(Days(10)));
  AddChange("a1", "MAM-PATCH-001", "pass", "fail", Ago(Days(5)));
  AddChange("a1", "MAM-PATCH-001", "fail", "pass", Ago(Days(2)));
  AddChange("gone", "MAM-PATCH-001", std::nullopt, "pass", Ago(Days(50)));
  // An unknown counts as known but not compliant, as today.
  AddChange("a2", "MAM-USB-001", std::nullopt, "unknown", Ago(Days(1)));

  const v1::GetClinicSummaryResponse summary = Summary(reader());
  ASSERT_EQ(summary.trend_size(), 90);
  EXPECT_EQ(summary.trend(89).date(), "2026-11-25");
  EXPECT_EQ(summary.trend(0).date(), "2026-08-28");
  const auto point = [&](int days_ago) { return summary.trend(89 - days_ago); };
  EXPECT_EQ(point(89).known(), 1);
  EXPECT_EQ(point(89).compliant(), 1);
  EXPECT_EQ(point(11).known(), 1);
  EXPECT_EQ(point(10).known(), 2);
  EXPECT_EQ(point(10).compliant(), 2);
  EXPECT_EQ(point(5).compliant(), 1);
  EXPECT_EQ(point(3).compliant(), 1);
  EXPECT_EQ(point(2).compliant(), 2);
  EXPECT_EQ(point(1).compliant(), 1);
  EXPECT_EQ(point(0).compliant(), 1);
  EXPECT_EQ(point(0).known(), 2);
}

TEST_F(KnowledgeReaderTest, ClinicSummaryOfAnEmptyCollectorHasNinetyEmptyDays) {
  const v1::GetClinicSummaryResponse summary = Summary(reader());
  EXPECT_EQ(summary.hosts(), 0);
  EXPECT_EQ(summary.urgent_actions_size(), 0);
  ASSERT_EQ(summary.trend_size(), 90);
  for (const v1::CompliancePoint& point : summary.trend()) {
    EXPECT_EQ(point.known(), 0);
  }
}

}  // namespace
}  // namespace mamori::collector
