#include "collector/storage/schema.h"

#include <array>

namespace mamori::collector {
namespace {

// Times are UTC RFC 3339 text. Sequence numbers are the agent's uint64 seq, which validation keeps
// within SQLite's signed 64-bit INTEGER.
constexpr std::array kMigrations = {
    Migration{
        .version = 1,
        .description = "agents, hosts, snapshots, heartbeats, sequence gaps",
        .sql = R"sql(
CREATE TABLE agents (
  agent_id TEXT PRIMARY KEY,
  hostname TEXT NOT NULL,
  agent_version TEXT NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  last_committed_seq INTEGER NOT NULL DEFAULT 0
) STRICT;

-- The latest known state of each agent's host, from its newest snapshot.
CREATE TABLE hosts (
  agent_id TEXT PRIMARY KEY REFERENCES agents(agent_id),
  hostname TEXT NOT NULL,
  os_family TEXT NOT NULL,
  os_name TEXT NOT NULL,
  os_version TEXT NOT NULL,
  os_build TEXT NOT NULL,
  os_pretty_name TEXT NOT NULL,
  kernel_version TEXT NOT NULL,
  architecture TEXT NOT NULL,
  machine_id TEXT NOT NULL,
  last_snapshot_at TEXT NOT NULL,
  last_seen TEXT NOT NULL
) STRICT;

CREATE TABLE snapshots (
  agent_id TEXT NOT NULL REFERENCES agents(agent_id),
  seq INTEGER NOT NULL,
  collected_at TEXT,
  received_at TEXT NOT NULL,
  facts BLOB NOT NULL,  -- serialized mamori.v1.HostFacts
  PRIMARY KEY (agent_id, seq)
) STRICT;

CREATE TABLE heartbeats (
  agent_id TEXT NOT NULL REFERENCES agents(agent_id),
  seq INTEGER NOT NULL,
  sent_at TEXT,
  received_at TEXT NOT NULL,
  uptime_s INTEGER,
  idle_s INTEGER,
  session_locked INTEGER,  -- NULL: the agent could not tell
  sessions INTEGER NOT NULL,
  PRIMARY KEY (agent_id, seq)
) STRICT;

-- Records the collector never received: the agent's spool dropped them or they were lost.
CREATE TABLE sequence_gaps (
  gap_id INTEGER PRIMARY KEY,
  agent_id TEXT NOT NULL REFERENCES agents(agent_id),
  first_missing INTEGER NOT NULL,
  last_missing INTEGER NOT NULL,
  detected_at TEXT NOT NULL
) STRICT;
CREATE INDEX sequence_gaps_by_agent ON sequence_gaps(agent_id);
)sql",
    },
};

}  // namespace

std::span<const Migration> CollectorSchema() { return kMigrations; }

}  // namespace mamori::collector
