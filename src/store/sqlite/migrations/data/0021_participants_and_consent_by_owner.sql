-- Participants are read by their session and consent records by their end
-- user, never by their own ids alone: each table is now stored in that order,
-- and the index that gave it is gone, one B-tree less to write for a new
-- session's participant and a new end user's consent record
-- (docs/decisions/0018-rows-stored-by-owner.md).
CREATE TABLE participants_by_owner (
  tenant_id    TEXT    NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  id           TEXT    NOT NULL,
  session_id   TEXT    NOT NULL,
  role         INTEGER NOT NULL,
  display_name BLOB,
  joined_at    INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, session_id, id)
) STRICT, WITHOUT ROWID;
INSERT INTO participants_by_owner (tenant_id, id, session_id, role, display_name, joined_at)
  SELECT tenant_id, id, session_id, role, display_name, joined_at FROM participants;
DROP TABLE participants;
ALTER TABLE participants_by_owner RENAME TO participants;

CREATE TABLE consent_records_by_owner (
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
  PRIMARY KEY (tenant_id, end_user_id, captured_at, id)
) STRICT, WITHOUT ROWID;
INSERT INTO consent_records_by_owner (tenant_id, id, end_user_id, channel_id, purpose, status,
                                      source, evidence, captured_at, effective_from)
  SELECT tenant_id, id, end_user_id, channel_id, purpose, status, source, evidence, captured_at,
         effective_from FROM consent_records;
DROP TABLE consent_records;
ALTER TABLE consent_records_by_owner RENAME TO consent_records;
