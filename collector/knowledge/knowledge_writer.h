// The write side of what the collector knows. On every stored snapshot: evaluate the rules (the
// same engine as mamori-check) with the policy in force and the host's contact, store the current
// findings and every status change, refresh the ledger columns, the software list and the account
// list (closing reviews of accounts that are gone). On every heartbeat: patch the newest facts'
// power section with it, re-evaluate, and advance the host's idle episode. Periodically (Sweep):
// contact states and MAM-AGENT-001, idle episodes of silent hosts. After a policy change:
// re-evaluate every host (ReevaluateAll). Every method runs inside the caller's transaction on the
// writer's connection.
#pragma once

#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "collector/knowledge/policy_source.h"
#include "collector/storage/database.h"
#include "collector/storage/ingest_observer.h"

namespace mamori::collector {

class KnowledgeWriter final : public IngestObserver {
 public:
  // `policy` must outlive the writer.
  explicit KnowledgeWriter(const PolicySource& policy);
  ~KnowledgeWriter() override;
  KnowledgeWriter(const KnowledgeWriter&) = delete;
  KnowledgeWriter& operator=(const KnowledgeWriter&) = delete;

  absl::Status OnSnapshot(Database& db, absl::string_view agent_id, std::int64_t seq,
                          const mamori::v1::Snapshot& snapshot, absl::Time received_at) override;
  absl::Status OnHeartbeat(Database& db, absl::string_view agent_id,
                           const mamori::v1::Heartbeat& heartbeat, absl::Time received_at) override;

  // Contact states of all agents and MAM-AGENT-001 findings as of `now`; closes idle episodes of
  // hosts silent for longer than the episode gap.
  absl::Status Sweep(Database& db, absl::Time now);

  // Re-evaluates every host's newest snapshot (with its newest heartbeat) under the policy in
  // force, as of `now`, and records it in policy_state. Status changes enter the history as usual.
  absl::Status ReevaluateAll(Database& db, absl::Time now);

  // ReevaluateAll when policy_state names another policy than the one in force (or none): the file
  // was edited while the collector was down, or a re-evaluation never finished. True when it ran.
  absl::StatusOr<bool> ReevaluateIfPolicyChanged(Database& db, absl::Time now);

 private:
  const PolicySource& policy_;
  // The newest snapshot's facts of recently active agents, decoded, keyed by the stored bytes they
  // were decoded from: every heartbeat re-evaluates the host on its newest snapshot, and parsing
  // and converting the same stored facts again for each one was a large share of a heartbeat's
  // cost. Bounded; the writer thread's alone.
  struct DecodedSnapshots;
  std::unique_ptr<DecodedSnapshots> decoded_;
};

}  // namespace mamori::collector
