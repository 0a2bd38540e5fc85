// The collector's single database writer. Streams hand it records; it commits whatever has queued
// up from all of them in one transaction (one fsync for many agents) and then calls each stream
// back. Maintenance (sweeps, re-evaluation after a policy change) runs on the same thread between
// batches, so it never contends with ingest for SQLite's write lock.
#pragma once

#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "collector/storage/agent_record_store.h"

namespace mamori::collector {

class GroupCommitter {
 public:
  // Runs once the record's transaction is durable (or has failed), on the writer thread. It must
  // not block: it is typically a StartWrite of the Ack.
  using Done = absl::AnyInvocable<void(absl::StatusOr<RecordOutcome>)>;

  // `store` must outlive the committer; only the writer thread touches it from here on.
  explicit GroupCommitter(AgentRecordStore& store);
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  void Submit(AgentRecord record, Done done);

  // A unit of maintenance, run on the writer thread after the batch being committed (if any). It
  // typically wraps its writes in store.RunInTransaction. `done` gets its result, on the writer
  // thread, and must not block. A task not yet started when Shutdown() begins, or submitted after
  // it, is not run: `done` gets UNAVAILABLE (maintenance redoes itself at the next start).
  using Task = absl::AnyInvocable<absl::Status(AgentRecordStore&)>;
  using TaskDone = absl::AnyInvocable<void(absl::Status)>;
  void SubmitTask(Task task, TaskDone done);

  // When the disk is full or failing, a batch's commit fails as a whole: every record in it gets
  // UNAVAILABLE (the stream is not acknowledged, the agent keeps the record and sends it again),
  // and the next batch simply tries again, so ingest resumes by itself when space returns.

  // Commits everything already queued, then stops the writer thread. Records submitted afterwards
  // are answered with UNAVAILABLE at once. Idempotent.
  void Shutdown();

 private:
  struct Pending {
    AgentRecord record;
    Done done;
  };
  struct PendingTask {
    Task task;
    TaskDone done;
  };

  void WriteLoop();
  void CommitBatch(std::vector<Pending>& batch);
  // Logs a storage failure (disk full, I/O error, damaged file) once when it starts and once when
  // a write works again, not once per batch: a full disk must not also flood the log.
  void NoteStorageResult(const absl::Status& status, std::size_t records);
  bool HasWorkOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  AgentRecordStore& store_;
  mutable absl::Mutex mu_;
  std::vector<Pending> queue_ ABSL_GUARDED_BY(mu_);
  std::vector<PendingTask> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // The current storage failure episode; the writer thread's alone.
  bool storage_failing_ = false;
  absl::Time storage_failing_since_;
  std::size_t records_refused_ = 0;
  std::thread writer_;
};

}  // namespace mamori::collector
