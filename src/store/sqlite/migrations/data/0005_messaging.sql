-- End users, sessions, entries, context, participants, the inbound
-- idempotency records and the outbox (DATA-MODEL.md). Personal fields are
-- sealed bytes (*_sealed in the model); the store never sees their plaintext.
CREATE TABLE end_users (
  tenant_id                 TEXT    NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  id                        TEXT    NOT NULL,
  channel_id                TEXT    NOT NULL,
  platform_key              BLOB    NOT NULL,
  name                      BLOB,
  profile_picture_url       BLOB,
  locale                    TEXT    NOT NULL DEFAULT '',
  has_initial_response_sent INTEGER NOT NULL DEFAULT 0,
  processing_restricted     INTEGER NOT NULL DEFAULT 0,
  legal_hold                INTEGER NOT NULL DEFAULT 0,
  created_at                INTEGER NOT NULL,
  updated_at                INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
) STRICT, WITHOUT ROWID;

CREATE TABLE sessions (
  tenant_id        TEXT    NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  id               TEXT    NOT NULL,
  channel_id       TEXT    NOT NULL,
  end_user_id      TEXT    NOT NULL,
  status           INTEGER NOT NULL,   -- SessionStatus; 5 = ended
  started_at       INTEGER NOT NULL,
  last_activity_at INTEGER NOT NULL,
  ended_at         INTEGER,
  end_reason       TEXT    NOT NULL DEFAULT '',
  next_seq         INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
) STRICT, WITHOUT ROWID;

-- One session that is not ended per (channel, end user), enforced here.
CREATE UNIQUE INDEX sessions_one_open ON sessions (tenant_id, channel_id, end_user_id)
  WHERE status <> 5;
CREATE INDEX sessions_by_activity ON sessions (tenant_id, status, last_activity_at);

CREATE TABLE entries (
  tenant_id        TEXT    NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  id               TEXT    NOT NULL,
  session_id       TEXT    NOT NULL,
  end_user_id      TEXT    NOT NULL,
  seq              INTEGER NOT NULL,
  created_at       INTEGER NOT NULL,
  direction        INTEGER NOT NULL,
  actor_type       INTEGER NOT NULL,
  actor_name       BLOB,
  message          BLOB,
  payload          BLOB,
  entry_payload    BLOB,
  external_id      TEXT    NOT NULL DEFAULT '',
  delivery_status  INTEGER NOT NULL DEFAULT 0,
  redactions       TEXT    NOT NULL DEFAULT '{}',
  rule_set_version INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, id)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX entries_in_order ON entries (tenant_id, session_id, seq);

CREATE TABLE context_entries (
  tenant_id  TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  id         TEXT NOT NULL,
  session_id TEXT NOT NULL,
  key        BLOB NOT NULL,
  value      BLOB NOT NULL,
  PRIMARY KEY (tenant_id, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX context_by_session ON context_entries (tenant_id, session_id);

CREATE TABLE participants (
  tenant_id    TEXT    NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  id           TEXT    NOT NULL,
  session_id   TEXT    NOT NULL,
  role         INTEGER NOT NULL,
  display_name BLOB,
  joined_at    INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX participants_by_session ON participants (tenant_id, session_id);

-- The answer given to each platform message id (idempotency).
CREATE TABLE inbound_messages (
  tenant_id               TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  channel_id              TEXT NOT NULL,
  external_id             TEXT NOT NULL,
  entry_id                TEXT NOT NULL,
  session_id              TEXT NOT NULL,
  end_user_id             TEXT NOT NULL,
  acknowledgment_entry_id TEXT NOT NULL DEFAULT '',
  redactions              TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (tenant_id, channel_id, external_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE outbox (
  tenant_id       TEXT    NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  id              TEXT    NOT NULL,
  channel_id      TEXT    NOT NULL,
  session_id      TEXT    NOT NULL,
  entry_id        TEXT    NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX outbox_due ON outbox (next_attempt_at);
