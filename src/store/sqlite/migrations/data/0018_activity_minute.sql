-- Sessions are found by the minute of their last activity, not by the exact
-- time: every message updates last_activity_at, and an index naming it moved
-- the session's entries on every message; the minute changes at most once a
-- minute (docs/decisions/0012-activity-by-the-minute.md). Queries check
-- last_activity_at itself on the rows the index finds.
ALTER TABLE sessions ADD COLUMN activity_minute INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET activity_minute = last_activity_at / 60000000;
DROP INDEX sessions_by_activity;
DROP INDEX sessions_by_channel_activity;
-- The session sweep: a channel's sessions in one status, by activity; ended
-- sessions, which stay until retention removes them, are not walked.
CREATE INDEX sessions_to_sweep ON sessions (tenant_id, channel_id, status, activity_minute);
-- Retention: a channel's sessions in any status, by activity.
CREATE INDEX sessions_by_channel_activity ON sessions (tenant_id, channel_id, activity_minute);
