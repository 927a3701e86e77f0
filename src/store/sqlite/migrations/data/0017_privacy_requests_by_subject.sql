-- A subject's privacy requests without walking the tenant's: erasure deletes
-- the subject's export files, and GET /v1/privacy/requests?end_user_id= lists them.
CREATE INDEX privacy_requests_by_subject ON privacy_requests (tenant_id, end_user_id, id);
