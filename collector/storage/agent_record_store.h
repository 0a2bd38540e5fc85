// Durable storage of what agents send: their Hello, snapshots and heartbeats, committed in batches
// with the per-agent sequence bookkeeping that makes delivery exactly-once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "collector/storage/database.h"
#include "collector/storage/ingest_observer.h"
#include "collector/storage/stored_time.h"
#include "mamori/v1/agent.pb.h"

namespace mamori::collector {

// One message received on an agent's stream, waiting to be committed.
struct AgentRecord {
  std::string agent_id;  // from the stream's Hello
  mamori::v1::AgentMessage message;
  absl::Time received_at;
};

// What committing one record did.
struct RecordOutcome {
  // The agent's highest committed seq once this record is applied: Welcome's value for a Hello.
  std::uint64_t last_committed_seq = 0;
  // The seq was already committed earlier: nothing was stored, but it is acknowledged again.
  bool duplicate = false;
};

// One row of the host list shown to people.
struct HostSummary {
  std::string agent_id;
  std::string hostname;
  std::string os_name;
  std::string os_version;
  std::string os_pretty_name;
  absl::Time last_seen;
};

class AgentRecordStore {
 public:
  static absl::StatusOr<AgentRecordStore> Open(const std::filesystem::path& path,
                                               Database::OpenMode mode);

  AgentRecordStore(AgentRecordStore&&) noexcept = default;
  AgentRecordStore& operator=(AgentRecordStore&&) noexcept = default;

  // Commits every record in one transaction (one fsync for the whole batch) and reports per record.
  // A record that cannot be stored (e.g. a snapshot for an agent that never said Hello) gets its
  // own error and is rolled back alone; the rest of the batch still commits. The overall result is
  // an error only when the transaction itself fails, in which case nothing was stored: that
  // includes a record failing because the disk is full or failing (UNAVAILABLE), or any failure
  // after which SQLite ended the transaction itself: the whole batch fails rather than leaving
  // part of it.
  absl::StatusOr<std::vector<absl::StatusOr<RecordOutcome>>> Commit(
      std::span<const AgentRecord> records);

  // `observer` (not owned; null for none) runs after every new snapshot and heartbeat is inserted,
  // inside that record's savepoint: its error rolls back that record alone, which is then refused
  // (no Ack) like any record that cannot be stored. Set it before the writer thread starts.
  void SetObserver(IngestObserver* observer) { observer_ = observer; }

  // Runs `work` in one transaction on this store's connection (the writer's), committing when it
  // returns OK and rolling everything back otherwise. For maintenance (sweeps, re-evaluation) run
  // as a GroupCommitter task, so that it never contends with ingest for the write lock.
  absl::Status RunInTransaction(absl::FunctionRef<absl::Status(Database&)> work);

  // 0 for an agent never seen: it has nothing committed.
  absl::StatusOr<std::uint64_t> LastCommittedSeq(absl::string_view agent_id);

  // Every agent that is enrolled (or has said Hello) and not removed, with the OS details of its
  // newest snapshot (empty until the first snapshot arrives), ordered by hostname.
  absl::StatusOr<std::vector<HostSummary>> ListHosts();

 private:
  explicit AgentRecordStore(Database db) : db_(std::move(db)) {}
  absl::StatusOr<RecordOutcome> Apply(const AgentRecord& record);
  absl::StatusOr<RecordOutcome> ApplyHello(const AgentRecord& record);
  absl::StatusOr<RecordOutcome> ApplySequenced(const AgentRecord& record, std::uint64_t seq);
  absl::Status StoreSnapshot(const AgentRecord& record, std::int64_t seq);
  absl::Status StoreHeartbeat(const AgentRecord& record, std::int64_t seq);

  Database db_;
  IngestObserver* observer_ = nullptr;
};

}  // namespace mamori::collector
