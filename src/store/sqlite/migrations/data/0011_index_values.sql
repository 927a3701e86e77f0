-- The normalized value behind an identifier's blind-index entry, sealed under
-- the subject's DEK, so that a search can open and compare each candidate even
-- where the stored text has the identifier masked (docs/privacy-operations.md).
ALTER TABLE blind_index ADD COLUMN value BLOB NOT NULL DEFAULT X'';
