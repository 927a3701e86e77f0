-- Admins' classification of custom context keys (PUT /v1/schema/context-keys/{key}).
-- Key names are labels chosen by the company ("order_id"), not personal data.
CREATE TABLE context_key_classes (
  tenant_id   TEXT    NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  key         TEXT    NOT NULL,
  sensitivity TEXT    NOT NULL,
  categories  TEXT    NOT NULL,
  identifier  TEXT    NOT NULL DEFAULT '',
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, key)
) STRICT, WITHOUT ROWID;
