#pragma once

// The statements that delete inbound idempotency records with the rest of a
// subject's or a session's data. No index finds the records by end user (a
// random page of the log on every message for a rare deletion; decision
// 0015): they are reached through their entries, which keep the platform
// message id as external_id. Without statistics SQLite's planner would walk
// the tenant's sessions and entries by their keys, hence the INDEXED BY and
// CROSS JOIN (tests/store/sqlite_store_test.cc checks the plans).
namespace convault::sqlite {

// ?1 tenant, ?2 end user. Runs before the subject's entries are deleted.
inline constexpr char kDeleteInboundOfSubject[] =
    "DELETE FROM inbound_messages WHERE tenant_id = ?1 AND (channel_id, external_id) IN "
    "(SELECT s.channel_id, e.external_id FROM sessions s INDEXED BY sessions_by_end_user "
    "CROSS JOIN entries e INDEXED BY entries_in_order ON e.tenant_id = s.tenant_id AND "
    "e.session_id = s.id WHERE s.tenant_id = ?1 AND s.end_user_id = ?2 AND "
    "e.external_id <> '') AND end_user_id = ?2";

// ?1 tenant, ?2 session, ?3 end user. Runs before the session's entries are deleted.
inline constexpr char kDeleteInboundOfSession[] =
    "DELETE FROM inbound_messages WHERE tenant_id = ?1 AND (channel_id, external_id) IN "
    "(SELECT s.channel_id, e.external_id FROM sessions s CROSS JOIN entries e INDEXED BY "
    "entries_in_order ON e.tenant_id = s.tenant_id AND e.session_id = s.id WHERE "
    "s.tenant_id = ?1 AND s.id = ?2 AND e.external_id <> '') AND session_id = ?2 AND "
    "end_user_id = ?3";

}  // namespace convault::sqlite
