// The write side of the collector's knowledge, through the real store: a snapshot or heartbeat is
// committed by AgentRecordStore and KnowledgeWriter records findings, history, ledger, software,
// accounts and idle episodes in the same transaction; Sweep and ReevaluateAll run as maintenance.
#include "collector/knowledge/knowledge_writer.h"

#include <chrono>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "collector/ingest/validate.h"
#include "collector/knowledge/policy_source.h"
#include "collector/storage/agent_record_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "platform/rules/rule_catalogue.h"
#include "proto/codec/facts_codec.h"
#include "tests/collector/temp_dir.h"
#include "tests/collector/test_messages.h"

namespace mamori::collector {
namespace {

using ::mamori::collector::testing::HelloMessage;
using ::mamori::collector::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Row = std::vector<std::string>;

// Wednesday 2026-11-25 10:00 JST (business hours by the default calendar).
const absl::Time kWednesdayMorning = absl::FromUnixSeconds(1'795'568'400);
// Friday 2026-11-27 19:00 JST: after closing time.
const absl::Time kFridayEvening = absl::FromUnixSeconds(1'795'773'600);

facts::Timestamp Ts(absl::Time time) {
  return facts::Timestamp(std::chrono::seconds(absl::ToUnixSeconds(time)));
}

facts::SectionMeta Collected(absl::Time at) { return {facts::ProbeStatus::Ok(), Ts(at)}; }

facts::HostFacts WorkstationFacts(absl::Time at) {
  facts::HostFacts facts;
  facts::Inventory& inventory = facts.inventory;
  inventory.meta = Collected(at);
  inventory.hostname = "reception-01";
  inventory.os_family = facts::OsFamily::kLinux;
  inventory.os_id = "ubuntu";
  inventory.os_name = "Ubuntu";
  inventory.os_version = "22.04";
  inventory.os_pretty_name = "Ubuntu 22.04.4 LTS";
  inventory.cpu_model = "Intel(R) Core(TM) i5-8500";
  inventory.memory_bytes = 8ULL << 30;
  inventory.role = facts::HostRole::kWorkstation;
  inventory.hardware = {"FUJITSU", "ESPRIMO D588", "SN-1234"};
  inventory.interfaces = {{"eth0", "aa:bb:cc:dd:ee:01", {"192.0.2.10/24", "fe80::1/64"}},
                          {"wlan0", "aa:bb:cc:dd:ee:02", {"198.51.100.7/24"}},
                          {"lo", "", {"127.0.0.1/8"}}};
  inventory.software = {{"firefox", "120.0", "Mozilla", std::nullopt},
                        {"orca-client", "5.2", "ORCA", Ts(at - absl::Hours(24 * 30))}};
  facts.patch.meta = Collected(at);
  facts.patch.os_support_ends = "2027-04-30";
  facts.power.meta = Collected(at);
  facts.power.idle = std::chrono::seconds(60);
  facts.power.uptime = std::chrono::hours(2);
  facts.power.sessions = {{"1", "yamada", "x11", false, false, false, std::nullopt}};
  facts.logon.meta = Collected(at);
  facts.logon.screen_lock_enabled = true;
  facts.logon.screen_lock_timeout = std::chrono::minutes(20);
  facts.firewall.meta = Collected(at);
  facts.firewall.enabled = true;
  facts.firewall.product = "ufw";
  facts.accounts.meta = Collected(at);
  facts::LocalAccount yamada;
  yamada.name = "yamada";
  yamada.id = "1000";
  yamada.full_name = "山田 花子";
  yamada.groups = {"yamada", "sudo"};
  yamada.enabled = true;
  yamada.admin = true;
  yamada.password_empty = false;
  yamada.password_changed_at = Ts(absl::FromUnixSeconds(1'790'000'000));
  // Never logged on: an unused account, named in the finding's subjects.
  facts::LocalAccount suzuki = yamada;
  suzuki.name = "suzuki";
  suzuki.id = "1001";
  suzuki.full_name = "";
  suzuki.groups = {"suzuki"};
  suzuki.admin = false;
  suzuki.password_changed_at.reset();
  suzuki.enabled.reset();
  yamada.last_logon = Ts(at - absl::Hours(1));
  facts.accounts.accounts = {yamada, suzuki};
  return facts;
}

facts::HostFacts ServerFacts(absl::Time at) {
  facts::HostFacts facts = WorkstationFacts(at);
  facts.inventory.hostname = "orca-server";
  facts.inventory.role = facts::HostRole::kServer;
  return facts;
}

mamori::v1::AgentMessage SnapshotOf(std::uint64_t seq, const facts::HostFacts& facts,
                                    std::optional<absl::Time> collected_at) {
  mamori::v1::AgentMessage message;
  mamori::v1::Snapshot* snapshot = message.mutable_snapshot();
  snapshot->set_seq(seq);
  if (collected_at.has_value()) {
    snapshot->mutable_collected_at()->set_seconds(absl::ToUnixSeconds(*collected_at));
  }
  *snapshot->mutable_facts() = codec::ToProto(facts);
  return message;
}

mamori::v1::AgentMessage HeartbeatAt(std::uint64_t seq, absl::Time sent_at, absl::Duration idle,
                                     std::optional<bool> locked = std::nullopt) {
  mamori::v1::AgentMessage message;
  mamori::v1::Heartbeat* heartbeat = message.mutable_heartbeat();
  heartbeat->set_seq(seq);
  heartbeat->mutable_sent_at()->set_seconds(absl::ToUnixSeconds(sent_at));
  heartbeat->mutable_uptime()->set_seconds(absl::ToInt64Seconds(idle) + 3600);
  heartbeat->mutable_idle()->set_seconds(absl::ToInt64Seconds(idle));
  if (locked.has_value()) {
    heartbeat->set_session_locked(*locked);
  }
  heartbeat->set_sessions(1);
  return message;
}

rules::Policy HolidayPolicy() {
  rules::Policy policy;
  // The test days are holidays: every moment of them is outside business hours.
  policy.business_hours.holidays = {
      rules::LocalDate{std::chrono::year{2026}, std::chrono::November, std::chrono::day{27}},
      rules::LocalDate{std::chrono::year{2026}, std::chrono::November, std::chrono::day{28}}};
  return policy;
}

class KnowledgeWriterTest : public ::testing::Test {
 protected:
  void SetUp() override { OpenStore(); }

  void OpenStore() {
    absl::StatusOr<AgentRecordStore> store =
        AgentRecordStore::Open(dir_.path() / "mamori.db", Database::OpenMode::kCreateIfMissing);
    ASSERT_TRUE(store.ok()) << store.status();
    store_.emplace(*std::move(store));
    store_->SetObserver(&writer_);
  }

  std::vector<absl::StatusOr<RecordOutcome>> Commit(std::vector<AgentRecord> records) {
    absl::StatusOr<std::vector<absl::StatusOr<RecordOutcome>>> outcomes = store_->Commit(records);
    EXPECT_TRUE(outcomes.ok()) << outcomes.status();
    return outcomes.ok() ? *std::move(outcomes) : std::vector<absl::StatusOr<RecordOutcome>>{};
  }

  void CommitOk(std::vector<AgentRecord> records) {
    for (const absl::StatusOr<RecordOutcome>& outcome : Commit(std::move(records))) {
      ASSERT_TRUE(outcome.ok()) << outcome.status();
    }
  }

  void Hello(const std::string& agent_id, absl::Time at) {
    CommitOk({{agent_id, HelloMessage(agent_id), at}});
  }

  // Every row of `sql` (its first `columns` columns) as text; NULL reads as "<null>".
  std::vector<Row> Rows(int columns, const std::string& sql,
                        std::initializer_list<SqlParam> params = {}) {
    std::vector<Row> rows;
    absl::Status status = store_->RunInTransaction([&](Database& db) -> absl::Status {
      absl::StatusOr<Statement> query = db.Query(sql, params);
      if (!query.ok()) {
        return query.status();
      }
      return query->ForEachRow([&](const Statement& row) {
        Row values;
        for (int i = 0; i < columns; ++i) {
          values.push_back(row.ColumnIsNull(i) ? "<null>" : row.ColumnText(i));
        }
        rows.push_back(std::move(values));
        return absl::OkStatus();
      });
    });
    EXPECT_TRUE(status.ok()) << status;
    return rows;
  }
  std::string One(const std::string& sql, std::initializer_list<SqlParam> params = {}) {
    std::vector<Row> rows = Rows(1, sql, params);
    EXPECT_EQ(rows.size(), 1u) << sql;
    return rows.empty() ? "<no row>" : rows[0][0];
  }

  std::string Finding(const std::string& agent_id, const std::string& rule_id) {
    return One("SELECT status FROM findings WHERE agent_id = ?1 AND rule_id = ?2",
               {agent_id, rule_id});
  }

  void SetPolicy(rules::Policy policy, std::string sha256 = "test") {
    policy_.Replace(LoadedPolicy{std::move(policy), std::move(sha256), "test.toml"});
  }

  TempDir dir_;
  PolicySource policy_{DefaultLoadedPolicy()};
  KnowledgeWriter writer_{policy_};
  std::optional<AgentRecordStore> store_;
};

TEST_F(KnowledgeWriterTest, StoresFindingsAndEntersTheHistoryOnlyWhenAStatusChanges) {
  const absl::Time t1 = kWednesdayMorning;
  const absl::Time t2 = t1 + absl::Hours(1);
  const absl::Time t3 = t1 + absl::Hours(2);
  Hello("agent-1", t1);
  CommitOk({{"agent-1", SnapshotOf(1, WorkstationFacts(t1), t1), t1 + absl::Seconds(3)}});

  EXPECT_EQ(Finding("agent-1", "MAM-FW-001"), "pass");
  const std::string rules_evaluated =
      One("SELECT COUNT(*) FROM findings WHERE agent_id = 'agent-1'");
  EXPECT_EQ(rules_evaluated, std::to_string(rules::RuleCatalogue().size()));
  // Every first verdict is a history row with no old status.
  EXPECT_EQ(One("SELECT COUNT(*) FROM finding_history WHERE old_status IS NULL"), rules_evaluated);
  const std::string history_after_first = One("SELECT COUNT(*) FROM finding_history");

  CommitOk({{"agent-1", SnapshotOf(2, WorkstationFacts(t2), t2), t2 + absl::Seconds(3)}});
  EXPECT_EQ(Rows(3,
                 "SELECT status, since, evaluated_at FROM findings "
                 "WHERE agent_id = 'agent-1' AND rule_id = 'MAM-FW-001'"),
            std::vector<Row>({{"pass", "2026-11-25T01:00:00Z", "2026-11-25T02:00:00Z"}}));
  EXPECT_EQ(One("SELECT COUNT(*) FROM finding_history"), history_after_first);

  facts::HostFacts off = WorkstationFacts(t3);
  off.firewall.enabled = false;
  CommitOk({{"agent-1", SnapshotOf(3, off, t3), t3 + absl::Seconds(3)}});
  EXPECT_EQ(Rows(3,
                 "SELECT status, since, evidence FROM findings "
                 "WHERE agent_id = 'agent-1' AND rule_id = 'MAM-FW-001'")[0][1],
            "2026-11-25T03:00:00Z");  // failing since the snapshot that saw the change
  EXPECT_EQ(Finding("agent-1", "MAM-FW-001"), "fail");
  EXPECT_EQ(Rows(4,
                 "SELECT old_status, new_status, at, rule_id FROM finding_history "
                 "WHERE rule_id = 'MAM-FW-001' ORDER BY change_id"),
            std::vector<Row>({{"<null>", "pass", "2026-11-25T01:00:00Z", "MAM-FW-001"},
                              {"pass", "fail", "2026-11-25T03:00:00Z", "MAM-FW-001"}}));
}

TEST_F(KnowledgeWriterTest, EvaluatesAsOfReceiptWhenTheCollectionTimeIsMissingOrInTheFuture) {
  Hello("agent-1", kWednesdayMorning);
  const absl::Time received = kWednesdayMorning + absl::Minutes(10);
  CommitOk({{"agent-1", SnapshotOf(1, WorkstationFacts(received), received + absl::Hours(5)),
             received}});
  EXPECT_EQ(One("SELECT DISTINCT evaluated_at FROM findings"), "2026-11-25T01:10:00Z");
  CommitOk({{"agent-1", SnapshotOf(2, WorkstationFacts(received), std::nullopt),
             received + absl::Minutes(1)}});
  EXPECT_EQ(One("SELECT DISTINCT evaluated_at FROM findings"), "2026-11-25T01:11:00Z");
}

TEST_F(KnowledgeWriterTest, FillsTheLedgerAndReplacesTheSoftwareList) {
  Hello("agent-1", kWednesdayMorning);
  CommitOk({{"agent-1", SnapshotOf(7, WorkstationFacts(kWednesdayMorning), kWednesdayMorning),
             kWednesdayMorning}});
  EXPECT_EQ(Rows(12,
                 "SELECT role, os_edition, end_of_support, manufacturer, model, serial_number, "
                 "cpu_model, memory_bytes, addresses, mac_addresses, software_count, "
                 "last_snapshot_seq FROM hosts WHERE agent_id = 'agent-1'"),
            std::vector<Row>({{"workstation", "ubuntu", "2027-04-30", "FUJITSU", "ESPRIMO D588",
                               "SN-1234", "Intel(R) Core(TM) i5-8500", "8589934592",
                               R"(["192.0.2.10/24","fe80::1/64","198.51.100.7/24","127.0.0.1/8"])",
                               R"(["aa:bb:cc:dd:ee:01","aa:bb:cc:dd:ee:02"])", "2", "7"}}));
  EXPECT_EQ(
      Rows(4, "SELECT name, version, publisher, installed_at FROM host_software ORDER BY name"),
      std::vector<Row>({{"firefox", "120.0", "Mozilla", "<null>"},
                        {"orca-client", "5.2", "ORCA", "2026-10-26T01:00:00Z"}}));

  facts::HostFacts upgraded = WorkstationFacts(kWednesdayMorning + absl::Hours(1));
  upgraded.inventory.software = {{"firefox", "121.0", "Mozilla", std::nullopt}};
  CommitOk(
      {{"agent-1", SnapshotOf(8, upgraded, std::nullopt), kWednesdayMorning + absl::Hours(1)}});
  EXPECT_EQ(Rows(2, "SELECT name, version FROM host_software"),
            std::vector<Row>({{"firefox", "121.0"}}));
  EXPECT_EQ(One("SELECT software_count FROM hosts"), "1");

  // An inventory that could not be collected is not "everything uninstalled".
  facts::HostFacts failed = upgraded;
  failed.inventory.meta.status = facts::ProbeStatus::Error("dpkg-query failed");
  failed.inventory.software.clear();
  CommitOk({{"agent-1", SnapshotOf(9, failed, std::nullopt), kWednesdayMorning + absl::Hours(2)}});
  EXPECT_EQ(One("SELECT COUNT(*) FROM host_software"), "1");
  EXPECT_EQ(One("SELECT software_count FROM hosts"), "1");
  EXPECT_EQ(One("SELECT last_snapshot_seq FROM hosts"), "9");
}

TEST_F(KnowledgeWriterTest, UpsertsAccountsAndClosesReviewsOfAccountsThatAreGone) {
  const absl::Time t1 = kWednesdayMorning;
  Hello("agent-1", t1);
  CommitOk({{"agent-1", SnapshotOf(1, WorkstationFacts(t1), t1), t1}});
  EXPECT_EQ(
      Rows(5,
           "SELECT name, material, groups, first_seen, removed_at FROM host_accounts "
           "ORDER BY name"),
      std::vector<Row>({{"suzuki", "id=1001;enabled=;admin=0;password_empty=0;password_changed_at=",
                         R"(["suzuki"])", "2026-11-25T01:00:00Z", "<null>"},
                        {"yamada",
                         "id=1000;enabled=1;admin=1;password_empty=0;"
                         "password_changed_at=2026-09-21T14:13:20Z",
                         R"(["yamada","sudo"])", "2026-11-25T01:00:00Z", "<null>"}}));
  EXPECT_EQ(One("SELECT full_name FROM host_accounts WHERE name = 'yamada'"), "山田 花子");

  // A review of suzuki is open; suzuki then disappears from a fully collected account list.
  ASSERT_TRUE(store_
                  ->RunInTransaction([](Database& db) {
                    return db.Run(
                        "INSERT INTO account_reviews (agent_id, account_name, decision, note, "
                        "reviewer, reviewed_at, material) VALUES ('agent-1', 'suzuki', "
                        "'investigate', '', 'admin', '2026-11-25T01:30:00Z', 'm')",
                        {});
                  })
                  .ok());

  // Unknown is not removal: an account list that could not be read leaves every account alone.
  const absl::Time t2 = t1 + absl::Hours(1);
  facts::HostFacts unknown = WorkstationFacts(t2);
  unknown.accounts.meta.status = facts::ProbeStatus::Unknown("no permission to read /etc/shadow");
  unknown.accounts.accounts.clear();
  CommitOk({{"agent-1", SnapshotOf(2, unknown, t2), t2}});
  EXPECT_EQ(One("SELECT COUNT(*) FROM host_accounts WHERE removed_at IS NULL"), "2");
  EXPECT_EQ(One("SELECT COUNT(*) FROM account_reviews WHERE closed_at IS NULL"), "1");

  const absl::Time t3 = t1 + absl::Hours(2);
  facts::HostFacts removed = WorkstationFacts(t3);
  removed.accounts.accounts.resize(1);  // yamada only
  CommitOk({{"agent-1", SnapshotOf(3, removed, t3), t3 + absl::Seconds(5)}});
  EXPECT_EQ(
      Rows(4, "SELECT name, first_seen, last_seen, removed_at FROM host_accounts ORDER BY name"),
      std::vector<Row>(
          {{"suzuki", "2026-11-25T01:00:00Z", "2026-11-25T01:00:00Z", "2026-11-25T03:00:05Z"},
           {"yamada", "2026-11-25T01:00:00Z", "2026-11-25T03:00:05Z", "<null>"}}));
  EXPECT_EQ(Rows(2, "SELECT closed_at, closed_reason FROM account_reviews"),
            std::vector<Row>({{"2026-11-25T03:00:05Z",
                               "アカウントの削除を確認 (2026-11-25 12:00 のスナップショット)"}}));

  // Removed once: a later snapshot does not move the removal time.
  const absl::Time t4 = t1 + absl::Hours(3);
  CommitOk({{"agent-1", SnapshotOf(4, removed, t4), t4}});
  EXPECT_EQ(One("SELECT removed_at FROM host_accounts WHERE name = 'suzuki'"),
            "2026-11-25T03:00:05Z");
}

TEST_F(KnowledgeWriterTest, ListsTheRulesThatNameAnAccount) {
  Hello("agent-1", kWednesdayMorning);
  CommitOk({{"agent-1", SnapshotOf(1, WorkstationFacts(kWednesdayMorning), kWednesdayMorning),
             kWednesdayMorning}});
  // Every rule id in an account's list is a warn/fail finding of that host.
  const std::vector<Row> accounts = Rows(2, "SELECT name, rule_ids FROM host_accounts");
  for (const Row& account : accounts) {
    EXPECT_EQ(account[1].front(), '[') << account[0];
  }
  const std::vector<Row> flagged =
      Rows(2,
           "SELECT a.name, j.value FROM host_accounts AS a, json_each(a.rule_ids) AS j "
           "LEFT JOIN findings AS f ON f.agent_id = a.agent_id AND f.rule_id = j.value "
           "WHERE f.status IS NULL OR f.status NOT IN ('warn', 'fail')");
  EXPECT_TRUE(flagged.empty());
}

TEST_F(KnowledgeWriterTest, HeartbeatsPatchPowerAndTrackAnIdleEpisodeOutsideBusinessHours) {
  SetPolicy(HolidayPolicy());
  const absl::Time t0 = kFridayEvening;  // 2026-11-27T10:00:00Z, a holiday in this policy
  Hello("agent-1", t0 - absl::Hours(3));
  CommitOk({{"agent-1", SnapshotOf(1, WorkstationFacts(t0 - absl::Hours(3)), t0 - absl::Hours(3)),
             t0 - absl::Hours(3)}});
  EXPECT_EQ(Finding("agent-1", "MAM-IDLE-001"), "pass");

  // Idle for two hours, five minutes apart: one episode, opened and extended.
  CommitOk({{"agent-1", HeartbeatAt(2, t0, absl::Hours(2), true), t0 + absl::Seconds(1)}});
  EXPECT_EQ(Finding("agent-1", "MAM-IDLE-001"), "fail");
  EXPECT_EQ(One("SELECT evaluated_at FROM findings WHERE rule_id = 'MAM-IDLE-001'"),
            "2026-11-27T10:00:00Z");  // the heartbeat's own time, within the allowed skew
  EXPECT_EQ(Rows(7,
                 "SELECT started_at, ended_at, max_idle_s, idle_since, locked, open, agent_id "
                 "FROM idle_episodes"),
            std::vector<Row>({{"2026-11-27T09:00:00Z", "2026-11-27T10:00:00Z", "7200",
                               "2026-11-27T08:00:00Z", "1", "1", "agent-1"}}));
  CommitOk({{"agent-1", HeartbeatAt(3, t0 + absl::Minutes(5), absl::Minutes(125), true),
             t0 + absl::Minutes(5)}});
  EXPECT_EQ(Rows(3, "SELECT ended_at, max_idle_s, open FROM idle_episodes"),
            std::vector<Row>({{"2026-11-27T10:05:00Z", "7500", "1"}}));

  // Someone touches the machine: the episode ends at the last heartbeat that still showed it.
  CommitOk({{"agent-1", HeartbeatAt(4, t0 + absl::Minutes(10), absl::Seconds(20), false),
             t0 + absl::Minutes(10)}});
  EXPECT_EQ(Rows(3, "SELECT ended_at, max_idle_s, open FROM idle_episodes"),
            std::vector<Row>({{"2026-11-27T10:05:00Z", "7500", "0"}}));
  EXPECT_EQ(Finding("agent-1", "MAM-IDLE-001"), "pass");
  EXPECT_EQ(Rows(3,
                 "SELECT old_status, new_status, at FROM finding_history "
                 "WHERE rule_id = 'MAM-IDLE-001' ORDER BY change_id"),
            std::vector<Row>({{"<null>", "pass", "2026-11-27T07:00:00Z"},
                              {"pass", "fail", "2026-11-27T10:00:00Z"},
                              {"fail", "pass", "2026-11-27T10:10:00Z"}}));

  // Left idle again and then silent (switched off): the sweep ends the episode.
  CommitOk({{"agent-1", HeartbeatAt(5, t0 + absl::Hours(3), absl::Hours(2)), t0 + absl::Hours(3)}});
  EXPECT_EQ(One("SELECT COUNT(*) FROM idle_episodes WHERE open = 1"), "1");
  ASSERT_TRUE(store_
                  ->RunInTransaction([&](Database& db) {
                    return writer_.Sweep(db, t0 + absl::Hours(3) + absl::Minutes(10));
                  })
                  .ok());
  EXPECT_EQ(One("SELECT COUNT(*) FROM idle_episodes WHERE open = 1"), "1");  // within the gap
  ASSERT_TRUE(store_
                  ->RunInTransaction([&](Database& db) {
                    return writer_.Sweep(db, t0 + absl::Hours(3) + absl::Minutes(30));
                  })
                  .ok());
  EXPECT_EQ(Rows(2, "SELECT ended_at, open FROM idle_episodes ORDER BY episode_id"),
            std::vector<Row>({{"2026-11-27T10:05:00Z", "0"}, {"2026-11-27T13:00:00Z", "0"}}));
}

// Every row of `sql` in `store` as text (NULL reads as "<null>").
std::vector<Row> StoreRows(AgentRecordStore& store, int columns, const std::string& sql) {
  std::vector<Row> rows;
  absl::Status status = store.RunInTransaction([&](Database& db) -> absl::Status {
    absl::StatusOr<Statement> query = db.Prepare(sql);
    if (!query.ok()) {
      return query.status();
    }
    return query->ForEachRow([&](const Statement& row) {
      Row values;
      for (int i = 0; i < columns; ++i) {
        values.push_back(row.ColumnIsNull(i) ? "<null>" : row.ColumnText(i));
      }
      rows.push_back(std::move(values));
      return absl::OkStatus();
    });
  });
  EXPECT_TRUE(status.ok()) << status;
  return rows;
}

// The writer keeps decoded snapshots between heartbeats and writes unchanged verdicts in one
// statement; a twin database where every record meets a new writer (nothing kept) must end up
// with exactly the same findings and history, also after the stored snapshot changed behind the
// writer's back (as a restored backup or a rolled-back batch would change it).
TEST_F(KnowledgeWriterTest, HeartbeatsLeaveExactlyTheFindingsOfAWriterThatKeepsNothing) {
  SetPolicy(HolidayPolicy());
  TempDir twin_dir;
  absl::StatusOr<AgentRecordStore> twin =
      AgentRecordStore::Open(twin_dir.path() / "mamori.db", Database::OpenMode::kCreateIfMissing);
  ASSERT_TRUE(twin.ok()) << twin.status();
  auto commit_both = [&](const AgentRecord& record) {
    CommitOk({record});
    KnowledgeWriter fresh(policy_);
    twin->SetObserver(&fresh);
    absl::StatusOr<std::vector<absl::StatusOr<RecordOutcome>>> outcomes =
        twin->Commit(std::vector<AgentRecord>{record});
    twin->SetObserver(nullptr);
    ASSERT_TRUE(outcomes.ok()) << outcomes.status();
    ASSERT_TRUE((*outcomes)[0].ok()) << (*outcomes)[0].status();
  };
  auto run_both = [&](const std::string& sql) {
    ASSERT_TRUE(store_->RunInTransaction([&](Database& db) { return db.Run(sql, {}); }).ok());
    ASSERT_TRUE(twin->RunInTransaction([&](Database& db) { return db.Run(sql, {}); }).ok());
  };
  const std::string findings =
      "SELECT agent_id, rule_id, status, evidence, since, evaluated_at FROM findings "
      "ORDER BY agent_id, rule_id";
  const std::string history =
      "SELECT agent_id, rule_id, old_status, new_status, at, evidence FROM finding_history "
      "ORDER BY change_id";
  auto expect_same = [&] {
    EXPECT_EQ(Rows(6, findings), StoreRows(*twin, 6, findings));
    EXPECT_EQ(Rows(6, history), StoreRows(*twin, 6, history));
  };

  const absl::Time t0 = kFridayEvening;
  for (const char* agent : {"agent-1", "agent-2"}) {
    commit_both({agent, HelloMessage(agent), t0 - absl::Hours(3)});
    commit_both({agent, SnapshotOf(1, WorkstationFacts(t0 - absl::Hours(3)), t0 - absl::Hours(3)),
                 t0 - absl::Hours(3)});
  }
  // Idle and locked, then used again: MAM-IDLE-001 fails and passes; the other verdicts stay.
  for (std::uint64_t i = 0; i < 4; ++i) {
    const absl::Time at = t0 + absl::Minutes(static_cast<std::int64_t>(5 * i));
    const absl::Duration idle =
        i < 3 ? absl::Hours(2) + absl::Minutes(static_cast<std::int64_t>(5 * i))
              : absl::Seconds(20);
    commit_both({"agent-1", HeartbeatAt(2 + i, at, idle, i < 3), at});
    commit_both({"agent-2", HeartbeatAt(2 + i, at, absl::Seconds(30), false), at});
    expect_same();
  }
  EXPECT_EQ(Finding("agent-1", "MAM-IDLE-001"), "pass");
  EXPECT_EQ(One("SELECT COUNT(DISTINCT evaluated_at) FROM findings WHERE agent_id = 'agent-1'"),
            "1");

  // The stored snapshot now says the firewall is off, and a verdict of a rule this engine does not
  // have sits beside the others: the next heartbeat must see the new facts and leave that row be.
  facts::HostFacts off = WorkstationFacts(t0 - absl::Hours(3));
  off.firewall.enabled = false;
  std::string bytes;
  ASSERT_TRUE(codec::ToProto(off).SerializeToString(&bytes));
  for (AgentRecordStore* store : {&*store_, &*twin}) {
    ASSERT_TRUE(store
                    ->RunInTransaction([&](Database& db) {
                      return db.Run("UPDATE snapshots SET facts = ?1 WHERE agent_id = 'agent-1'",
                                    {Blob{bytes}});
                    })
                    .ok());
  }
  run_both(
      "INSERT INTO findings (agent_id, rule_id, status, evidence, since, evaluated_at) VALUES "
      "('agent-1', 'MAM-TEST-999', 'pass', 'kept', '2026-11-01T00:00:00Z', "
      "'2026-11-01T00:00:00Z')");
  const absl::Time later = t0 + absl::Minutes(30);
  commit_both({"agent-1", HeartbeatAt(6, later, absl::Seconds(10), false), later});
  expect_same();
  EXPECT_EQ(Finding("agent-1", "MAM-FW-001"), "fail");
  EXPECT_EQ(One("SELECT evaluated_at FROM findings WHERE rule_id = 'MAM-TEST-999'"),
            "2026-11-01T00:00:00Z");
  EXPECT_EQ(One("SELECT evaluated_at FROM findings WHERE rule_id = 'MAM-AV-001' "
                "AND agent_id = 'agent-1'"),
            "2026-11-27T10:30:00Z");
}

TEST_F(KnowledgeWriterTest, AHeartbeatBeforeAnySnapshotOnlyTracksIdleTime) {
  SetPolicy(HolidayPolicy());
  Hello("agent-1", kFridayEvening);
  CommitOk({{"agent-1", HeartbeatAt(1, kFridayEvening, absl::Hours(2)), kFridayEvening}});
  EXPECT_EQ(One("SELECT COUNT(*) FROM findings"), "0");
  EXPECT_EQ(One("SELECT COUNT(*) FROM idle_episodes WHERE open = 1"), "1");
}

TEST_F(KnowledgeWriterTest, ServersNeverGetIdleEpisodes) {
  SetPolicy(HolidayPolicy());
  Hello("server-1", kFridayEvening);
  CommitOk(
      {{"server-1", SnapshotOf(1, ServerFacts(kFridayEvening), kFridayEvening), kFridayEvening}});
  CommitOk({{"server-1", HeartbeatAt(2, kFridayEvening + absl::Minutes(5), absl::Hours(20)),
             kFridayEvening + absl::Minutes(5)}});
  EXPECT_EQ(One("SELECT role FROM hosts"), "server");
  EXPECT_EQ(Finding("server-1", "MAM-IDLE-001"), "na");
  EXPECT_EQ(One("SELECT COUNT(*) FROM idle_episodes"), "0");
}

TEST_F(KnowledgeWriterTest, AHeartbeatWithAWrongClockIsTakenAtItsArrival) {
  Hello("agent-1", kWednesdayMorning);
  CommitOk({{"agent-1", SnapshotOf(1, WorkstationFacts(kWednesdayMorning), kWednesdayMorning),
             kWednesdayMorning}});
  const absl::Time received = kWednesdayMorning + absl::Minutes(30);
  CommitOk({{"agent-1", HeartbeatAt(2, received - absl::Hours(3), absl::Seconds(5)), received}});
  EXPECT_EQ(One("SELECT DISTINCT evaluated_at FROM findings"), "2026-11-25T01:30:00Z");
}

TEST_F(KnowledgeWriterTest, SweepMarksASilentServerStaleAndAWorkstationOffOverTheWeekend) {
  // Friday 19:00 JST both were last heard from; the sweep runs Sunday noon.
  Hello("server-1", kFridayEvening);
  CommitOk(
      {{"server-1", SnapshotOf(1, ServerFacts(kFridayEvening), kFridayEvening), kFridayEvening}});
  Hello("ws-1", kFridayEvening);
  CommitOk(
      {{"ws-1", SnapshotOf(1, WorkstationFacts(kFridayEvening), kFridayEvening), kFridayEvening}});
  EXPECT_EQ(Rows(2, "SELECT agent_id, contact_state FROM agents ORDER BY agent_id"),
            std::vector<Row>({{"server-1", "online"}, {"ws-1", "online"}}));
  EXPECT_EQ(Finding("server-1", "MAM-AGENT-001"), "pass");

  const absl::Time sunday_noon = kFridayEvening + absl::Hours(41);
  ASSERT_TRUE(
      store_->RunInTransaction([&](Database& db) { return writer_.Sweep(db, sunday_noon); }).ok());
  EXPECT_EQ(Rows(2, "SELECT agent_id, contact_state FROM agents ORDER BY agent_id"),
            std::vector<Row>({{"server-1", "stale"}, {"ws-1", "off_expected"}}));
  EXPECT_EQ(Finding("server-1", "MAM-AGENT-001"), "fail");
  EXPECT_EQ(One("SELECT since FROM findings WHERE agent_id = 'server-1' "
                "AND rule_id = 'MAM-AGENT-001'"),
            "2026-11-29T03:00:00Z");
  EXPECT_NE(Finding("ws-1", "MAM-AGENT-001"), "fail");
  EXPECT_EQ(One("SELECT COUNT(*) FROM finding_history WHERE agent_id = 'server-1' "
                "AND rule_id = 'MAM-AGENT-001'"),
            "2");

  // A second sweep with nothing new changes nothing.
  const std::string history = One("SELECT COUNT(*) FROM finding_history");
  ASSERT_TRUE(store_
                  ->RunInTransaction([&](Database& db) {
                    return writer_.Sweep(db, sunday_noon + absl::Minutes(1));
                  })
                  .ok());
  EXPECT_EQ(One("SELECT COUNT(*) FROM finding_history"), history);

  // The server comes back: its next heartbeat makes it online and passing again.
  CommitOk({{"server-1", HeartbeatAt(2, sunday_noon + absl::Minutes(2), absl::Seconds(1)),
             sunday_noon + absl::Minutes(2)}});
  EXPECT_EQ(Finding("server-1", "MAM-AGENT-001"), "pass");
  EXPECT_EQ(One("SELECT contact_state FROM agents WHERE agent_id = 'server-1'"), "online");
}

TEST_F(KnowledgeWriterTest, SweepIsCheapForThousandsOfAgents) {
  constexpr int kAgents = 2000;
  std::vector<AgentRecord> records;
  for (int i = 0; i < kAgents; ++i) {
    const std::string agent_id = "agent-" + std::to_string(i);
    records.push_back({agent_id, HelloMessage(agent_id), kFridayEvening});
  }
  CommitOk(std::move(records));
  // A few with facts; everyone gets a first contact verdict in the first sweep.
  for (int i = 0; i < 10; ++i) {
    const std::string agent_id = "agent-" + std::to_string(i);
    CommitOk(
        {{agent_id, SnapshotOf(1, ServerFacts(kFridayEvening), kFridayEvening), kFridayEvening}});
  }
  const absl::Time first = kFridayEvening + absl::Minutes(1);
  ASSERT_TRUE(
      store_->RunInTransaction([&](Database& db) { return writer_.Sweep(db, first); }).ok());
  EXPECT_EQ(One("SELECT COUNT(*) FROM findings WHERE rule_id = 'MAM-AGENT-001'"),
            std::to_string(kAgents));

  // The steady state: nothing changes, so nothing is decoded or written.
  const absl::Time start = absl::Now();
  ASSERT_TRUE(store_
                  ->RunInTransaction(
                      [&](Database& db) { return writer_.Sweep(db, first + absl::Minutes(1)); })
                  .ok());
  const absl::Duration steady = absl::Now() - start;
  std::printf("[ measure  ] Sweep of %d unchanged agents: %s\n", kAgents,
              absl::FormatDuration(steady).c_str());
  // Generous for a Debug build with sanitizers on a shared machine.
  EXPECT_LT(steady, absl::Seconds(2));
}

TEST_F(KnowledgeWriterTest, ReevaluatesEveryHostAfterAPolicyChange) {
  Hello("agent-1", kWednesdayMorning);
  CommitOk({{"agent-1", SnapshotOf(1, WorkstationFacts(kWednesdayMorning), kWednesdayMorning),
             kWednesdayMorning}});
  // A 20-minute screen lock is longer than the default 15.
  EXPECT_EQ(Finding("agent-1", "MAM-LOCK-001"), "warn");

  rules::Policy relaxed;
  relaxed.screen_lock_max_minutes = 30;
  SetPolicy(relaxed, "abc123");
  const absl::Time now = kWednesdayMorning + absl::Hours(1);
  ASSERT_TRUE(
      store_->RunInTransaction([&](Database& db) { return writer_.ReevaluateAll(db, now); }).ok());
  EXPECT_EQ(Finding("agent-1", "MAM-LOCK-001"), "pass");
  EXPECT_EQ(Rows(3,
                 "SELECT old_status, new_status, at FROM finding_history "
                 "WHERE rule_id = 'MAM-LOCK-001' ORDER BY change_id DESC LIMIT 1"),
            std::vector<Row>({{"warn", "pass", "2026-11-25T02:00:00Z"}}));
  EXPECT_EQ(Rows(3, "SELECT sha256, source, loaded_at FROM policy_state"),
            std::vector<Row>({{"abc123", "test.toml", "2026-11-25T02:00:00Z"}}));
}

// Fails every record of one agent, so the test sees that only that record is undone.
class RefusingObserver final : public IngestObserver {
 public:
  absl::Status OnSnapshot(Database& db, absl::string_view agent_id, std::int64_t seq,
                          const mamori::v1::Snapshot& snapshot, absl::Time received_at) override {
    if (agent_id == "bad") {
      return absl::InternalError("evaluation failed");
    }
    return inner_.OnSnapshot(db, agent_id, seq, snapshot, received_at);
  }
  absl::Status OnHeartbeat(Database& db, absl::string_view agent_id,
                           const mamori::v1::Heartbeat& heartbeat,
                           absl::Time received_at) override {
    if (agent_id == "bad") {
      return absl::InternalError("evaluation failed");
    }
    return inner_.OnHeartbeat(db, agent_id, heartbeat, received_at);
  }

 private:
  PolicySource policy_{DefaultLoadedPolicy()};
  KnowledgeWriter inner_{policy_};
};

TEST_F(KnowledgeWriterTest, AnObserverErrorRollsBackThatRecordOnly) {
  RefusingObserver observer;
  store_->SetObserver(&observer);
  Hello("bad", kWednesdayMorning);
  Hello("good", kWednesdayMorning);
  const std::vector<absl::StatusOr<RecordOutcome>> outcomes = Commit({
      {"bad", SnapshotOf(1, WorkstationFacts(kWednesdayMorning), kWednesdayMorning),
       kWednesdayMorning},
      {"good", SnapshotOf(1, WorkstationFacts(kWednesdayMorning), kWednesdayMorning),
       kWednesdayMorning},
      {"bad", HeartbeatAt(2, kWednesdayMorning, absl::Seconds(1)), kWednesdayMorning},
  });
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[0].status().code(), absl::StatusCode::kInternal);
  EXPECT_TRUE(outcomes[1].ok());
  EXPECT_EQ(outcomes[2].status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(Rows(2, "SELECT agent_id, last_committed_seq FROM agents ORDER BY agent_id"),
            std::vector<Row>({{"bad", "0"}, {"good", "1"}}));
  EXPECT_EQ(One("SELECT COUNT(*) FROM snapshots WHERE agent_id = 'bad'"), "0");
  EXPECT_EQ(One("SELECT COUNT(*) FROM heartbeats WHERE agent_id = 'bad'"), "0");
  EXPECT_EQ(One("SELECT COUNT(*) FROM hosts WHERE agent_id = 'bad'"), "0");
  EXPECT_NE(One("SELECT COUNT(*) FROM findings WHERE agent_id = 'good'"), "0");
}

TEST_F(KnowledgeWriterTest, StoresHostileTextByteExactAsData) {
  const std::string hostile_name =
      "<script>alert(1)</script>=HYPERLINK(\"http://"
      "evil.example\",\"x\")\u202Etxt.exe\x01\x1b[31m\t";
  facts::HostFacts facts = WorkstationFacts(kWednesdayMorning);
  facts.inventory.hostname = hostile_name;
  facts.inventory.cpu_model = "=cmd|' /C calc'!A0";
  facts.inventory.software = {{hostile_name, "1.0<b>", "\u202Eevil", std::nullopt}};
  facts.accounts.accounts[1].name = "=HYPERLINK(\"x\")\u202E";
  facts.accounts.accounts[1].full_name = "<img src=x onerror=alert(1)>\x7f";
  Hello("agent-1", kWednesdayMorning);
  CommitOk({{"agent-1", SnapshotOf(1, facts, kWednesdayMorning), kWednesdayMorning}});
  EXPECT_EQ(One("SELECT hostname FROM hosts"), hostile_name);
  EXPECT_EQ(One("SELECT cpu_model FROM hosts"), "=cmd|' /C calc'!A0");
  EXPECT_EQ(Rows(3, "SELECT name, version, publisher FROM host_software"),
            std::vector<Row>({{hostile_name, "1.0<b>", "\u202Eevil"}}));
  EXPECT_EQ(
      One("SELECT full_name FROM host_accounts WHERE name = ?1", {facts.accounts.accounts[1].name}),
      "<img src=x onerror=alert(1)>\x7f");
  // An unused-account finding names it in its evidence, verbatim.
  EXPECT_THAT(One("SELECT group_concat(evidence, '|') FROM findings"),
              HasSubstr(facts.accounts.accounts[1].name));

  // Validation bounds every string at 4 KiB: a 10 kB host name never reaches the store, and a
  // host name at the bound is stored as it came.
  mamori::v1::AgentMessage huge = SnapshotOf(2, facts, kWednesdayMorning);
  huge.mutable_snapshot()->mutable_facts()->mutable_inventory()->set_hostname(
      std::string(10'000, 'h'));
  EXPECT_EQ(ValidateAgentMessage(huge).code(), absl::StatusCode::kInvalidArgument);
  facts.inventory.hostname = std::string(kMaxStringBytes - 3, 'h') + "\u202E";
  mamori::v1::AgentMessage bound = SnapshotOf(2, facts, kWednesdayMorning);
  ASSERT_TRUE(ValidateAgentMessage(bound).ok());
  CommitOk({{"agent-1", bound, kWednesdayMorning + absl::Minutes(1)}});
  EXPECT_EQ(One("SELECT hostname FROM hosts"), facts.inventory.hostname);
}

class PolicyFileTest : public ::testing::Test {
 protected:
  std::filesystem::path Write(const std::string& text) {
    const std::filesystem::path path = dir_.path() / "policy.toml";
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
    return path;
  }
  TempDir dir_;
};

TEST_F(PolicyFileTest, LoadsAValidFileWithItsHash) {
  const std::filesystem::path path = Write("[lock]\nmax_timeout_minutes = 30\n");
  absl::StatusOr<LoadedPolicy> loaded = LoadPolicyFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->policy.screen_lock_max_minutes, 30);
  EXPECT_EQ(loaded->source, path.string());
  EXPECT_EQ(loaded->sha256, PolicySha256("[lock]\nmax_timeout_minutes = 30\n"));
  EXPECT_EQ(loaded->sha256.size(), 64u);
  EXPECT_EQ(DefaultLoadedPolicy().sha256,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(PolicyFileTest, ReportsEveryErrorWithItsLineNumber) {
  const std::filesystem::path path =
      Write("[lock]\nmax_timeout_minutes = 0\n\n[idle]\nnonsense = 1\n");
  absl::StatusOr<LoadedPolicy> loaded = LoadPolicyFile(path);
  ASSERT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string message(loaded.status().message());
  EXPECT_THAT(message, HasSubstr(path.string() + ":2:"));
  EXPECT_THAT(message, HasSubstr(path.string() + ":5:"));
}

TEST_F(PolicyFileTest, RefusesAFileLargerThanOneMebibyteAndAMissingOne) {
  const std::filesystem::path path = Write("# " + std::string(1024 * 1024, 'x') + "\n");
  EXPECT_EQ(LoadPolicyFile(path).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(LoadPolicyFile(dir_.path() / "absent.toml").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(PolicyFileTest, TheWatcherReportsEachDistinctContentOnce) {
  const std::filesystem::path path = Write("[lock]\nmax_timeout_minutes = 30\n");
  absl::StatusOr<LoadedPolicy> loaded = LoadPolicyFile(path);
  ASSERT_TRUE(loaded.ok());
  PolicyFileWatcher watcher(path, loaded->sha256);
  EXPECT_FALSE(watcher.Poll().has_value());     // the content in force
  Write("[lock]\nmax_timeout_minutes = 30\n");  // rewritten, same bytes
  EXPECT_FALSE(watcher.Poll().has_value());

  Write("[lock]\nmax_timeout_minutes = 999\n");
  std::optional<absl::StatusOr<LoadedPolicy>> broken = watcher.Poll();
  ASSERT_TRUE(broken.has_value());
  EXPECT_THAT(std::string(broken->status().message()), HasSubstr(":2:"));
  EXPECT_FALSE(watcher.Poll().has_value());  // not repeated every poll

  Write("[lock]\nmax_timeout_minutes = 20\n");
  std::optional<absl::StatusOr<LoadedPolicy>> fixed = watcher.Poll();
  ASSERT_TRUE(fixed.has_value());
  ASSERT_TRUE(fixed->ok()) << fixed->status();
  EXPECT_EQ((*fixed)->policy.screen_lock_max_minutes, 20);

  std::filesystem::remove(path);
  std::optional<absl::StatusOr<LoadedPolicy>> gone = watcher.Poll();
  ASSERT_TRUE(gone.has_value());
  EXPECT_EQ(gone->status().code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(watcher.Poll().has_value());
}

}  // namespace
}  // namespace mamori::collector
