-- Erased end users who had opted out (PRIVACY.md section 3): only a keyed
-- hash of their normalized platform key, so the company never messages them again.
CREATE TABLE suppressions (
  tenant_id  TEXT    NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  channel_id TEXT    NOT NULL,
  key_hash   TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, channel_id, key_hash)
) STRICT, WITHOUT ROWID;
