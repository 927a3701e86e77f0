-- Background jobs (rule re-apply, ...), resumable from their cursor.
CREATE TABLE jobs (
  tenant_id      TEXT    NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  id             TEXT    NOT NULL,
  kind           TEXT    NOT NULL,
  status         TEXT    NOT NULL,
  cursor         TEXT    NOT NULL DEFAULT '',
  scanned        INTEGER NOT NULL DEFAULT 0,
  changed        INTEGER NOT NULL DEFAULT 0,
  target_version INTEGER NOT NULL DEFAULT 0,
  error          TEXT    NOT NULL DEFAULT '',
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX jobs_by_status ON jobs (status);
