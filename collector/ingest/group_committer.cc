#include "collector/ingest/group_committer.h"

#include <utility>

#include "spdlog/spdlog.h"

namespace mamori::collector {

GroupCommitter::GroupCommitter(AgentRecordStore& store)
    : store_(store), writer_([this] { WriteLoop(); }) {}

GroupCommitter::~GroupCommitter() { Shutdown(); }

void GroupCommitter::Submit(AgentRecord record, Done done) {
  {
    absl::MutexLock lock(&mu_);
    if (!stopping_) {
      queue_.push_back(Pending{std::move(record), std::move(done)});
      return;
    }
  }
  done(absl::UnavailableError("the collector is shutting down"));
}

void GroupCommitter::SubmitTask(Task task, TaskDone done) {
  {
    absl::MutexLock lock(&mu_);
    if (!stopping_) {
      tasks_.push_back(PendingTask{std::move(task), std::move(done)});
      return;
    }
  }
  done(absl::UnavailableError("the collector is shutting down"));
}

void GroupCommitter::Shutdown() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (writer_.joinable()) {
    writer_.join();
  }
}

bool GroupCommitter::HasWorkOrStopping() const {
  return stopping_ || !queue_.empty() || !tasks_.empty();
}

void GroupCommitter::WriteLoop() {
  while (true) {
    std::vector<Pending> batch;
    std::vector<PendingTask> tasks;
    bool stopping = false;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &GroupCommitter::HasWorkOrStopping));
      stopping = stopping_;
      if (stopping && queue_.empty() && tasks_.empty()) {
        return;  // stopping, and everything queued before the stop has been committed
      }
      batch.swap(queue_);
      tasks.swap(tasks_);
    }

    if (!batch.empty()) {
      CommitBatch(batch);
    }
    // Callbacks and tasks run outside the lock: new records may queue meanwhile.
    for (PendingTask& pending : tasks) {
      if (stopping) {
        pending.done(absl::UnavailableError("the collector is shutting down"));
        continue;
      }
      absl::Status status = pending.task(store_);
      pending.done(std::move(status));
    }
  }
}

void GroupCommitter::CommitBatch(std::vector<Pending>& batch) {
  std::vector<AgentRecord> records;
  records.reserve(batch.size());
  for (Pending& pending : batch) {
    records.push_back(std::move(pending.record));
  }
  absl::StatusOr<std::vector<absl::StatusOr<RecordOutcome>>> outcomes = store_.Commit(records);
  if (!outcomes.ok()) {
    spdlog::error("committing {} records failed: {}", records.size(),
                  std::string(outcomes.status().message()));
  }
  // Callbacks start gRPC writes: they run outside the lock.
  for (std::size_t i = 0; i < batch.size(); ++i) {
    batch[i].done(outcomes.ok() ? std::move((*outcomes)[i])
                                : absl::StatusOr<RecordOutcome>(outcomes.status()));
  }
}

}  // namespace mamori::collector
