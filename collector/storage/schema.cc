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
    Migration{
        .version = 4,
        .description =
            "findings with history, ledger, software, accounts and reviews, idle episodes",
        .sql = R"sql(
-- The inventory ledger (台帳): what the newest snapshot says beyond the OS, kept in columns so
-- the ledger of a whole clinic is one query. Lists are JSON arrays of strings.
ALTER TABLE hosts ADD COLUMN role TEXT NOT NULL DEFAULT '';  -- 'workstation', 'server'
ALTER TABLE hosts ADD COLUMN os_edition TEXT NOT NULL DEFAULT '';
ALTER TABLE hosts ADD COLUMN end_of_support TEXT NOT NULL DEFAULT '';  -- YYYY-MM-DD or ''
ALTER TABLE hosts ADD COLUMN manufacturer TEXT NOT NULL DEFAULT '';
ALTER TABLE hosts ADD COLUMN model TEXT NOT NULL DEFAULT '';
ALTER TABLE hosts ADD COLUMN serial_number TEXT NOT NULL DEFAULT '';
ALTER TABLE hosts ADD COLUMN cpu_model TEXT NOT NULL DEFAULT '';
ALTER TABLE hosts ADD COLUMN memory_bytes INTEGER;
ALTER TABLE hosts ADD COLUMN addresses TEXT NOT NULL DEFAULT '[]';
ALTER TABLE hosts ADD COLUMN mac_addresses TEXT NOT NULL DEFAULT '[]';
ALTER TABLE hosts ADD COLUMN software_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hosts ADD COLUMN last_snapshot_seq INTEGER;

-- Whether the collector hears from each agent as it should (MAM-AGENT-001), as of the last sweep.
ALTER TABLE agents ADD COLUMN contact_state TEXT NOT NULL DEFAULT 'never_reported'
  CHECK (contact_state IN ('online', 'off_expected', 'stale', 'never_reported'));

-- The fields of the ledger that only people know, edited by admins.
CREATE TABLE host_annotations (
  agent_id TEXT PRIMARY KEY REFERENCES agents(agent_id),
  location TEXT NOT NULL DEFAULT '',
  purpose TEXT NOT NULL DEFAULT '',
  person_in_charge TEXT NOT NULL DEFAULT '',
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

-- Each rule's current verdict on each host. Titles and remediation come from the rule catalogue
-- when read; only what the evaluation found is stored.
CREATE TABLE findings (
  agent_id TEXT NOT NULL REFERENCES agents(agent_id),
  rule_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pass', 'warn', 'fail', 'unknown', 'na')),
  evidence TEXT NOT NULL,
  since TEXT NOT NULL,         -- when the rule last changed to this status
  evaluated_at TEXT NOT NULL,  -- the time the verdict was computed for
  PRIMARY KEY (agent_id, rule_id)
) STRICT;
CREATE INDEX findings_by_status ON findings(status, rule_id);

-- Every change of a rule's status on a host: "failing since 2026-10-14" is the newest change.
CREATE TABLE finding_history (
  change_id INTEGER PRIMARY KEY,
  agent_id TEXT NOT NULL REFERENCES agents(agent_id),
  rule_id TEXT NOT NULL,
  old_status TEXT,  -- NULL: the first verdict of this rule on this host
  new_status TEXT NOT NULL,
  at TEXT NOT NULL,
  evidence TEXT NOT NULL
) STRICT;
CREATE INDEX finding_history_by_agent ON finding_history(agent_id, change_id);
CREATE INDEX finding_history_by_time ON finding_history(at);

-- Installed software of each host's newest snapshot, replaced with every snapshot.
CREATE TABLE host_software (
  agent_id TEXT NOT NULL REFERENCES agents(agent_id),
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  publisher TEXT NOT NULL,
  installed_at TEXT
) STRICT;
CREATE INDEX host_software_by_agent ON host_software(agent_id);
CREATE INDEX host_software_by_name ON host_software(name, version);

-- Every local account ever seen on each host. `material` is the text of the facts whose change
-- makes a review due again (enabled, admin, password change time, empty password, id); an account
-- missing from the newest snapshot gets removed_at and stays for the record.
CREATE TABLE host_accounts (
  agent_id TEXT NOT NULL REFERENCES agents(agent_id),
  name TEXT NOT NULL,
  account_id TEXT NOT NULL,
  full_name TEXT NOT NULL,
  groups TEXT NOT NULL,  -- JSON array
  system_account INTEGER NOT NULL,
  enabled INTEGER,  -- NULL: the host could not tell
  admin INTEGER,
  locked INTEGER,
  password_empty INTEGER,
  password_expires INTEGER,
  password_changed_at TEXT,
  last_logon TEXT,
  rule_ids TEXT NOT NULL DEFAULT '[]',  -- JSON array: warn/fail rules whose evidence names it
  material TEXT NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  removed_at TEXT,
  PRIMARY KEY (agent_id, name)
) STRICT;

-- The record of account reviews (棚卸し). A review is never rewritten: only closed_at and
-- closed_reason are ever set, once (the triggers refuse anything else).
CREATE TABLE account_reviews (
  review_id INTEGER PRIMARY KEY AUTOINCREMENT,
  agent_id TEXT NOT NULL REFERENCES agents(agent_id),
  account_name TEXT NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('keep', 'remove', 'investigate')),
  note TEXT NOT NULL,
  reviewer TEXT NOT NULL,
  reviewed_at TEXT NOT NULL,
  material TEXT NOT NULL,  -- host_accounts.material when reviewed
  valid_until TEXT,        -- NULL: until the facts change or the account is gone
  closed_at TEXT,
  closed_reason TEXT
) STRICT;
CREATE INDEX account_reviews_by_account ON account_reviews(agent_id, account_name, review_id);
CREATE TRIGGER account_reviews_no_delete BEFORE DELETE ON account_reviews
BEGIN
  SELECT RAISE(ABORT, 'account reviews are a record and are never deleted');
END;
CREATE TRIGGER account_reviews_close_only BEFORE UPDATE ON account_reviews
WHEN OLD.closed_at IS NOT NULL
  OR NEW.review_id IS NOT OLD.review_id OR NEW.agent_id IS NOT OLD.agent_id
  OR NEW.account_name IS NOT OLD.account_name OR NEW.decision IS NOT OLD.decision
  OR NEW.note IS NOT OLD.note OR NEW.reviewer IS NOT OLD.reviewer
  OR NEW.reviewed_at IS NOT OLD.reviewed_at OR NEW.material IS NOT OLD.material
  OR NEW.valid_until IS NOT OLD.valid_until
  OR (NEW.closed_at IS NULL AND NEW.closed_reason IS NOT OLD.closed_reason)
  OR (NEW.closed_at IS NOT NULL AND NEW.closed_reason IS NULL)
BEGIN
  SELECT RAISE(ABORT, 'an account review can only be closed, once');
END;

-- "Left on overnight": a workstation idle past the threshold outside business hours.
CREATE TABLE idle_episodes (
  episode_id INTEGER PRIMARY KEY,
  agent_id TEXT NOT NULL REFERENCES agents(agent_id),
  started_at TEXT NOT NULL,
  ended_at TEXT NOT NULL,  -- the last heartbeat that still showed it
  max_idle_s INTEGER NOT NULL,
  idle_since TEXT NOT NULL,
  locked INTEGER,
  open INTEGER NOT NULL CHECK (open IN (0, 1))
) STRICT;
CREATE INDEX idle_episodes_by_agent ON idle_episodes(agent_id, open);
CREATE INDEX idle_episodes_by_end ON idle_episodes(ended_at);

-- The policy the findings were evaluated with, so a changed file is noticed after a restart too.
CREATE TABLE policy_state (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  sha256 TEXT NOT NULL,
  source TEXT NOT NULL,
  loaded_at TEXT NOT NULL
) STRICT;
)sql",
    },
    Migration{
        .version = 5,
        .description = "evidence register and report runs",
        .sql = R"sql(
-- The evidence register (report.proto OrgRecord): what only people know, recorded by admins.
-- Append-only: a correction is a newer record of the same kind (and item), which becomes current.
CREATE TABLE org_records (
  record_id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('clinic', 'security_manager', 'contact_chart', 'mds_sds',
    'backup', 'restore_test', 'bcp', 'drill', 'confirmation', 'target')),
  item TEXT NOT NULL DEFAULT '',
  date TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD or ''
  name TEXT NOT NULL DEFAULT '',
  method TEXT NOT NULL DEFAULT '',
  offline_copy INTEGER,  -- NULL: not stated
  answer INTEGER,        -- NULL: not an answer
  notes TEXT NOT NULL DEFAULT '',
  recorded_by TEXT NOT NULL,
  recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX org_records_by_kind ON org_records(kind, item, record_id);
CREATE TRIGGER org_records_no_update BEFORE UPDATE ON org_records
BEGIN
  SELECT RAISE(ABORT, 'the evidence register is append-only');
END;
CREATE TRIGGER org_records_no_delete BEFORE DELETE ON org_records
BEGIN
  SELECT RAISE(ABORT, 'the evidence register is append-only');
END;

-- Every report generated, so the next one can say what changed since (the findings that were
-- open then, as a JSON array of {"agent_id", "hostname", "rule_id", "status"}).
CREATE TABLE report_runs (
  run_id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  format TEXT NOT NULL,
  language TEXT NOT NULL,
  generated_at TEXT NOT NULL,
  generated_by TEXT NOT NULL,
  role TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  open_findings TEXT NOT NULL
) STRICT;
CREATE INDEX report_runs_by_time ON report_runs(generated_at);
)sql",
    },
    Migration{
        .version = 6,
        .description = "console passwords of people",
        .sql = R"sql(
-- A person's password for the web console (collector/console/), as an scrypt hash with its
-- parameters: "scrypt$<N>$<r>$<p>$<salt hex>$<key hex>" (collector/people/console_password.h).
-- The password itself is never stored. A row set before the person was last (re)added
-- (set_at < users.created_at) belongs to their earlier life and is not accepted.
CREATE TABLE user_passwords (
  user_name TEXT PRIMARY KEY REFERENCES users(name),
  hash TEXT NOT NULL,
  set_at TEXT NOT NULL
) STRICT;
)sql",
    },
    Migration{
        .version = 7,
        .description = "collector settings: the demo marker",
        .sql = R"sql(
-- Facts about this collector's database itself. `demo` = '1': a demo database (`serve --demo`,
-- scripts/demo), marked for good: every console page and the dashboard's data say デモ, so a demo
-- can never pass for a clinic's records.
CREATE TABLE collector_settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  set_at TEXT NOT NULL
) STRICT;
)sql",
    },
};

}  // namespace

std::span<const Migration> CollectorSchema() { return kMigrations; }

}  // namespace mamori::collector
