-- An export gathers the audit records that concern its subject.
CREATE INDEX audit_by_subject ON audit_log (tenant_id, subject_hash, seq);
