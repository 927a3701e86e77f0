-- A subject's inbound idempotency records are found through their entries
-- (an inbound entry keeps the platform message id as external_id, and the
-- record's key is the channel and that id), not through an index of their
-- own: that index took a random page of the log on every message for the
-- rare erasure and retention (docs/decisions/0015-inbound-records-through-entries.md).
DROP INDEX inbound_by_end_user;
