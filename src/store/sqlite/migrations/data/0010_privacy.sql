-- The audit log (hash-chained per tenant), privacy requests and legal holds
-- (PRIVACY.md sections 3-8; docs/formats/audit-log.md).
CREATE TABLE audit_log (
  tenant_id    TEXT    NOT NULL,
  seq          INTEGER NOT NULL,
  at           INTEGER NOT NULL,
  actor        TEXT    NOT NULL,
  roles        TEXT    NOT NULL,
  action       TEXT    NOT NULL,
  object_type  TEXT    NOT NULL,
  object_id    TEXT    NOT NULL,
  subject_hash TEXT    NOT NULL,
  purpose      TEXT    NOT NULL,
  outcome      TEXT    NOT NULL,
  detail       TEXT    NOT NULL,
  prev_hash    TEXT    NOT NULL,
  hash         TEXT    NOT NULL,
  PRIMARY KEY (tenant_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE privacy_requests (
  tenant_id     TEXT    NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  id            TEXT    NOT NULL,
  type          TEXT    NOT NULL,
  status        TEXT    NOT NULL,
  end_user_id   TEXT    NOT NULL,
  reason        BLOB    NOT NULL,
  requested_by  TEXT    NOT NULL,
  result        TEXT    NOT NULL DEFAULT '{}',
  created_at    INTEGER NOT NULL,
  due_at        INTEGER NOT NULL,
  completed_at  INTEGER,
  PRIMARY KEY (tenant_id, id)
) STRICT, WITHOUT ROWID;

CREATE TABLE legal_holds (
  tenant_id   TEXT    NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  end_user_id TEXT    NOT NULL,
  reason      BLOB    NOT NULL,
  placed_by   TEXT    NOT NULL,
  placed_at   INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, end_user_id)
) STRICT, WITHOUT ROWID;

-- Erasure finds a subject's rows by end user.
CREATE INDEX sessions_by_end_user ON sessions (tenant_id, end_user_id);
CREATE INDEX inbound_by_end_user ON inbound_messages (tenant_id, end_user_id);
CREATE INDEX outbox_by_session ON outbox (tenant_id, session_id);
