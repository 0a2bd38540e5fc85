// The write side of the collector's knowledge. Everything here runs on the writer thread inside the
// caller's transaction: a snapshot's findings, ledger and accounts commit together with the
// snapshot, or not at all.
#include "collector/knowledge/knowledge_writer.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "collector/storage/stored_time.h"
#include "mamori/v1/facts.pb.h"
#include "nlohmann/json.hpp"
#include "platform/facts/host_facts.h"
#include "platform/rules/business_hours.h"
#include "platform/rules/contact.h"
#include "platform/rules/evaluate.h"
#include "platform/rules/finding.h"
#include "platform/rules/idle_episodes.h"
#include "platform/rules/rule_catalogue.h"
#include "proto/codec/facts_codec.h"
#include "proto/codec/proto_time.h"

namespace mamori::collector {
namespace {

// A heartbeat's own clock is trusted only this close to the collector's: beyond it the agent's
// clock is wrong and the receive time is the better moment.
constexpr absl::Duration kMaxHeartbeatClockSkew = absl::Minutes(5);
// Two qualifying heartbeats further apart than this belong to two idle episodes (the machine slept
// or was off in between). Four missed 5-minute heartbeats: a short network glitch does not split
// an overnight episode, a sleep of half an hour does.
constexpr std::chrono::seconds kIdleEpisodeMaxGap{std::chrono::minutes{20}};
// The agents' heartbeat interval. Fixed until the collector hands out schedules (Welcome.schedule).
constexpr std::chrono::seconds kHeartbeatInterval{std::chrono::minutes{5}};
constexpr std::string_view kAgentContactRule = "MAM-AGENT-001";

facts::Timestamp ToTimestamp(absl::Time time) {
  return facts::Timestamp(std::chrono::seconds(absl::ToUnixSeconds(time)));
}

absl::Time ToAbslTime(facts::Timestamp time) {
  return absl::FromUnixSeconds(time.time_since_epoch().count());
}

std::string_view RoleName(facts::HostRole role) {
  return role == facts::HostRole::kServer ? "server" : "workstation";
}

std::string_view ContactStateName(rules::ContactState state) {
  switch (state) {
    case rules::ContactState::kOnline:
      return "online";
    case rules::ContactState::kOffExpected:
      return "off_expected";
    case rules::ContactState::kStale:
      return "stale";
    case rules::ContactState::kNeverReported:
      return "never_reported";
  }
  return "never_reported";
}

// Text from agents is valid UTF-8 (validation refuses anything else); `replace` only guards against
// a throw should that ever not hold.
std::string JsonArray(const std::vector<std::string>& values) {
  nlohmann::json array = nlohmann::json::array();
  for (const std::string& value : values) {
    array.push_back(value);
  }
  return array.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

SqlParam OptionalBool(const std::optional<bool>& value) {
  return value.has_value() ? SqlParam(std::int64_t{*value ? 1 : 0}) : SqlParam(nullptr);
}

std::optional<std::string> OptionalTime(const std::optional<facts::Timestamp>& time) {
  if (!time.has_value()) {
    return std::nullopt;
  }
  return FormatStoredTime(ToAbslTime(*time));
}

const char* MaterialBool(const std::optional<bool>& value) {
  if (!value.has_value()) {
    return "";
  }
  return *value ? "1" : "0";
}

// The facts whose change makes an account review due again, in a fixed key order the reader parses
// (knowledge_reader explains what changed): empty value = unknown.
std::string AccountMaterial(const facts::LocalAccount& account) {
  return absl::StrCat(
      "id=", account.id, ";enabled=", MaterialBool(account.enabled),
      ";admin=", MaterialBool(account.admin),
      ";password_empty=", MaterialBool(account.password_empty),
      ";password_changed_at=", OptionalTime(account.password_changed_at).value_or(""));
}

// Steps a statement that may return rows to its end.
absl::Status Drain(Statement& statement) {
  return statement.ForEachRow([](const Statement&) { return absl::OkStatus(); });
}

struct NewestSnapshot {
  std::int64_t seq = 0;
  facts::HostFacts facts;
};

// Decoded facts by agent, each with the exact stored bytes it was decoded from. A hit is only
// taken when the bytes read now are equal to those, so what the rules see is exactly what decoding
// the row again would give, whatever happened to the database meanwhile (a rolled-back batch, a
// restored backup).
class SnapshotFactsCache {
 public:
  // Enough for every agent of a busy moment of a large clinic group; about 15 kB per entry.
  static constexpr std::size_t kMaxAgents = 2048;

  const facts::HostFacts* Find(absl::string_view agent_id, absl::string_view bytes) const {
    auto it = entries_.find(agent_id);
    if (it == entries_.end() || it->second.bytes != bytes) {
      return nullptr;
    }
    return &it->second.facts;
  }

  void Put(absl::string_view agent_id, absl::string_view bytes, const facts::HostFacts& facts) {
    auto it = entries_.find(agent_id);
    if (it == entries_.end()) {
      if (entries_.size() >= kMaxAgents) {
        entries_.erase(entries_.begin());  // any one: a miss only costs a decode
      }
      it = entries_.emplace(std::string(agent_id), Entry{}).first;
    }
    it->second.bytes.assign(bytes.data(), bytes.size());
    it->second.facts = facts;
  }

 private:
  struct Entry {
    std::string bytes;
    facts::HostFacts facts;
  };
  absl::flat_hash_map<std::string, Entry> entries_;
};

absl::StatusOr<std::optional<NewestSnapshot>> LoadNewestSnapshot(Database& db,
                                                                 absl::string_view agent_id,
                                                                 SnapshotFactsCache& cache) {
  return db.QueryOptionalRow<NewestSnapshot>(
      "SELECT seq, facts FROM snapshots WHERE agent_id = ?1 ORDER BY seq DESC LIMIT 1", {agent_id},
      [&](const Statement& row) -> absl::StatusOr<NewestSnapshot> {
        NewestSnapshot newest;
        newest.seq = row.ColumnInt64(0);
        const absl::string_view bytes = row.ColumnBytesView(1);
        if (const facts::HostFacts* cached = cache.Find(agent_id, bytes)) {
          newest.facts = *cached;
          return newest;
        }
        mamori::v1::HostFacts proto;
        if (!proto.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
          return absl::DataLossError(absl::StrCat("agent ", agent_id, ": stored snapshot ",
                                                  newest.seq, " does not parse as HostFacts"));
        }
        newest.facts = codec::FromProto(proto);
        cache.Put(agent_id, bytes, newest.facts);
        return newest;
      });
}

// What a heartbeat says about power, at the moment it is taken to describe.
struct HeartbeatPower {
  std::int64_t seq = 0;
  absl::Time at;
  std::optional<std::chrono::seconds> uptime;
  std::optional<std::chrono::seconds> idle;
  std::optional<bool> locked;
};

absl::Time HeartbeatTime(std::optional<absl::Time> sent_at, absl::Time received_at) {
  if (sent_at.has_value() && absl::AbsDuration(*sent_at - received_at) <= kMaxHeartbeatClockSkew) {
    return *sent_at;
  }
  return received_at;
}

HeartbeatPower PowerOf(const mamori::v1::Heartbeat& heartbeat, absl::Time received_at) {
  HeartbeatPower power;
  power.seq = static_cast<std::int64_t>(heartbeat.seq());
  power.at =
      HeartbeatTime(heartbeat.has_sent_at()
                        ? std::optional<absl::Time>(codec::FromProtoTimestamp(heartbeat.sent_at()))
                        : std::nullopt,
                    received_at);
  if (heartbeat.has_uptime()) {
    power.uptime = std::chrono::seconds(heartbeat.uptime().seconds());
  }
  if (heartbeat.has_idle()) {
    power.idle = std::chrono::seconds(heartbeat.idle().seconds());
  }
  if (heartbeat.has_session_locked()) {
    power.locked = heartbeat.session_locked();
  }
  return power;
}

absl::StatusOr<std::optional<HeartbeatPower>> LoadNewestHeartbeat(Database& db,
                                                                  absl::string_view agent_id) {
  return db.QueryOptionalRow<HeartbeatPower>(
      "SELECT seq, sent_at, received_at, uptime_s, idle_s, session_locked FROM heartbeats "
      "WHERE agent_id = ?1 ORDER BY seq DESC LIMIT 1",
      {agent_id}, [](const Statement& row) -> absl::StatusOr<HeartbeatPower> {
        absl::StatusOr<std::optional<absl::Time>> sent_at = OptionalStoredTime(row, 1);
        absl::StatusOr<absl::Time> received_at = ParseStoredTime(row.ColumnText(2));
        if (!sent_at.ok()) {
          return sent_at.status();
        }
        if (!received_at.ok()) {
          return received_at.status();
        }
        HeartbeatPower power;
        power.seq = row.ColumnInt64(0);
        power.at = HeartbeatTime(*sent_at, *received_at);
        if (!row.ColumnIsNull(3)) {
          power.uptime = std::chrono::seconds(row.ColumnInt64(3));
        }
        if (!row.ColumnIsNull(4)) {
          power.idle = std::chrono::seconds(row.ColumnInt64(4));
        }
        if (!row.ColumnIsNull(5)) {
          power.locked = row.ColumnInt64(5) != 0;
        }
        return power;
      });
}

// The heartbeat is a newer observation of the power section than the snapshot's.
void PatchPower(facts::HostFacts& facts, const HeartbeatPower& power) {
  facts.power.idle = power.idle;
  facts.power.uptime = power.uptime;
  facts.power.meta.status = facts::ProbeStatus::Ok();
  facts.power.meta.collected_at = ToTimestamp(power.at);
  if (power.locked.has_value()) {
    for (facts::UserSession& session : facts.power.sessions) {
      session.locked = power.locked;
    }
  }
}

// What the collector knows about an agent's contact, from its agents row.
struct AgentContactRow {
  std::string agent_id;
  std::optional<absl::Time> last_contact;
};

// An agent that enrolled and never sent anything has no contact yet: enrollment sets last_seen but
// is not the agent reporting.
absl::StatusOr<std::optional<absl::Time>> LastContactOf(const Statement& row, int last_seen_column,
                                                        int enrolled_at_column,
                                                        int committed_seq_column) {
  absl::StatusOr<absl::Time> last_seen = ParseStoredTime(row.ColumnText(last_seen_column));
  if (!last_seen.ok()) {
    return last_seen.status();
  }
  if (row.ColumnInt64(committed_seq_column) == 0 && !row.ColumnIsNull(enrolled_at_column) &&
      row.ColumnText(enrolled_at_column) == row.ColumnText(last_seen_column)) {
    return std::nullopt;
  }
  return *last_seen;
}

rules::ContactObservation ContactAt(std::optional<absl::Time> last_contact) {
  rules::ContactObservation contact;
  if (last_contact.has_value()) {
    contact.last_contact = ToTimestamp(*last_contact);
  }
  contact.heartbeat_interval = kHeartbeatInterval;
  return contact;
}

struct StoredVerdict {
  std::string status;
  std::string evaluated_at;
  std::string evidence;
};

absl::StatusOr<std::map<std::string, StoredVerdict, std::less<>>> LoadVerdicts(
    Database& db, absl::string_view agent_id) {
  absl::StatusOr<Statement> query =
      db.Query("SELECT rule_id, status, evaluated_at, evidence FROM findings WHERE agent_id = ?1",
               {agent_id});
  if (!query.ok()) {
    return query.status();
  }
  std::map<std::string, StoredVerdict, std::less<>> verdicts;
  if (absl::Status status = query->ForEachRow([&](const Statement& row) {
        verdicts[row.ColumnText(0)] =
            StoredVerdict{row.ColumnText(1), row.ColumnText(2), row.ColumnText(3)};
        return absl::OkStatus();
      });
      !status.ok()) {
    return status;
  }
  return verdicts;
}

// Upserts one rule's verdict. A changed status (or a first one) starts a new `since` and enters the
// history; the same status only refreshes the evidence and evaluation time. A change is never dated
// before the verdict it replaces, so the history stays in time order even when a snapshot collected
// earlier arrives after a heartbeat was evaluated.
absl::Status StoreVerdict(Database& db, absl::string_view agent_id, std::string_view rule_id,
                          rules::Status status, const std::string& evidence, absl::Time at,
                          const StoredVerdict* stored) {
  const std::string status_name(rules::StatusName(status));
  const std::string at_text = FormatStoredTime(at);
  const absl::string_view rule(rule_id.data(), rule_id.size());
  if (stored != nullptr && stored->status == status_name) {
    return db.Run(
        "UPDATE findings SET evidence = ?3, evaluated_at = ?4 WHERE agent_id = ?1 AND rule_id = ?2",
        {agent_id, rule, evidence, at_text});
  }
  std::string since = at_text;
  if (stored != nullptr) {
    absl::StatusOr<absl::Time> previous = ParseStoredTime(stored->evaluated_at);
    if (previous.ok() && *previous > at) {
      since = stored->evaluated_at;
    }
  }
  if (absl::Status result =
          db.Run("INSERT INTO findings (agent_id, rule_id, status, evidence, since, evaluated_at) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                 "ON CONFLICT (agent_id, rule_id) DO UPDATE SET status = excluded.status, "
                 "evidence = excluded.evidence, since = excluded.since, "
                 "evaluated_at = excluded.evaluated_at",
                 {agent_id, rule, status_name, evidence, since, at_text});
      !result.ok()) {
    return result;
  }
  return db.Run(
      "INSERT INTO finding_history (agent_id, rule_id, old_status, new_status, at, evidence) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      {agent_id, rule,
       stored != nullptr ? SqlParam(absl::string_view(stored->status)) : SqlParam(nullptr),
       status_name, since, evidence});
}

absl::Status StoreFindings(Database& db, absl::string_view agent_id,
                           const std::vector<rules::Finding>& findings, absl::Time at) {
  absl::StatusOr<std::map<std::string, StoredVerdict, std::less<>>> stored =
      LoadVerdicts(db, agent_id);
  if (!stored.ok()) {
    return stored.status();
  }
  // Most verdicts of a re-evaluation (every heartbeat) keep their status and evidence: only their
  // evaluation time moves. Those are written by one UPDATE of the host's rows instead of one per
  // rule, when it touches no other row (every stored rule is among these findings); the rows end
  // up exactly as StoreVerdict would leave them.
  const std::string at_text = FormatStoredTime(at);
  std::vector<std::string_view> unchanged;
  for (const rules::Finding& finding : findings) {
    auto it = stored->find(finding.rule_id);
    if (it != stored->end()) {
      if (it->second.status == rules::StatusName(finding.status) &&
          it->second.evidence == finding.evidence) {
        if (it->second.evaluated_at != at_text) {
          unchanged.push_back(finding.rule_id);
        }
        continue;
      }
    }
    if (absl::Status status =
            StoreVerdict(db, agent_id, finding.rule_id, finding.status, finding.evidence, at,
                         it != stored->end() ? &it->second : nullptr);
        !status.ok()) {
      return status;
    }
  }
  if (unchanged.empty()) {
    return absl::OkStatus();
  }
  const bool every_stored_rule_evaluated =
      std::all_of(stored->begin(), stored->end(), [&](const auto& entry) {
        return std::any_of(findings.begin(), findings.end(), [&](const rules::Finding& finding) {
          return finding.rule_id == entry.first;
        });
      });
  if (every_stored_rule_evaluated && unchanged.size() > 1) {
    return db.Run(
        "UPDATE findings SET evaluated_at = ?2 WHERE agent_id = ?1 AND evaluated_at <> ?2",
        {agent_id, at_text});
  }
  for (std::string_view rule_id : unchanged) {
    if (absl::Status status =
            db.Run("UPDATE findings SET evaluated_at = ?3 WHERE agent_id = ?1 AND rule_id = ?2",
                   {agent_id, absl::string_view(rule_id.data(), rule_id.size()), at_text});
        !status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

// For each account name: the ids of the warn/fail rules whose finding names it (rules::Finding's
// subjects), as the JSON array host_accounts.rule_ids holds.
std::map<std::string, std::string, std::less<>> AccountRuleIds(
    const facts::HostFacts& facts, const std::vector<rules::Finding>& findings) {
  std::map<std::string, std::vector<std::string>, std::less<>> ids;
  for (const facts::LocalAccount& account : facts.accounts.accounts) {
    ids[account.name];
  }
  for (const rules::Finding& finding : findings) {
    if (finding.status != rules::Status::kWarn && finding.status != rules::Status::kFail) {
      continue;
    }
    for (const std::string& subject : finding.subjects) {
      auto it = ids.find(subject);
      if (it != ids.end() &&
          std::find(it->second.begin(), it->second.end(), finding.rule_id) == it->second.end()) {
        it->second.emplace_back(finding.rule_id);
      }
    }
  }
  std::map<std::string, std::string, std::less<>> json;
  for (const auto& [name, rule_ids] : ids) {
    json[name] = JsonArray(rule_ids);
  }
  return json;
}

// After a re-evaluation without new account facts (heartbeat, policy change): the accounts' rule
// lists follow the new verdicts. One read, and writes only where something changed.
absl::Status RefreshAccountRuleIds(Database& db, absl::string_view agent_id,
                                   const facts::HostFacts& facts,
                                   const std::vector<rules::Finding>& findings) {
  const std::map<std::string, std::string, std::less<>> wanted = AccountRuleIds(facts, findings);
  absl::StatusOr<Statement> query = db.Query(
      "SELECT name, rule_ids FROM host_accounts WHERE agent_id = ?1 AND removed_at IS NULL",
      {agent_id});
  if (!query.ok()) {
    return query.status();
  }
  std::vector<std::pair<std::string, std::string>> changes;
  if (absl::Status status = query->ForEachRow([&](const Statement& row) {
        auto it = wanted.find(row.ColumnText(0));
        if (it != wanted.end() && it->second != row.ColumnText(1)) {
          changes.emplace_back(it->first, it->second);
        }
        return absl::OkStatus();
      });
      !status.ok()) {
    return status;
  }
  for (const auto& [name, rule_ids] : changes) {
    if (absl::Status status =
            db.Run("UPDATE host_accounts SET rule_ids = ?3 WHERE agent_id = ?1 AND name = ?2",
                   {agent_id, name, rule_ids});
        !status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

absl::Status StoreContactState(Database& db, absl::string_view agent_id,
                               rules::ContactState state) {
  const std::string_view name = ContactStateName(state);
  return db.Run("UPDATE agents SET contact_state = ?2 WHERE agent_id = ?1 AND contact_state <> ?2",
                {agent_id, absl::string_view(name.data(), name.size())});
}

// Evaluates every rule on `facts` as of `at` and stores the verdicts, the role and the contact
// state they were computed with, and the accounts' rule lists.
absl::StatusOr<std::vector<rules::Finding>> EvaluateAndStore(
    Database& db, absl::string_view agent_id, const facts::HostFacts& facts,
    const rules::Policy& policy, absl::Time at, const rules::ContactObservation& contact) {
  std::vector<rules::Finding> findings = rules::Evaluate(facts, policy, ToTimestamp(at), contact);
  if (absl::Status status = StoreFindings(db, agent_id, findings, at); !status.ok()) {
    return status;
  }
  const facts::HostRole role = rules::DetermineRole(facts.inventory, policy).role;
  const std::string_view role_name = RoleName(role);
  if (absl::Status status =
          db.Run("UPDATE hosts SET role = ?2 WHERE agent_id = ?1 AND role <> ?2",
                 {agent_id, absl::string_view(role_name.data(), role_name.size())});
      !status.ok()) {
    return status;
  }
  // A snapshot is evaluated as of its collection, which may precede its arrival (the contact).
  facts::Timestamp classified_at = ToTimestamp(at);
  if (contact.last_contact.has_value()) {
    classified_at = std::max(classified_at, *contact.last_contact);
  }
  const rules::ContactVerdict verdict =
      rules::ClassifyContact(contact, role == facts::HostRole::kServer, policy, classified_at);
  if (absl::Status status = StoreContactState(db, agent_id, verdict.state); !status.ok()) {
    return status;
  }
  return findings;
}

absl::Status StoreLedger(Database& db, absl::string_view agent_id, std::int64_t seq,
                         const facts::HostFacts& facts, const rules::Policy& policy) {
  const facts::Inventory& inventory = facts.inventory;
  std::vector<std::string> addresses;
  std::vector<std::string> macs;
  for (const facts::NetworkInterface& interface : inventory.interfaces) {
    for (const std::string& address : interface.addresses) {
      if (std::find(addresses.begin(), addresses.end(), address) == addresses.end()) {
        addresses.push_back(address);
      }
    }
    if (!interface.mac.empty() &&
        std::find(macs.begin(), macs.end(), interface.mac) == macs.end()) {
      macs.push_back(interface.mac);
    }
  }
  SqlParam memory(nullptr);
  if (inventory.memory_bytes.has_value() &&
      *inventory.memory_bytes <=
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    memory = SqlParam(static_cast<std::int64_t>(*inventory.memory_bytes));
  }
  const std::string_view role = RoleName(rules::DetermineRole(inventory, policy).role);
  return db.Run(
      "UPDATE hosts SET role = ?2, os_edition = ?3, end_of_support = ?4, manufacturer = ?5, "
      "model = ?6, serial_number = ?7, cpu_model = ?8, memory_bytes = ?9, addresses = ?10, "
      "mac_addresses = ?11, last_snapshot_seq = ?12 WHERE agent_id = ?1",
      {agent_id, absl::string_view(role.data(), role.size()), inventory.os_id,
       facts.patch.os_support_ends, inventory.hardware.manufacturer, inventory.hardware.model,
       inventory.hardware.serial_number, inventory.cpu_model, memory, JsonArray(addresses),
       JsonArray(macs), seq});
}

// The software list follows the newest snapshot, but only one whose inventory was collected: an
// empty list from a failed probe must not look like everything was uninstalled.
absl::Status StoreSoftware(Database& db, absl::string_view agent_id,
                           const facts::Inventory& inventory) {
  if (!inventory.meta.status.ok()) {
    return absl::OkStatus();
  }
  if (absl::Status status = db.Run("DELETE FROM host_software WHERE agent_id = ?1", {agent_id});
      !status.ok()) {
    return status;
  }
  for (const facts::InstalledSoftware& software : inventory.software) {
    if (absl::Status status =
            db.Run("INSERT INTO host_software (agent_id, name, version, publisher, installed_at) "
                   "VALUES (?1, ?2, ?3, ?4, ?5)",
                   {agent_id, software.name, software.version, software.publisher,
                    OptionalTime(software.installed_at)});
        !status.ok()) {
      return status;
    }
  }
  return db.Run("UPDATE hosts SET software_count = ?2 WHERE agent_id = ?1",
                {agent_id, static_cast<std::int64_t>(inventory.software.size())});
}

absl::Status StoreAccounts(Database& db, absl::string_view agent_id, const facts::HostFacts& facts,
                           const std::vector<rules::Finding>& findings, absl::Time received_at,
                           absl::Time snapshot_time, const rules::Policy& policy) {
  // Accounts that could not be listed are unknown, never removed.
  if (!facts.accounts.meta.status.ok()) {
    return absl::OkStatus();
  }
  const std::string received = FormatStoredTime(received_at);
  const std::map<std::string, std::string, std::less<>> rule_ids = AccountRuleIds(facts, findings);
  std::set<std::string, std::less<>> present;
  for (const facts::LocalAccount& account : facts.accounts.accounts) {
    if (!present.insert(account.name).second) {
      continue;  // a name listed twice: the first entry is the account
    }
    std::vector<std::string> groups = account.groups;
    if (absl::Status status = db.Run(
            "INSERT INTO host_accounts (agent_id, name, account_id, full_name, groups, "
            "system_account, enabled, admin, locked, password_empty, password_expires, "
            "password_changed_at, last_logon, rule_ids, material, first_seen, last_seen, "
            "removed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
            "?15, ?16, ?16, NULL) "
            "ON CONFLICT (agent_id, name) DO UPDATE SET account_id = excluded.account_id, "
            "full_name = excluded.full_name, groups = excluded.groups, "
            "system_account = excluded.system_account, enabled = excluded.enabled, "
            "admin = excluded.admin, locked = excluded.locked, "
            "password_empty = excluded.password_empty, "
            "password_expires = excluded.password_expires, "
            "password_changed_at = excluded.password_changed_at, "
            "last_logon = excluded.last_logon, rule_ids = excluded.rule_ids, "
            "material = excluded.material, last_seen = excluded.last_seen, removed_at = NULL",
            {agent_id, account.name, account.id, account.full_name, JsonArray(groups),
             std::int64_t{account.system_account ? 1 : 0}, OptionalBool(account.enabled),
             OptionalBool(account.admin), OptionalBool(account.locked),
             OptionalBool(account.password_empty), OptionalBool(account.password_expires),
             OptionalTime(account.password_changed_at), OptionalTime(account.last_logon),
             rule_ids.at(account.name), AccountMaterial(account), received});
        !status.ok()) {
      return status;
    }
  }

  absl::StatusOr<Statement> listed = db.Query(
      "SELECT name FROM host_accounts WHERE agent_id = ?1 AND removed_at IS NULL", {agent_id});
  if (!listed.ok()) {
    return listed.status();
  }
  std::vector<std::string> gone;
  if (absl::Status status = listed->ForEachRow([&](const Statement& row) {
        std::string name = row.ColumnText(0);
        if (!present.contains(name)) {
          gone.push_back(std::move(name));
        }
        return absl::OkStatus();
      });
      !status.ok()) {
    return status;
  }
  const std::string reason =
      absl::StrCat("アカウントの削除を確認 (",
                   rules::LocalTimeText(policy.business_hours, ToTimestamp(snapshot_time)),
                   " のスナップショット)");
  for (const std::string& name : gone) {
    if (absl::Status status =
            db.Run("UPDATE host_accounts SET removed_at = ?3 WHERE agent_id = ?1 AND name = ?2 "
                   "AND removed_at IS NULL",
                   {agent_id, name, received});
        !status.ok()) {
      return status;
    }
    if (absl::Status status =
            db.Run("UPDATE account_reviews SET closed_at = ?3, closed_reason = ?4 "
                   "WHERE agent_id = ?1 AND account_name = ?2 AND closed_at IS NULL",
                   {agent_id, name, received, reason});
        !status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

struct StoredEpisode {
  std::int64_t episode_id = 0;
  rules::IdleEpisode episode;
};

absl::StatusOr<StoredEpisode> EpisodeFromRow(const Statement& row, int first_column) {
  StoredEpisode stored;
  stored.episode_id = row.ColumnInt64(first_column);
  absl::StatusOr<absl::Time> from = ParseStoredTime(row.ColumnText(first_column + 1));
  absl::StatusOr<absl::Time> to = ParseStoredTime(row.ColumnText(first_column + 2));
  absl::StatusOr<absl::Time> idle_since = ParseStoredTime(row.ColumnText(first_column + 4));
  for (const absl::Status& status : {from.status(), to.status(), idle_since.status()}) {
    if (!status.ok()) {
      return status;
    }
  }
  stored.episode.from = ToTimestamp(*from);
  stored.episode.to = ToTimestamp(*to);
  stored.episode.max_idle = std::chrono::seconds(row.ColumnInt64(first_column + 3));
  stored.episode.idle_since = ToTimestamp(*idle_since);
  if (!row.ColumnIsNull(first_column + 5)) {
    stored.episode.locked = row.ColumnInt64(first_column + 5) != 0;
  }
  return stored;
}

constexpr char kEpisodeColumns[] =
    "episode_id, started_at, ended_at, max_idle_s, idle_since, locked";

absl::Status UpdateEpisode(Database& db, std::int64_t episode_id, const rules::IdleEpisode& episode,
                           bool open) {
  return db.Run(
      "UPDATE idle_episodes SET started_at = ?2, ended_at = ?3, max_idle_s = ?4, idle_since = ?5, "
      "locked = ?6, open = ?7 WHERE episode_id = ?1",
      {episode_id, FormatStoredTime(ToAbslTime(episode.from)),
       FormatStoredTime(ToAbslTime(episode.to)), std::int64_t{episode.max_idle.count()},
       FormatStoredTime(ToAbslTime(episode.idle_since)), OptionalBool(episode.locked),
       std::int64_t{open ? 1 : 0}});
}

absl::Status InsertEpisode(Database& db, absl::string_view agent_id,
                           const rules::IdleEpisode& episode, bool open) {
  return db.Run(
      "INSERT INTO idle_episodes (agent_id, started_at, ended_at, max_idle_s, idle_since, locked, "
      "open) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
      {agent_id, FormatStoredTime(ToAbslTime(episode.from)),
       FormatStoredTime(ToAbslTime(episode.to)), std::int64_t{episode.max_idle.count()},
       FormatStoredTime(ToAbslTime(episode.idle_since)), OptionalBool(episode.locked),
       std::int64_t{open ? 1 : 0}});
}

rules::IdleEpisodeSettings EpisodeSettings(const rules::Policy& policy) {
  rules::IdleEpisodeSettings settings;
  settings.threshold = std::chrono::minutes{policy.idle_after_hours_minutes};
  settings.max_gap = kIdleEpisodeMaxGap;
  return settings;
}

absl::Status AdvanceIdleEpisode(Database& db, absl::string_view agent_id,
                                const HeartbeatPower& power, const rules::Policy& policy) {
  absl::StatusOr<Statement> query =
      db.Query(absl::StrCat("SELECT ", kEpisodeColumns,
                            " FROM idle_episodes WHERE agent_id = ?1 AND open = 1 "
                            "ORDER BY episode_id DESC LIMIT 1"),
               {agent_id});
  if (!query.ok()) {
    return query.status();
  }
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) {
    return row.status();
  }
  std::optional<StoredEpisode> open;
  if (*row) {
    absl::StatusOr<StoredEpisode> stored = EpisodeFromRow(*query, 0);
    if (!stored.ok()) {
      return stored.status();
    }
    open = *std::move(stored);
  }
  if (absl::Status status = Drain(*query); !status.ok()) {
    return status;
  }

  const rules::PowerObservation observation{.at = ToTimestamp(power.at),
                                            .idle = power.idle,
                                            .uptime = power.uptime,
                                            .locked = power.locked};
  const rules::IdleStep step = rules::AdvanceIdle(
      open.has_value() ? std::optional<rules::IdleEpisode>(open->episode) : std::nullopt,
      observation, policy.business_hours, EpisodeSettings(policy));
  bool row_reused = false;
  if (step.closed.has_value()) {
    if (open.has_value()) {
      if (absl::Status status = UpdateEpisode(db, open->episode_id, *step.closed, false);
          !status.ok()) {
        return status;
      }
      row_reused = true;
    } else if (absl::Status status = InsertEpisode(db, agent_id, *step.closed, false);
               !status.ok()) {
      return status;
    }
  }
  if (step.open.has_value()) {
    if (open.has_value() && !row_reused) {
      if (*step.open == open->episode) {
        return absl::OkStatus();
      }
      return UpdateEpisode(db, open->episode_id, *step.open, true);
    }
    return InsertEpisode(db, agent_id, *step.open, true);
  }
  return absl::OkStatus();
}

// The newest snapshot's facts with the newest later heartbeat's power, or nullopt before any
// snapshot.
absl::StatusOr<std::optional<facts::HostFacts>> NewestFacts(Database& db,
                                                            absl::string_view agent_id,
                                                            SnapshotFactsCache& cache) {
  absl::StatusOr<std::optional<NewestSnapshot>> snapshot = LoadNewestSnapshot(db, agent_id, cache);
  if (!snapshot.ok()) {
    return snapshot.status();
  }
  if (!snapshot->has_value()) {
    return std::nullopt;
  }
  absl::StatusOr<std::optional<HeartbeatPower>> heartbeat = LoadNewestHeartbeat(db, agent_id);
  if (!heartbeat.ok()) {
    return heartbeat.status();
  }
  facts::HostFacts facts = std::move((*snapshot)->facts);
  if (heartbeat->has_value() && (*heartbeat)->seq > (*snapshot)->seq) {
    PatchPower(facts, **heartbeat);
  }
  return facts;
}

}  // namespace

struct KnowledgeWriter::DecodedSnapshots {
  SnapshotFactsCache cache;
};

KnowledgeWriter::KnowledgeWriter(const PolicySource& policy)
    : policy_(policy), decoded_(std::make_unique<DecodedSnapshots>()) {}

KnowledgeWriter::~KnowledgeWriter() = default;

absl::Status KnowledgeWriter::OnSnapshot(Database& db, absl::string_view agent_id, std::int64_t seq,
                                         const mamori::v1::Snapshot& snapshot,
                                         absl::Time received_at) {
  const std::shared_ptr<const LoadedPolicy> policy = policy_.Current();
  const facts::HostFacts facts = codec::FromProto(snapshot.facts());
  absl::Time at = received_at;
  if (snapshot.has_collected_at()) {
    const absl::Time collected_at = codec::FromProtoTimestamp(snapshot.collected_at());
    if (collected_at <= received_at) {
      at = collected_at;
    }
  }
  absl::StatusOr<std::vector<rules::Finding>> findings =
      EvaluateAndStore(db, agent_id, facts, policy->policy, at, ContactAt(received_at));
  if (!findings.ok()) {
    return findings.status();
  }
  if (absl::Status status = StoreLedger(db, agent_id, seq, facts, policy->policy); !status.ok()) {
    return status;
  }
  if (absl::Status status = StoreSoftware(db, agent_id, facts.inventory); !status.ok()) {
    return status;
  }
  return StoreAccounts(db, agent_id, facts, *findings, received_at, at, policy->policy);
}

absl::Status KnowledgeWriter::OnHeartbeat(Database& db, absl::string_view agent_id,
                                          const mamori::v1::Heartbeat& heartbeat,
                                          absl::Time received_at) {
  const std::shared_ptr<const LoadedPolicy> policy = policy_.Current();
  const HeartbeatPower power = PowerOf(heartbeat, received_at);
  absl::StatusOr<std::optional<NewestSnapshot>> newest =
      LoadNewestSnapshot(db, agent_id, decoded_->cache);
  if (!newest.ok()) {
    return newest.status();
  }
  facts::HostFacts facts;
  if (newest->has_value()) {
    facts = std::move((*newest)->facts);
  }
  PatchPower(facts, power);
  if (newest->has_value()) {
    absl::StatusOr<std::vector<rules::Finding>> findings =
        EvaluateAndStore(db, agent_id, facts, policy->policy, power.at, ContactAt(received_at));
    if (!findings.ok()) {
      return findings.status();
    }
    if (absl::Status status = RefreshAccountRuleIds(db, agent_id, facts, *findings); !status.ok()) {
      return status;
    }
  } else if (absl::Status status = StoreContactState(db, agent_id, rules::ContactState::kOnline);
             !status.ok()) {
    return status;
  }
  // Servers run around the clock on purpose: only workstations are "left on".
  if (rules::DetermineRole(facts.inventory, policy->policy).role == facts::HostRole::kServer) {
    return absl::OkStatus();
  }
  return AdvanceIdleEpisode(db, agent_id, power, policy->policy);
}

absl::Status KnowledgeWriter::Sweep(Database& db, absl::Time now) {
  const std::shared_ptr<const LoadedPolicy> policy = policy_.Current();
  const facts::Timestamp now_ts = ToTimestamp(now);

  struct Change {
    std::string agent_id;
    rules::ContactState state;
    std::optional<absl::Time> last_contact;
    bool verdict_stored;  // a MAM-AGENT-001 row exists
  };
  std::vector<Change> changes;
  {
    absl::StatusOr<Statement> agents = db.Query(
        "SELECT a.agent_id, a.last_seen, a.enrolled_at, a.last_committed_seq, a.contact_state, "
        "COALESCE(h.role, ''), f.status IS NOT NULL "
        "FROM agents AS a LEFT JOIN hosts AS h USING (agent_id) "
        "LEFT JOIN findings AS f ON f.agent_id = a.agent_id AND f.rule_id = ?1 "
        "WHERE a.removed_at IS NULL",
        {absl::string_view(kAgentContactRule.data(), kAgentContactRule.size())});
    if (!agents.ok()) {
      return agents.status();
    }
    if (absl::Status status = agents->ForEachRow([&](const Statement& row) -> absl::Status {
          absl::StatusOr<std::optional<absl::Time>> last_contact = LastContactOf(row, 1, 2, 3);
          if (!last_contact.ok()) {
            return last_contact.status();
          }
          const bool is_server = row.ColumnText(5) == "server";
          const rules::ContactVerdict verdict =
              rules::ClassifyContact(ContactAt(*last_contact), is_server, policy->policy, now_ts);
          const bool verdict_stored = row.ColumnInt64(6) != 0;
          // Within one contact state MAM-AGENT-001's status does not move (policy changes and new
          // facts re-evaluate it elsewhere), so only a change costs a facts decode.
          if (ContactStateName(verdict.state) != row.ColumnText(4) || !verdict_stored) {
            changes.push_back(
                Change{row.ColumnText(0), verdict.state, *last_contact, verdict_stored});
          }
          return absl::OkStatus();
        });
        !status.ok()) {
      return status;
    }
  }

  for (const Change& change : changes) {
    if (absl::Status status = StoreContactState(db, change.agent_id, change.state); !status.ok()) {
      return status;
    }
    absl::StatusOr<std::optional<NewestSnapshot>> newest =
        LoadNewestSnapshot(db, change.agent_id, decoded_->cache);
    if (!newest.ok()) {
      return newest.status();
    }
    const facts::HostFacts facts =
        newest->has_value() ? std::move((*newest)->facts) : facts::HostFacts{};
    const std::vector<rules::Finding> findings =
        rules::Evaluate(facts, policy->policy, now_ts, ContactAt(change.last_contact));
    auto finding = std::find_if(findings.begin(), findings.end(), [](const rules::Finding& f) {
      return f.rule_id == kAgentContactRule;
    });
    if (finding == findings.end()) {
      continue;  // a rules engine without MAM-AGENT-001 stores no contact verdict
    }
    absl::StatusOr<std::map<std::string, StoredVerdict, std::less<>>> stored =
        LoadVerdicts(db, change.agent_id);
    if (!stored.ok()) {
      return stored.status();
    }
    auto it = stored->find(kAgentContactRule);
    if (absl::Status status =
            StoreVerdict(db, change.agent_id, kAgentContactRule, finding->status, finding->evidence,
                         now, it != stored->end() ? &it->second : nullptr);
        !status.ok()) {
      return status;
    }
  }

  // Idle episodes of hosts that went silent (slept, switched off) end at their last heartbeat.
  std::vector<StoredEpisode> open;
  {
    absl::StatusOr<Statement> episodes =
        db.Prepare(absl::StrCat("SELECT ", kEpisodeColumns, " FROM idle_episodes WHERE open = 1"));
    if (!episodes.ok()) {
      return episodes.status();
    }
    if (absl::Status status = episodes->ForEachRow([&](const Statement& row) -> absl::Status {
          absl::StatusOr<StoredEpisode> stored = EpisodeFromRow(row, 0);
          if (!stored.ok()) {
            return stored.status();
          }
          open.push_back(*std::move(stored));
          return absl::OkStatus();
        });
        !status.ok()) {
      return status;
    }
  }
  const rules::IdleEpisodeSettings settings = EpisodeSettings(policy->policy);
  for (const StoredEpisode& stored : open) {
    if (std::optional<rules::IdleEpisode> closed =
            rules::CloseIfSilent(stored.episode, now_ts, settings)) {
      if (absl::Status status = UpdateEpisode(db, stored.episode_id, *closed, false);
          !status.ok()) {
        return status;
      }
    }
  }
  return absl::OkStatus();
}

absl::Status KnowledgeWriter::ReevaluateAll(Database& db, absl::Time now) {
  const std::shared_ptr<const LoadedPolicy> policy = policy_.Current();
  std::vector<std::pair<std::string, std::optional<absl::Time>>> agents;
  {
    absl::StatusOr<Statement> query = db.Prepare(
        "SELECT a.agent_id, a.last_seen, a.enrolled_at, a.last_committed_seq FROM agents AS a "
        "WHERE a.removed_at IS NULL "
        "AND EXISTS (SELECT 1 FROM snapshots AS s WHERE s.agent_id = a.agent_id)");
    if (!query.ok()) {
      return query.status();
    }
    if (absl::Status status = query->ForEachRow([&](const Statement& row) -> absl::Status {
          absl::StatusOr<std::optional<absl::Time>> last_contact = LastContactOf(row, 1, 2, 3);
          if (!last_contact.ok()) {
            return last_contact.status();
          }
          agents.emplace_back(row.ColumnText(0), *last_contact);
          return absl::OkStatus();
        });
        !status.ok()) {
      return status;
    }
  }
  for (const auto& [agent_id, last_contact] : agents) {
    absl::StatusOr<std::optional<facts::HostFacts>> facts =
        NewestFacts(db, agent_id, decoded_->cache);
    if (!facts.ok()) {
      return facts.status();
    }
    if (!facts->has_value()) {
      continue;
    }
    absl::StatusOr<std::vector<rules::Finding>> findings =
        EvaluateAndStore(db, agent_id, **facts, policy->policy, now, ContactAt(last_contact));
    if (!findings.ok()) {
      return findings.status();
    }
    if (absl::Status status = RefreshAccountRuleIds(db, agent_id, **facts, *findings);
        !status.ok()) {
      return status;
    }
  }
  return db.Run(
      "INSERT INTO policy_state (singleton, sha256, source, loaded_at) VALUES (1, ?1, ?2, ?3) "
      "ON CONFLICT (singleton) DO UPDATE SET sha256 = excluded.sha256, source = excluded.source, "
      "loaded_at = excluded.loaded_at",
      {policy->sha256, policy->source, FormatStoredTime(now)});
}

absl::StatusOr<bool> KnowledgeWriter::ReevaluateIfPolicyChanged(Database& db, absl::Time now) {
  absl::StatusOr<Statement> query =
      db.Prepare("SELECT sha256 FROM policy_state WHERE singleton = 1");
  if (!query.ok()) {
    return query.status();
  }
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) {
    return row.status();
  }
  const std::optional<std::string> evaluated_with =
      *row ? std::optional<std::string>(query->ColumnText(0)) : std::nullopt;
  if (absl::Status status = Drain(*query); !status.ok()) {
    return status;
  }
  if (evaluated_with == policy_.Current()->sha256) {
    return false;
  }
  if (absl::Status status = ReevaluateAll(db, now); !status.ok()) {
    return status;
  }
  return true;
}

}  // namespace mamori::collector
