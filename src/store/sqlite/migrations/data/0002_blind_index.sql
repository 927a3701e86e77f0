-- Blind-index tokens (docs/formats/field-ciphertext.md): truncated HMACs of
-- normalized identifiers, pointing at the encrypted fields they came from.
-- A token is shared by several values on purpose; readers decrypt and compare.
CREATE TABLE blind_index (
  tenant_id   TEXT    NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  index_name  TEXT    NOT NULL,
  token       INTEGER NOT NULL,   -- unsigned 64-bit value stored bit for bit
  object_type TEXT    NOT NULL,
  object_id   TEXT    NOT NULL,
  field       TEXT    NOT NULL,
  subject_id  TEXT    NOT NULL DEFAULT '',
  PRIMARY KEY (tenant_id, index_name, token, object_type, object_id, field)
) STRICT, WITHOUT ROWID;

CREATE INDEX blind_index_by_subject ON blind_index (tenant_id, subject_id);
