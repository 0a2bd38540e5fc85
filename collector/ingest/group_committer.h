// The collector's single database writer. Streams hand it records; it commits whatever has queued
// up from all of them in one transaction (one fsync for many agents) and then calls each stream
// back.
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

  // Commits everything already queued, then stops the writer thread. Records submitted afterwards
  // are answered with UNAVAILABLE at once. Idempotent.
  void Shutdown();

 private:
  struct Pending {
    AgentRecord record;
    Done done;
  };

  void WriteLoop();
  bool HasWorkOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  AgentRecordStore& store_;
  mutable absl::Mutex mu_;
  std::vector<Pending> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread writer_;
};

}  // namespace mamori::collector
