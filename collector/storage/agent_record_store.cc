#include "collector/storage/agent_record_store.h"

#include <limits>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "collector/storage/schema.h"
#include "spdlog/spdlog.h"

namespace mamori::collector {
namespace {

std::optional<std::string> StoredTimeOf(bool present,
                                        const google::protobuf::Timestamp& timestamp) {
  if (!present) {
    return std::nullopt;
  }
  return FormatStoredTime(absl::FromUnixSeconds(timestamp.seconds()) +
                          absl::Nanoseconds(timestamp.nanos()));
}

absl::string_view OsFamilyName(mamori::v1::OsFamily family) {
  switch (family) {
    case mamori::v1::OS_FAMILY_LINUX:
      return "linux";
    case mamori::v1::OS_FAMILY_WINDOWS:
      return "windows";
    default:
      return "";
  }
}

// Validation keeps seq within SQLite's signed INTEGER; this guards the conversion regardless.
absl::StatusOr<std::int64_t> StoredSeq(std::uint64_t seq) {
  if (seq > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return absl::InvalidArgumentError(absl::StrCat("seq ", seq, " is out of range"));
  }
  return static_cast<std::int64_t>(seq);
}

// Runs one record inside a SAVEPOINT so that its failure undoes only its own writes.
class RecordSavepoint {
 public:
  static absl::StatusOr<RecordSavepoint> Begin(Database& db) {
    // Run, not Execute: a cached statement, as this runs for every record.
    if (absl::Status status = db.Run("SAVEPOINT record", {}); !status.ok()) {
      return status;
    }
    return RecordSavepoint(&db);
  }
  RecordSavepoint(RecordSavepoint&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  RecordSavepoint& operator=(RecordSavepoint&&) = delete;
  ~RecordSavepoint() {
    if (db_ != nullptr) {
      (void)db_->Execute("ROLLBACK TO record; RELEASE record");
    }
  }
  absl::Status Release() {
    absl::Status status = db_->Run("RELEASE record", {});
    if (status.ok()) {
      db_ = nullptr;
    }
    return status;
  }

 private:
  explicit RecordSavepoint(Database* db) : db_(db) {}
  Database* db_;
};

}  // namespace

absl::StatusOr<AgentRecordStore> AgentRecordStore::Open(const std::filesystem::path& path,
                                                        Database::OpenMode mode) {
  absl::StatusOr<Database> db = Database::Open(path, mode, CollectorSchema());
  if (!db.ok()) {
    return db.status();
  }
  return AgentRecordStore(*std::move(db));
}

absl::Status AgentRecordStore::RunInTransaction(absl::FunctionRef<absl::Status(Database&)> work) {
  absl::StatusOr<Transaction> transaction = Transaction::Begin(db_);
  if (!transaction.ok()) {
    return transaction.status();
  }
  if (absl::Status status = work(db_); !status.ok()) {
    return status;  // the transaction's destructor rolls back
  }
  return transaction->Commit();
}

absl::StatusOr<std::vector<absl::StatusOr<RecordOutcome>>> AgentRecordStore::Commit(
    std::span<const AgentRecord> records) {
  absl::StatusOr<Transaction> transaction = Transaction::Begin(db_);
  if (!transaction.ok()) {
    return transaction.status();
  }
  std::vector<absl::StatusOr<RecordOutcome>> outcomes;
  outcomes.reserve(records.size());
  for (const AgentRecord& record : records) {
    absl::StatusOr<RecordSavepoint> savepoint = RecordSavepoint::Begin(db_);
    if (!savepoint.ok()) {
      return savepoint.status();
    }
    absl::StatusOr<RecordOutcome> outcome = Apply(record);
    if (!outcome.ok() && (absl::IsUnavailable(outcome.status()) || !db_.InTransaction())) {
      // The disk is full or failing (SQLite may already have rolled the whole transaction back, so
      // the records before this one are gone too): the batch fails as one and nothing of it is
      // kept; the destructors roll back whatever is left. Any other error (a record that cannot
      // be stored, even a damaged stored row) stays that record's own: one bad record must not
      // block every agent's batch.
      return outcome.status();
    }
    if (outcome.ok()) {
      if (absl::Status status = savepoint->Release(); !status.ok()) {
        return status;
      }
    }
    // On error the savepoint's destructor rolls back this record's writes only.
    outcomes.push_back(std::move(outcome));
  }
  if (absl::Status status = transaction->Commit(); !status.ok()) {
    return status;
  }
  return outcomes;
}

absl::StatusOr<RecordOutcome> AgentRecordStore::Apply(const AgentRecord& record) {
  const mamori::v1::AgentMessage& message = record.message;
  switch (message.body_case()) {
    case mamori::v1::AgentMessage::kHello:
      return ApplyHello(record);
    case mamori::v1::AgentMessage::kSnapshot:
      return ApplySequenced(record, message.snapshot().seq());
    case mamori::v1::AgentMessage::kHeartbeat:
      return ApplySequenced(record, message.heartbeat().seq());
    case mamori::v1::AgentMessage::BODY_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError("agent_message: body not set");
}

absl::StatusOr<RecordOutcome> AgentRecordStore::ApplyHello(const AgentRecord& record) {
  const mamori::v1::Hello& hello = record.message.hello();
  const std::string now = FormatStoredTime(record.received_at);
  absl::StatusOr<Statement> upsert = db_.Query(
      "INSERT INTO agents (agent_id, hostname, agent_version, first_seen, last_seen) "
      "VALUES (?1, ?2, ?3, ?4, ?4) "
      "ON CONFLICT (agent_id) DO UPDATE SET hostname = excluded.hostname, "
      "agent_version = excluded.agent_version, last_seen = excluded.last_seen "
      "RETURNING last_committed_seq",
      {hello.agent_id(), hello.hostname(), hello.agent_version(), now});
  if (!upsert.ok()) {
    return upsert.status();
  }
  absl::StatusOr<bool> row = upsert->Step();
  if (!row.ok()) {
    return row.status();
  }
  if (!*row) {
    return absl::InternalError("agent upsert returned no row");
  }
  RecordOutcome outcome;
  outcome.last_committed_seq = static_cast<std::uint64_t>(upsert->ColumnInt64(0));
  // Step to the end so the statement is complete before the next one runs.
  if (absl::StatusOr<bool> more = upsert->Step(); !more.ok()) {
    return more.status();
  }
  if (absl::Status status =
          db_.Run("UPDATE hosts SET last_seen = ?2 WHERE agent_id = ?1", {hello.agent_id(), now});
      !status.ok()) {
    return status;
  }
  return outcome;
}

absl::StatusOr<RecordOutcome> AgentRecordStore::ApplySequenced(const AgentRecord& record,
                                                               std::uint64_t seq) {
  absl::StatusOr<std::int64_t> stored_seq = StoredSeq(seq);
  if (!stored_seq.ok()) {
    return stored_seq.status();
  }
  absl::StatusOr<Statement> agent =
      db_.Query("SELECT last_committed_seq FROM agents WHERE agent_id = ?1", {record.agent_id});
  if (!agent.ok()) {
    return agent.status();
  }
  absl::StatusOr<bool> known = agent->Step();
  if (!known.ok()) {
    return known.status();
  }
  if (!*known) {
    return absl::FailedPreconditionError(
        absl::StrCat("agent ", record.agent_id, " has not said Hello"));
  }
  const std::int64_t last = agent->ColumnInt64(0);

  const std::string now = FormatStoredTime(record.received_at);
  RecordOutcome outcome;
  if (*stored_seq <= last) {
    // A replay after a lost Ack: already stored, so it is only acknowledged again.
    outcome.last_committed_seq = static_cast<std::uint64_t>(last);
    outcome.duplicate = true;
  } else {
    if (*stored_seq > last + 1) {
      if (absl::Status status = db_.Run(
              "INSERT INTO sequence_gaps (agent_id, first_missing, last_missing, detected_at) "
              "VALUES (?1, ?2, ?3, ?4)",
              {record.agent_id, last + 1, *stored_seq - 1, now});
          !status.ok()) {
        return status;
      }
    }
    absl::Status stored = record.message.has_snapshot() ? StoreSnapshot(record, *stored_seq)
                                                        : StoreHeartbeat(record, *stored_seq);
    if (!stored.ok()) {
      return stored;
    }
    outcome.last_committed_seq = seq;
  }

  if (absl::Status status =
          db_.Run("UPDATE agents SET last_committed_seq = ?2, last_seen = ?3 WHERE agent_id = ?1",
                  {record.agent_id, static_cast<std::int64_t>(outcome.last_committed_seq), now});
      !status.ok()) {
    return status;
  }
  if (absl::Status status =
          db_.Run("UPDATE hosts SET last_seen = ?2 WHERE agent_id = ?1", {record.agent_id, now});
      !status.ok()) {
    return status;
  }
  return outcome;
}

absl::Status AgentRecordStore::StoreSnapshot(const AgentRecord& record, std::int64_t seq) {
  const mamori::v1::Snapshot& snapshot = record.message.snapshot();
  const mamori::v1::Inventory& inventory = snapshot.facts().inventory();
  const std::string now = FormatStoredTime(record.received_at);
  std::string facts;
  if (!snapshot.facts().SerializeToString(&facts)) {
    return absl::InternalError("could not serialize the snapshot's facts");
  }
  if (absl::Status status = db_.Run(
          "INSERT INTO snapshots (agent_id, seq, collected_at, received_at, facts) "
          "VALUES (?1, ?2, ?3, ?4, ?5)",
          {record.agent_id, seq, StoredTimeOf(snapshot.has_collected_at(), snapshot.collected_at()),
           now, Blob{facts}});
      !status.ok()) {
    return status;
  }
  if (absl::Status status = db_.Run(
          "INSERT INTO hosts (agent_id, hostname, os_family, os_name, os_version, os_build, "
          "os_pretty_name, kernel_version, architecture, machine_id, last_snapshot_at, last_seen) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11) "
          "ON CONFLICT (agent_id) DO UPDATE SET hostname = excluded.hostname, "
          "os_family = excluded.os_family, os_name = excluded.os_name, "
          "os_version = excluded.os_version, os_build = excluded.os_build, "
          "os_pretty_name = excluded.os_pretty_name, kernel_version = excluded.kernel_version, "
          "architecture = excluded.architecture, machine_id = excluded.machine_id, "
          "last_snapshot_at = excluded.last_snapshot_at, last_seen = excluded.last_seen",
          {record.agent_id, inventory.hostname(), OsFamilyName(inventory.os_family()),
           inventory.os_name(), inventory.os_version(), inventory.os_build(),
           inventory.os_pretty_name(), inventory.kernel_version(), inventory.architecture(),
           inventory.machine_id(), now});
      !status.ok()) {
    return status;
  }
  if (observer_ == nullptr) {
    return absl::OkStatus();
  }
  absl::Status observed =
      observer_->OnSnapshot(db_, record.agent_id, seq, snapshot, record.received_at);
  if (!observed.ok()) {
    spdlog::error("agent {}: snapshot {} not stored, evaluating it failed: {}", record.agent_id,
                  seq, std::string(observed.message()));
  }
  return observed;
}

absl::Status AgentRecordStore::StoreHeartbeat(const AgentRecord& record, std::int64_t seq) {
  const mamori::v1::Heartbeat& heartbeat = record.message.heartbeat();
  auto seconds_of = [](bool present, const google::protobuf::Duration& duration) -> SqlParam {
    return present ? SqlParam(duration.seconds()) : SqlParam(nullptr);
  };
  if (absl::Status status =
          db_.Run("INSERT INTO heartbeats (agent_id, seq, sent_at, received_at, uptime_s, idle_s, "
                  "session_locked, sessions) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                  {record.agent_id, seq, StoredTimeOf(heartbeat.has_sent_at(), heartbeat.sent_at()),
                   FormatStoredTime(record.received_at),
                   seconds_of(heartbeat.has_uptime(), heartbeat.uptime()),
                   seconds_of(heartbeat.has_idle(), heartbeat.idle()),
                   heartbeat.has_session_locked()
                       ? SqlParam(std::int64_t{heartbeat.session_locked() ? 1 : 0})
                       : SqlParam(nullptr),
                   static_cast<std::int64_t>(heartbeat.sessions())});
      !status.ok()) {
    return status;
  }
  if (observer_ == nullptr) {
    return absl::OkStatus();
  }
  absl::Status observed =
      observer_->OnHeartbeat(db_, record.agent_id, heartbeat, record.received_at);
  if (!observed.ok()) {
    spdlog::error("agent {}: heartbeat {} not stored, evaluating it failed: {}", record.agent_id,
                  seq, std::string(observed.message()));
  }
  return observed;
}

absl::StatusOr<std::uint64_t> AgentRecordStore::LastCommittedSeq(absl::string_view agent_id) {
  absl::StatusOr<Statement> query =
      db_.Query("SELECT last_committed_seq FROM agents WHERE agent_id = ?1", {agent_id});
  if (!query.ok()) {
    return query.status();
  }
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) {
    return row.status();
  }
  return *row ? static_cast<std::uint64_t>(query->ColumnInt64(0)) : 0;
}

absl::StatusOr<std::vector<HostSummary>> AgentRecordStore::ListHosts() {
  absl::StatusOr<Statement> query = db_.Prepare(
      "SELECT a.agent_id, COALESCE(h.hostname, a.hostname), COALESCE(h.os_name, ''), "
      "COALESCE(h.os_version, ''), COALESCE(h.os_pretty_name, ''), a.last_seen "
      "FROM agents AS a LEFT JOIN hosts AS h USING (agent_id) "
      "WHERE a.removed_at IS NULL "
      "ORDER BY 2, 1");
  if (!query.ok()) {
    return query.status();
  }
  std::vector<HostSummary> hosts;
  if (absl::Status status = query->ForEachRow([&](const Statement& row) -> absl::Status {
        HostSummary host;
        host.agent_id = row.ColumnText(0);
        host.hostname = row.ColumnText(1);
        host.os_name = row.ColumnText(2);
        host.os_version = row.ColumnText(3);
        host.os_pretty_name = row.ColumnText(4);
        const std::string last_seen = row.ColumnText(5);
        std::string error;
        if (!absl::ParseTime(absl::RFC3339_full, last_seen, &host.last_seen, &error)) {
          return absl::DataLossError(
              absl::StrCat("agent ", host.agent_id, ": stored last_seen is not RFC 3339: ", error));
        }
        hosts.push_back(std::move(host));
        return absl::OkStatus();
      });
      !status.ok()) {
    return status;
  }
  return hosts;
}

}  // namespace mamori::collector
