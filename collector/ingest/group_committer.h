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
  bool HasWorkOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  AgentRecordStore& store_;
  mutable absl::Mutex mu_;
  std::vector<Pending> queue_ ABSL_GUARDED_BY(mu_);
  std::vector<PendingTask> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread writer_;
};

}  // namespace mamori::collector
