-- Final transcripts of ended sessions (DATA-MODEL.md transcript). Bodies are
-- sealed JSON documents (docs/formats/transcript.md).
CREATE TABLE transcripts (
  tenant_id       TEXT    NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  session_id      TEXT    NOT NULL,
  body            BLOB    NOT NULL,
  supervisor_body BLOB    NOT NULL,
  format_version  INTEGER NOT NULL,
  generated_at    INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, session_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX sessions_ended ON sessions (status, ended_at);
