-- Tenants and API keys. Times are microseconds since the Unix epoch.
CREATE TABLE tenants (
  id         TEXT    PRIMARY KEY,
  name       TEXT    NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE api_keys (
  id          TEXT    PRIMARY KEY,
  tenant_id   TEXT    NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name        TEXT    NOT NULL,
  roles       INTEGER NOT NULL,   -- bit set, see model/role.h
  secret_hash BLOB    NOT NULL,   -- SHA-256 of the token's secret part
  created_at  INTEGER NOT NULL
) STRICT;

CREATE INDEX api_keys_by_tenant ON api_keys (tenant_id, id);
