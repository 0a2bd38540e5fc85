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
    Migration{
        .version = 2,
        .description = "enrollment tokens, agent certificates, host removal",
        .sql = R"sql(
-- How each agent came to be: it exists from its enrollment on, and `host remove` ends it for good
-- (a removed agent comes back only through a new token, as a new agent id).
ALTER TABLE agents ADD COLUMN machine_id TEXT;
ALTER TABLE agents ADD COLUMN enrolled_at TEXT;
ALTER TABLE agents ADD COLUMN enrollment_token_id TEXT;
ALTER TABLE agents ADD COLUMN removed_at TEXT;

-- The token itself is never stored: only its SHA-256, so a copy of the database enrolls nobody.
CREATE TABLE enrollment_tokens (
  token_id TEXT PRIMARY KEY,
  token_hash BLOB NOT NULL UNIQUE,
  label TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,  -- whole seconds, so the text compares in time order
  uses_left INTEGER NOT NULL CHECK (uses_left >= 0),
  revoked_at TEXT
) STRICT;

-- Every client certificate the CA issued to an agent. A certificate whose serial is not here is not
-- accepted even if the CA signed it.
CREATE TABLE agent_certificates (
  serial TEXT PRIMARY KEY,  -- lowercase hex
  agent_id TEXT NOT NULL REFERENCES agents(agent_id),
  not_before TEXT NOT NULL,
  not_after TEXT NOT NULL,
  issued_at TEXT NOT NULL,
  revoked_at TEXT
) STRICT;
CREATE INDEX agent_certificates_by_agent ON agent_certificates(agent_id);

-- Bumped by every revocation, so that a running collector (another process) notices a `host remove`
-- within a poll interval and closes the revoked agent's stream.
CREATE TABLE trust_state (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  revocation_generation INTEGER NOT NULL
) STRICT;
INSERT INTO trust_state (singleton, revocation_generation) VALUES (1, 0);
)sql",
    },
};

}  // namespace

std::span<const Migration> CollectorSchema() { return kMigrations; }

}  // namespace mamori::collector
