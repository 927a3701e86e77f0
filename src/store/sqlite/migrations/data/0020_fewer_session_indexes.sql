-- Every new session and every change of its status or activity minute wrote
-- each of the session's indexes; two of them are served otherwise now
-- (docs/decisions/0017-fewer-session-indexes.md):
-- retention walks sessions_to_sweep, one status at a time, instead of an
-- index of its own; the finalizer's index holds only ended sessions, which
-- do not move, instead of every session under its status.
DROP INDEX sessions_by_channel_activity;
DROP INDEX sessions_ended;
CREATE INDEX sessions_ended ON sessions (ended_at) WHERE status = 5;
