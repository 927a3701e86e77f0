-- Originals of tokenized values, sealed under the end user's DEK
-- (docs/redaction.md "tokenize"); erased with the end user.
CREATE TABLE tokens (
  tenant_id   TEXT    NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  token       TEXT    NOT NULL,
  end_user_id TEXT    NOT NULL,
  entry_id    TEXT    NOT NULL,
  rule_id     TEXT    NOT NULL,
  value       BLOB    NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, token)
) STRICT, WITHOUT ROWID;
CREATE INDEX tokens_by_end_user ON tokens (tenant_id, end_user_id);
