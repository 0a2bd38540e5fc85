// What runs inside the writer's transaction after a record is stored: the collector's knowledge
// (collector/knowledge/) evaluates and records findings, the ledger, accounts and idle episodes in
// the same transaction as the record, so an Ack always means both are durable, or neither.
#pragma once

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "collector/storage/database.h"
#include "mamori/v1/agent.pb.h"

namespace mamori::collector {

class IngestObserver {
 public:
  virtual ~IngestObserver() = default;
  // After a new (not replayed) snapshot was stored. An error rolls back this record only.
  virtual absl::Status OnSnapshot(Database& db, absl::string_view agent_id, std::int64_t seq,
                                  const mamori::v1::Snapshot& snapshot, absl::Time received_at) = 0;
  virtual absl::Status OnHeartbeat(Database& db, absl::string_view agent_id,
                                   const mamori::v1::Heartbeat& heartbeat,
                                   absl::Time received_at) = 0;
};

}  // namespace mamori::collector
