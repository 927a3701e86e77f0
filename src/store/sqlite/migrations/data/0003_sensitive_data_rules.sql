-- Sensitive-data rules (DATA-MODEL.md sensitive_data_rule) and the rule-set
-- version of each tenant, which every change increases in the same
-- transaction. Rules are configuration, not personal data: stored in clear.
CREATE TABLE rule_sets (
  tenant_id  TEXT    PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  version    INTEGER NOT NULL
) STRICT;

CREATE TABLE sensitive_data_rules (
  tenant_id   TEXT    NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  id          TEXT    NOT NULL,
  name        TEXT    NOT NULL,
  description TEXT    NOT NULL DEFAULT '',
  enabled     INTEGER NOT NULL,
  priority    INTEGER NOT NULL,
  detector    TEXT    NOT NULL DEFAULT '',   -- built-in id, or '' with a pattern
  pattern     TEXT    NOT NULL DEFAULT '',
  action      INTEGER NOT NULL,              -- RedactionAction
  replacement TEXT    NOT NULL DEFAULT '',
  mask_char   TEXT    NOT NULL DEFAULT '*',
  keep_last   INTEGER NOT NULL DEFAULT 0,
  applies_to  INTEGER NOT NULL,              -- ActorType bit set
  channel_ids TEXT    NOT NULL DEFAULT '',   -- comma-separated; '' for every channel
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
) STRICT, WITHOUT ROWID;
