-- Wrapped data keys. Never holds an unwrapped key.
CREATE TABLE wrapped_keys (
  tenant_id      TEXT    NOT NULL,
  kind           INTEGER NOT NULL,   -- model/wrapped_key.h WrappedKeyKind
  subject_id     TEXT    NOT NULL DEFAULT '',
  version        INTEGER NOT NULL,   -- the key id in ciphertext envelopes
  kek_version    INTEGER NOT NULL,
  wrapped        BLOB    NOT NULL,
  seals_reserved INTEGER NOT NULL DEFAULT 0,
  created_at     INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, kind, subject_id, version)
) STRICT;

CREATE INDEX wrapped_keys_by_kek ON wrapped_keys (kek_version);

-- KEK versions as this store knows them (the provider holds the keys).
CREATE TABLE kek_versions (
  version    INTEGER PRIMARY KEY,
  state      INTEGER NOT NULL,   -- store/key_store.h KekState
  created_at INTEGER NOT NULL,
  changed_at INTEGER NOT NULL
) STRICT;
