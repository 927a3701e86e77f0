-- The consent ledger (DATA-MODEL.md consent_record): append-only.
CREATE TABLE consent_records (
  tenant_id      TEXT    NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  id             TEXT    NOT NULL,
  end_user_id    TEXT    NOT NULL,
  channel_id     TEXT    NOT NULL,
  purpose        TEXT    NOT NULL,
  status         TEXT    NOT NULL,
  source         TEXT    NOT NULL,
  evidence       TEXT    NOT NULL DEFAULT '{}',
  captured_at    INTEGER NOT NULL,
  effective_from INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX consent_by_end_user ON consent_records (tenant_id, end_user_id, captured_at);
