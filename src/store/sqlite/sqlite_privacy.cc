// SqliteStore: the audit log, privacy requests, legal holds, restriction and
// erasure (store.h; schema: migrations/data/0010_privacy.sql).
#include <iterator>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status.h"
#include "common/time_format.h"
#include "store/sqlite/inbound_queries.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/sqlite_store.h"

namespace convault {

using sqlite::Connection;
using sqlite::Statement;

namespace {

constexpr char kZeroHash[] = "0000000000000000000000000000000000000000000000000000000000000000";

#define CV_AUDIT_COLUMNS                                                                      \
  "tenant_id, seq, at, actor, roles, action, object_type, object_id, subject_hash, purpose, " \
  "outcome, detail, prev_hash, hash"

AuditRecord AuditFromRow(const Statement& s) {
  AuditRecord r;
  r.tenant_id = s.Text(0);
  r.seq = s.Int(1);
  r.at = FromStorageMicros(s.Int(2));
  r.actor = s.Text(3);
  r.roles = s.Text(4);
  r.action = s.Text(5);
  r.object_type = s.Text(6);
  r.object_id = s.Text(7);
  r.subject_hash = s.Text(8);
  r.purpose = s.Text(9);
  r.outcome = s.Text(10);
  r.detail = s.Text(11);
  r.prev_hash = s.Text(12);
  r.hash = s.Text(13);
  return r;
}

#define CV_PRIVACY_REQUEST_COLUMNS                                                       \
  "tenant_id, id, type, status, end_user_id, reason, requested_by, result, created_at, " \
  "due_at, completed_at"

PrivacyRequest RequestFromRow(const Statement& s) {
  PrivacyRequest r;
  r.tenant_id = s.Text(0);
  r.id = s.Text(1);
  r.type = s.Text(2);
  r.status = s.Text(3);
  r.end_user_id = s.Text(4);
  r.reason_sealed = s.Blob(5);
  r.requested_by = s.Text(6);
  r.result = s.Text(7);
  r.created_at = FromStorageMicros(s.Int(8));
  r.due_at = FromStorageMicros(s.Int(9));
  r.completed_at = s.IsNull(10) ? absl::InfinitePast() : FromStorageMicros(s.Int(10));
  return r;
}

// Every row of an audit query.
absl::StatusOr<std::vector<AuditRecord>> ReadAudit(Statement& q) {
  std::vector<AuditRecord> out;
  while (true) {
    CV_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return out;
    out.push_back(AuditFromRow(q));
  }
}

absl::StatusOr<bool> EndUserExists(Connection& c, std::string_view tenant_id,
                                   std::string_view end_user_id) {
  CV_SQL(q, c, "SELECT 1 FROM end_users WHERE tenant_id = ? AND id = ?");
  return q->Bind(1, tenant_id).Bind(2, end_user_id).Step();
}

// Runs a DELETE with (tenant, end user) bound as ?1 and ?2; returns the rows deleted.
absl::StatusOr<int64_t> DeleteOf(Connection& c, const char* sql, std::string_view tenant_id,
                                 std::string_view end_user_id) {
  auto prepared = c.Prepare(sql);
  if (!prepared.ok()) return prepared.status();
  Connection::Use q(**prepared);
  CV_RETURN_IF_ERROR(q->Bind(1, tenant_id).Bind(2, end_user_id).Run());
  return c.Changes();
}

}  // namespace

absl::StatusOr<AuditRecord> SqliteStore::AppendAudit(AuditRecord record,
                                                     const AuditChainer& chain) {
  absl::Status written = writer_->Write([&](Connection& c) -> absl::Status {
    CV_SQL(head, c,
           "SELECT seq, hash FROM audit_log WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1");
    CV_ASSIGN_OR_RETURN(bool row, head->Bind(1, record.tenant_id).Step());
    record.seq = row ? head->Int(0) + 1 : 1;
    record.prev_hash = row ? head->Text(1) : kZeroHash;
    record.hash = chain(record);
    CV_SQL(q, c,
           "INSERT INTO audit_log (" CV_AUDIT_COLUMNS
           ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    return q->Bind(1, record.tenant_id)
        .Bind(2, record.seq)
        .Bind(3, ToStorageMicros(record.at))
        .Bind(4, record.actor)
        .Bind(5, record.roles)
        .Bind(6, record.action)
        .Bind(7, record.object_type)
        .Bind(8, record.object_id)
        .Bind(9, record.subject_hash)
        .Bind(10, record.purpose)
        .Bind(11, record.outcome)
        .Bind(12, record.detail)
        .Bind(13, record.prev_hash)
        .Bind(14, record.hash)
        .Run();
  });
  if (!written.ok()) return written;
  return record;
}

absl::StatusOr<std::vector<AuditRecord>> SqliteStore::ListAudit(std::string_view tenant_id,
                                                                int64_t after_seq, int limit) {
  return readers_->With([&](Connection& c) -> absl::StatusOr<std::vector<AuditRecord>> {
    CV_SQL(q, c,
           "SELECT " CV_AUDIT_COLUMNS
           " FROM audit_log WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?");
    q->Bind(1, tenant_id).Bind(2, after_seq).Bind(3, int64_t{limit});
    return ReadAudit(*q);
  });
}

absl::StatusOr<std::vector<AuditRecord>> SqliteStore::ListAuditBySubject(
    std::string_view tenant_id, std::string_view subject_hash, int64_t after_seq, int limit) {
  return readers_->With([&](Connection& c) -> absl::StatusOr<std::vector<AuditRecord>> {
    CV_SQL(q, c,
           "SELECT " CV_AUDIT_COLUMNS
           " FROM audit_log WHERE tenant_id = ? AND subject_hash = ? AND seq > ? ORDER BY seq "
           "LIMIT ?");
    q->Bind(1, tenant_id).Bind(2, subject_hash).Bind(3, after_seq).Bind(4, int64_t{limit});
    return ReadAudit(*q);
  });
}

absl::Status SqliteStore::PutPrivacyRequest(const PrivacyRequest& r) {
  return writer_->Write([&](Connection& c) -> absl::Status {
    CV_SQL(t, c, "SELECT 1 FROM tenants WHERE id = ?");
    CV_ASSIGN_OR_RETURN(bool exists, t->Bind(1, r.tenant_id).Step());
    if (!exists) return absl::NotFoundError("tenant not found");
    CV_SQL(q, c,
           "INSERT OR REPLACE INTO privacy_requests (" CV_PRIVACY_REQUEST_COLUMNS
           ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    q->Bind(1, r.tenant_id)
        .Bind(2, r.id)
        .Bind(3, r.type)
        .Bind(4, r.status)
        .Bind(5, r.end_user_id)
        .BindBlob(6, r.reason_sealed)
        .Bind(7, r.requested_by)
        .Bind(8, r.result)
        .Bind(9, ToStorageMicros(r.created_at))
        .Bind(10, ToStorageMicros(r.due_at));
    if (r.completed_at == absl::InfinitePast()) {
      q->BindNull(11);
    } else {
      q->Bind(11, ToStorageMicros(r.completed_at));
    }
    return q->Run();
  });
}

absl::StatusOr<PrivacyRequest> SqliteStore::GetPrivacyRequest(std::string_view tenant_id,
                                                              std::string_view request_id) {
  return readers_->With([&](Connection& c) -> absl::StatusOr<PrivacyRequest> {
    CV_SQL(q, c,
           "SELECT " CV_PRIVACY_REQUEST_COLUMNS
           " FROM privacy_requests WHERE tenant_id = ? AND id = ?");
    CV_ASSIGN_OR_RETURN(bool row, q->Bind(1, tenant_id).Bind(2, request_id).Step());
    if (!row) return absl::NotFoundError("privacy request not found");
    return RequestFromRow(*q);
  });
}

absl::StatusOr<Page<PrivacyRequest>> SqliteStore::ListPrivacyRequests(std::string_view tenant_id,
                                                                      const ListOptions& options) {
  return readers_->With([&](Connection& c) -> absl::StatusOr<Page<PrivacyRequest>> {
    // Newest first, from the cursor down; the first page starts above every
    // id ('~' sorts after the letters and digits of ids), so that the cursor
    // is always a range of the primary key rather than a filter.
    CV_SQL(q, c,
           "SELECT " CV_PRIVACY_REQUEST_COLUMNS
           " FROM privacy_requests WHERE tenant_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3");
    q->Bind(1, tenant_id)
        .Bind(2, options.after.empty() ? std::string_view("~") : std::string_view(options.after))
        .Bind(3, int64_t{options.limit} + 1);
    return sqlite::ReadPage<PrivacyRequest>(*q, options.limit, RequestFromRow);
  });
}

absl::StatusOr<Page<PrivacyRequest>> SqliteStore::ListPrivacyRequestsOf(
    std::string_view tenant_id, std::string_view end_user_id, const ListOptions& options) {
  return readers_->With([&](Connection& c) -> absl::StatusOr<Page<PrivacyRequest>> {
    // As ListPrivacyRequests: the cursor is a range of the subject's index.
    CV_SQL(q, c,
           "SELECT " CV_PRIVACY_REQUEST_COLUMNS
           " FROM privacy_requests INDEXED BY privacy_requests_by_subject"
           " WHERE tenant_id = ?1 AND end_user_id = ?2 AND id < ?3 ORDER BY id DESC LIMIT ?4");
    q->Bind(1, tenant_id)
        .Bind(2, end_user_id)
        .Bind(3, options.after.empty() ? std::string_view("~") : std::string_view(options.after))
        .Bind(4, int64_t{options.limit} + 1);
    return sqlite::ReadPage<PrivacyRequest>(*q, options.limit, RequestFromRow);
  });
}

absl::Status SqliteStore::PutLegalHold(const LegalHold& h) {
  return writer_->Write([&](Connection& c) -> absl::Status {
    CV_ASSIGN_OR_RETURN(bool exists, EndUserExists(c, h.tenant_id, h.end_user_id));
    if (!exists) return absl::NotFoundError("end user not found");
    CV_SQL(q, c,
           "INSERT OR REPLACE INTO legal_holds (tenant_id, end_user_id, reason, placed_by, "
           "placed_at) VALUES (?, ?, ?, ?, ?)");
    CV_RETURN_IF_ERROR(q->Bind(1, h.tenant_id)
                           .Bind(2, h.end_user_id)
                           .BindBlob(3, h.reason_sealed)
                           .Bind(4, h.placed_by)
                           .Bind(5, ToStorageMicros(h.placed_at))
                           .Run());
    CV_SQL(u, c,
           "UPDATE end_users SET legal_hold = 1, updated_at = ? WHERE tenant_id = ? AND id = ?");
    return u->Bind(1, ToStorageMicros(h.placed_at))
        .Bind(2, h.tenant_id)
        .Bind(3, h.end_user_id)
        .Run();
  });
}

absl::StatusOr<LegalHold> SqliteStore::GetLegalHold(std::string_view tenant_id,
                                                    std::string_view end_user_id) {
  return readers_->With([&](Connection& c) -> absl::StatusOr<LegalHold> {
    CV_SQL(q, c,
           "SELECT reason, placed_by, placed_at FROM legal_holds WHERE tenant_id = ? AND "
           "end_user_id = ?");
    CV_ASSIGN_OR_RETURN(bool row, q->Bind(1, tenant_id).Bind(2, end_user_id).Step());
    if (!row) return absl::NotFoundError("no legal hold");
    LegalHold h;
    h.tenant_id = std::string(tenant_id);
    h.end_user_id = std::string(end_user_id);
    h.reason_sealed = q->Blob(0);
    h.placed_by = q->Text(1);
    h.placed_at = FromStorageMicros(q->Int(2));
    return h;
  });
}

absl::Status SqliteStore::DeleteLegalHold(std::string_view tenant_id,
                                          std::string_view end_user_id) {
  return writer_->Write([&](Connection& c) -> absl::Status {
    CV_ASSIGN_OR_RETURN(
        int64_t n, DeleteOf(c, "DELETE FROM legal_holds WHERE tenant_id = ?1 AND end_user_id = ?2",
                            tenant_id, end_user_id));
    if (n == 0) return absl::NotFoundError("no legal hold");
    CV_SQL(u, c, "UPDATE end_users SET legal_hold = 0 WHERE tenant_id = ? AND id = ?");
    return u->Bind(1, tenant_id).Bind(2, end_user_id).Run();
  });
}

absl::Status SqliteStore::SetProcessingRestricted(std::string_view tenant_id,
                                                  std::string_view end_user_id, bool restricted,
                                                  absl::Time at) {
  return writer_->Write([&](Connection& c) -> absl::Status {
    CV_SQL(u, c,
           "UPDATE end_users SET processing_restricted = ?, updated_at = ? WHERE tenant_id = ? "
           "AND id = ?");
    CV_RETURN_IF_ERROR(u->Bind(1, int64_t{restricted ? 1 : 0})
                           .Bind(2, ToStorageMicros(at))
                           .Bind(3, tenant_id)
                           .Bind(4, end_user_id)
                           .Run());
    if (c.Changes() == 0) return absl::NotFoundError("end user not found");
    return absl::OkStatus();
  });
}

absl::StatusOr<RetentionBatch> SqliteStore::ExpireSessions(std::string_view tenant_id,
                                                           std::string_view channel_id,
                                                           absl::Time before, int limit) {
  RetentionBatch batch;
  absl::Status written = writer_->Write([&](Connection& c) -> absl::Status {
    batch = RetentionBatch{};
    ErasureCounts& n = batch.deleted;
    std::vector<std::pair<std::string, std::string>> expired;  // (session, end user)
    {
      // Through sessions_to_sweep, one status after the other (the IN list),
      // in no particular order: every session found goes. Named: without
      // statistics, the planner's guess is the whole tenant's sessions.
      CV_SQL(q, c,
             "SELECT s.id, s.end_user_id FROM sessions s INDEXED BY sessions_to_sweep JOIN "
             "end_users u ON u.tenant_id = "
             "s.tenant_id AND u.id = s.end_user_id WHERE s.tenant_id = ? AND s.channel_id = ? AND "
             "s.status IN (1, 2, 3, 4, 5) AND s.activity_minute <= ? AND s.last_activity_at < ? "
             "AND u.legal_hold = 0 LIMIT ?");
      q->Bind(1, tenant_id)
          .Bind(2, channel_id)
          .Bind(3, sqlite::ActivityMinute(before))
          .Bind(4, ToStorageMicros(before))
          .Bind(5, int64_t{limit});
      while (true) {
        CV_ASSIGN_OR_RETURN(bool row, q->Step());
        if (!row) break;
        expired.emplace_back(q->Text(0), q->Text(1));
      }
    }
    // ?1 tenant, ?2 session, ?3 end user; in step with `counts` below.
    static const char* const kSteps[] = {
        "DELETE FROM blind_index WHERE tenant_id = ?1 AND subject_id = ?3 AND object_id IN "
        "(SELECT id FROM entries WHERE tenant_id = ?1 AND session_id = ?2 UNION ALL SELECT id "
        "FROM context_entries WHERE tenant_id = ?1 AND session_id = ?2 UNION ALL SELECT id FROM "
        "participants WHERE tenant_id = ?1 AND session_id = ?2)",
        // Named: the planner's guess is every token of the tenant.
        "DELETE FROM tokens INDEXED BY tokens_by_end_user WHERE tenant_id = ?1 AND end_user_id = "
        "?3 AND entry_id IN (SELECT id FROM entries WHERE tenant_id = ?1 AND session_id = ?2)",
        "DELETE FROM participants WHERE tenant_id = ?1 AND session_id = ?2",
        "DELETE FROM context_entries WHERE tenant_id = ?1 AND session_id = ?2",
        "DELETE FROM transcripts WHERE tenant_id = ?1 AND session_id = ?2",
        "DELETE FROM outbox WHERE tenant_id = ?1 AND session_id = ?2",
        sqlite::kDeleteInboundOfSession,  // through the entries: before them
        "DELETE FROM entries WHERE tenant_id = ?1 AND session_id = ?2",
        "DELETE FROM sessions WHERE tenant_id = ?1 AND id = ?2",
    };
    int64_t* counts[] = {&n.index_entries,   &n.tokens,      &n.participants,
                         &n.context_entries, &n.transcripts, &n.outbox,
                         &n.inbound_records, &n.entries,     &n.sessions};
    std::set<std::string> owners;
    for (const auto& [session, owner] : expired) {
      owners.insert(owner);
      for (size_t i = 0; i < std::size(kSteps); ++i) {
        auto prepared = c.Prepare(kSteps[i]);
        if (!prepared.ok()) return prepared.status();
        Connection::Use q(**prepared);
        q->Bind(1, tenant_id).Bind(2, session);
        if (q->ParameterCount() >= 3) q->Bind(3, owner);
        CV_RETURN_IF_ERROR(q->Run());
        *counts[i] += c.Changes();
      }
    }
    for (const std::string& owner : owners) {
      CV_SQL(q, c, "SELECT 1 FROM sessions WHERE tenant_id = ? AND end_user_id = ? LIMIT 1");
      CV_ASSIGN_OR_RETURN(bool left, q->Bind(1, tenant_id).Bind(2, owner).Step());
      if (!left) batch.emptied_end_users.push_back(owner);
    }
    return absl::OkStatus();
  });
  if (!written.ok()) return written;
  return batch;
}

absl::Status SqliteStore::PutContextKeyClass(const ContextKeyClass& k) {
  absl::Status put = writer_->Write([&](Connection& c) -> absl::Status {
    CV_SQL(t, c, "SELECT 1 FROM tenants WHERE id = ?");
    CV_ASSIGN_OR_RETURN(bool exists, t->Bind(1, k.tenant_id).Step());
    if (!exists) return absl::NotFoundError("tenant not found");
    CV_SQL(q, c,
           "INSERT OR REPLACE INTO context_key_classes (tenant_id, key, sensitivity, categories, "
           "identifier, updated_at) VALUES (?, ?, ?, ?, ?, ?)");
    return q->Bind(1, k.tenant_id)
        .Bind(2, k.key)
        .Bind(3, k.sensitivity)
        .Bind(4, absl::StrJoin(k.categories, ","))
        .Bind(5, k.identifier)
        .Bind(6, ToStorageMicros(k.updated_at))
        .Run();
  });
  key_classes_.Invalidate(k.tenant_id);
  return put;
}

absl::StatusOr<std::vector<ContextKeyClass>> SqliteStore::ListContextKeyClasses(
    std::string_view tenant_id) {
  return key_classes_.GetOrRead(tenant_id, [&] { return ReadContextKeyClasses(tenant_id); });
}

absl::StatusOr<std::vector<ContextKeyClass>> SqliteStore::ReadContextKeyClasses(
    std::string_view tenant_id) {
  return readers_->With([&](Connection& c) -> absl::StatusOr<std::vector<ContextKeyClass>> {
    CV_SQL(q, c,
           "SELECT key, sensitivity, categories, identifier, updated_at FROM context_key_classes "
           "WHERE tenant_id = ? ORDER BY key");
    q->Bind(1, tenant_id);
    std::vector<ContextKeyClass> out;
    while (true) {
      CV_ASSIGN_OR_RETURN(bool row, q->Step());
      if (!row) break;
      ContextKeyClass k;
      k.tenant_id = std::string(tenant_id);
      k.key = q->Text(0);
      k.sensitivity = q->Text(1);
      std::string categories = q->Text(2);
      k.categories =
          categories.empty() ? std::vector<std::string>() : absl::StrSplit(categories, ',');
      k.identifier = q->Text(3);
      k.updated_at = FromStorageMicros(q->Int(4));
      out.push_back(std::move(k));
    }
    return out;
  });
}

absl::Status SqliteStore::AddSuppression(std::string_view tenant_id, std::string_view channel_id,
                                         std::string_view key_hash, absl::Time at) {
  return writer_->Write([&](Connection& c) -> absl::Status {
    CV_SQL(t, c, "SELECT 1 FROM tenants WHERE id = ?");
    CV_ASSIGN_OR_RETURN(bool exists, t->Bind(1, tenant_id).Step());
    if (!exists) return absl::NotFoundError("tenant not found");
    CV_SQL(q, c,
           "INSERT OR IGNORE INTO suppressions (tenant_id, channel_id, key_hash, created_at) "
           "VALUES (?, ?, ?, ?)");
    return q->Bind(1, tenant_id)
        .Bind(2, channel_id)
        .Bind(3, key_hash)
        .Bind(4, ToStorageMicros(at))
        .Run();
  });
}

absl::StatusOr<bool> SqliteStore::IsSuppressed(std::string_view tenant_id,
                                               std::string_view channel_id,
                                               std::string_view key_hash) {
  return readers_->With([&](Connection& c) -> absl::StatusOr<bool> {
    CV_SQL(q, c,
           "SELECT 1 FROM suppressions WHERE tenant_id = ? AND channel_id = ? AND key_hash = ?");
    return q->Bind(1, tenant_id).Bind(2, channel_id).Bind(3, key_hash).Step();
  });
}

absl::StatusOr<ErasureCounts> SqliteStore::EraseSubject(std::string_view tenant_id,
                                                        std::string_view end_user_id) {
  ErasureCounts n;
  absl::Status written = writer_->Write([&](Connection& c) -> absl::Status {
    n = ErasureCounts{};
    {
      CV_SQL(h, c, "SELECT legal_hold FROM end_users WHERE tenant_id = ? AND id = ?");
      CV_ASSIGN_OR_RETURN(bool row, h->Bind(1, tenant_id).Bind(2, end_user_id).Step());
      if (row && h->Int(0) != 0) {
        return WithCode(absl::FailedPreconditionError("the end user is under legal hold"),
                        "legal_hold");
      }
    }
    // Rows of the subject's sessions first, then the sessions, then the rest.
    const char* kSessionsOf = "(SELECT id FROM sessions WHERE tenant_id = ?1 AND end_user_id = ?2)";
    struct Step {
      std::string sql;
      int64_t* count;
    };
    std::vector<Step> steps = {
        {sqlite::kDeleteInboundOfSubject, &n.inbound_records},  // through the entries: first
        {absl::StrCat("DELETE FROM participants WHERE tenant_id = ?1 AND session_id IN ",
                      kSessionsOf),
         &n.participants},
        {absl::StrCat("DELETE FROM context_entries WHERE tenant_id = ?1 AND session_id IN ",
                      kSessionsOf),
         &n.context_entries},
        {absl::StrCat("DELETE FROM transcripts WHERE tenant_id = ?1 AND session_id IN ",
                      kSessionsOf),
         &n.transcripts},
        {absl::StrCat("DELETE FROM outbox WHERE tenant_id = ?1 AND session_id IN ", kSessionsOf),
         &n.outbox},
        {absl::StrCat("DELETE FROM entries WHERE tenant_id = ?1 AND session_id IN ", kSessionsOf),
         &n.entries},
        {"DELETE FROM sessions WHERE tenant_id = ?1 AND end_user_id = ?2", &n.sessions},
        {"DELETE FROM tokens WHERE tenant_id = ?1 AND end_user_id = ?2", &n.tokens},
        {"DELETE FROM consent_records WHERE tenant_id = ?1 AND end_user_id = ?2",
         &n.consent_records},
        {"DELETE FROM blind_index WHERE tenant_id = ?1 AND subject_id = ?2", &n.index_entries},
        {"DELETE FROM idempotent_responses WHERE tenant_id = ?1 AND subject_id = ?2",
         &n.idempotent_responses},
        {"DELETE FROM end_users WHERE tenant_id = ?1 AND id = ?2", &n.end_users},
    };
    for (const Step& step : steps) {
      // Not from the statement cache: these run once per erasure.
      sqlite3_stmt* stmt = nullptr;
      int rc = sqlite3_prepare_v2(c.raw(), step.sql.c_str(), -1, &stmt, nullptr);
      if (rc != SQLITE_OK) return sqlite::ErrorStatus(rc, "prepare erase", c.raw());
      Statement s(stmt);
      s.Bind(1, tenant_id).Bind(2, end_user_id);
      CV_RETURN_IF_ERROR(s.Run());
      *step.count = c.Changes();
    }
    return absl::OkStatus();
  });
  if (!written.ok()) return written;
  return n;
}

}  // namespace convault
