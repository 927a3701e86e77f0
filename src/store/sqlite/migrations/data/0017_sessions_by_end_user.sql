-- One end user's sessions in id order (exports, GET /v1/sessions?end_user_id=)
-- without a sort or a walk over the tenant's sessions.
DROP INDEX sessions_by_end_user;
CREATE INDEX sessions_by_end_user ON sessions (tenant_id, end_user_id, id);
