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
    Migration{
        .version = 3,
        .description = "people (admin, vendor) with their certificates; the append-only audit log",
        .sql = R"sql(
-- The people who use mamorictl. A name is the CN of their certificates; the role decides what they
-- may call (collector/server/authorization.cc). `user revoke` sets revoked_at here and on every
-- certificate; `user add` of a revoked name starts it again with a new certificate.
CREATE TABLE users (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL CHECK (role IN ('admin', 'vendor')),
  created_at TEXT NOT NULL,
  revoked_at TEXT
) STRICT;

-- Every certificate issued to a person. As for agents, a certificate whose serial is not here is
-- not accepted even though the CA signed it; its role is recorded so an OU cannot be argued with.
CREATE TABLE user_certificates (
  serial TEXT PRIMARY KEY,  -- lowercase hex
  user_name TEXT NOT NULL REFERENCES users(name),
  role TEXT NOT NULL CHECK (role IN ('admin', 'vendor')),
  not_before TEXT NOT NULL,
  not_after TEXT NOT NULL,
  issued_at TEXT NOT NULL,
  revoked_at TEXT
) STRICT;
CREATE INDEX user_certificates_by_user ON user_certificates(user_name);

-- Who did what and when. Rows are only ever added: the triggers refuse to change or delete one, so
-- neither a bug nor a careless `sqlite3` session rewrites history (root on the server PC can still
-- drop the triggers; docs/security.md says so). No secret is ever written here.
CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,       -- RFC 3339 UTC
  actor TEXT NOT NULL,    -- user name, agent id, or local:<os user> for the CLI on the server PC
  role TEXT NOT NULL,     -- admin, vendor, agent, enrollee, local
  action TEXT NOT NULL,   -- e.g. user.add, token.create, CollectorAdmin/ListHosts
  target TEXT NOT NULL,
  detail TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'refused', 'failed'))
) STRICT;
CREATE INDEX audit_events_by_time ON audit_events(at);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'audit log is append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'audit log is append-only');
END;
)sql",
    },
};

}  // namespace

std::span<const Migration> CollectorSchema() { return kMigrations; }

}  // namespace mamori::collector
