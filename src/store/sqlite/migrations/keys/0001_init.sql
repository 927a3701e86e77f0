-- Wrapped data keys. Never holds an unwrapped key.
CREATE TABLE wrapped_keys (
  tenant_id   TEXT    NOT NULL,
  key_id      TEXT    NOT NULL,
  kind        INTEGER NOT NULL,   -- model/wrapped_key.h WrappedKeyKind
  subject_id  TEXT    NOT NULL DEFAULT '',
  kek_version INTEGER NOT NULL,
  wrapped     BLOB    NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, key_id)
) STRICT;

CREATE INDEX wrapped_keys_by_kek ON wrapped_keys (kek_version);
