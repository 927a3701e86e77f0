-- Answers to POST requests that carried an Idempotency-Key (API.md), kept 24
-- hours for replay. body is sealed (under the subject key when subject_id is
-- set); the rows of a subject go with them on erasure.
CREATE TABLE idempotent_responses (
  tenant_id    TEXT    NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  api_key_id   TEXT    NOT NULL,
  key          TEXT    NOT NULL,
  fingerprint  TEXT    NOT NULL,
  status       INTEGER NOT NULL,
  content_type TEXT    NOT NULL,
  subject_id   TEXT    NOT NULL,
  body         BLOB,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, api_key_id, key)
) STRICT, WITHOUT ROWID;
CREATE INDEX idempotent_responses_by_subject ON idempotent_responses (tenant_id, subject_id);
CREATE INDEX idempotent_responses_by_age ON idempotent_responses (created_at);
