#include "collector/ingest/group_committer.h"

#include <utility>

#include "absl/time/clock.h"
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
      NoteStorageResult(status, 0);
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
  if (!outcomes.ok() && !IsStorageFailure(outcomes.status())) {
    spdlog::error("committing {} records failed: {}", records.size(),
                  std::string(outcomes.status().message()));
  }
  NoteStorageResult(outcomes.status(), records.size());
  // Callbacks start gRPC writes: they run outside the lock.
  for (std::size_t i = 0; i < batch.size(); ++i) {
    batch[i].done(outcomes.ok() ? std::move((*outcomes)[i])
                                : absl::StatusOr<RecordOutcome>(outcomes.status()));
  }
}

void GroupCommitter::NoteStorageResult(const absl::Status& status, std::size_t records) {
  if (IsStorageFailure(status)) {
    records_refused_ += records;
    if (!storage_failing_) {
      storage_failing_ = true;
      storage_failing_since_ = absl::Now();
      spdlog::error(
          "the database cannot be written: {}. Records are refused and not acknowledged; the "
          "agents keep them and send them again. Free disk space (or fix the disk); the collector "
          "resumes by itself, no restart needed",
          std::string(status.message()));
    }
    return;
  }
  if (status.ok() && storage_failing_) {
    spdlog::info(
        "the database can be written again after {}; {} records were refused meanwhile "
        "and are being sent again by their agents",
        absl::FormatDuration(absl::Trunc(absl::Now() - storage_failing_since_, absl::Seconds(1))),
        records_refused_);
    storage_failing_ = false;
    records_refused_ = 0;
  }
}

}  // namespace mamori::collector
