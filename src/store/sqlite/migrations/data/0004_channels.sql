-- Channels (DATA-MODEL.md channel) and tenant settings. Channel credentials
-- are sealed by the caller under the tenant DEK; this table sees only bytes.
CREATE TABLE channels (
  tenant_id                  TEXT    NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  id                         TEXT    NOT NULL,
  type                       INTEGER NOT NULL,   -- ChannelType
  name                       TEXT    NOT NULL,
  address                    TEXT    NOT NULL DEFAULT '',
  region                     TEXT    NOT NULL DEFAULT '',
  credentials                BLOB,               -- sealed JSON object of secrets
  credential_names           TEXT    NOT NULL DEFAULT '',  -- comma-separated
  acknowledgment             TEXT    NOT NULL,   -- JSON {enabled, text, locales, version}
  consent                    TEXT    NOT NULL,   -- JSON {required_level, *_keywords, replies}
  session_inactivity_minutes INTEGER NOT NULL,
  session_end_hours          INTEGER NOT NULL,
  retention_days             INTEGER NOT NULL,
  api_base_url               TEXT    NOT NULL DEFAULT '',
  outbound_url               TEXT    NOT NULL DEFAULT '',
  hipaa_attested             INTEGER NOT NULL DEFAULT 0,
  enabled                    INTEGER NOT NULL DEFAULT 1,
  created_at                 INTEGER NOT NULL,
  updated_at                 INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
) STRICT, WITHOUT ROWID;

CREATE TABLE tenant_settings (
  tenant_id              TEXT    PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  hipaa_mode             INTEGER NOT NULL,
  default_region         TEXT    NOT NULL,
  default_retention_days INTEGER NOT NULL,
  erase_due_days         INTEGER NOT NULL
) STRICT;
