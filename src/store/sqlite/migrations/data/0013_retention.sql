-- The retention sweep finds a channel's sessions by last activity.
CREATE INDEX sessions_by_channel_activity ON sessions (tenant_id, channel_id, last_activity_at);
