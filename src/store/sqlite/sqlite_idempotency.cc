// SqliteStore: answers kept for Idempotency-Key (migration 0016).
#include "common/status.h"
#include "common/time_format.h"
#include "store/sqlite/sqlite_store.h"

namespace convault {

using sqlite::Connection;

absl::Status SqliteStore::PutIdempotentResponse(const IdempotentResponse& r) {
  return writer_->Write([&](Connection& c) -> absl::Status {
    CV_SQL(t, c, "SELECT 1 FROM tenants WHERE id = ?");
    CV_ASSIGN_OR_RETURN(bool exists, t->Bind(1, r.tenant_id).Step());
    if (!exists) return absl::NotFoundError("tenant not found");
    CV_SQL(q, c,
           "INSERT OR IGNORE INTO idempotent_responses (tenant_id, api_key_id, key, fingerprint, "
           "status, content_type, subject_id, body, created_at) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    q->Bind(1, r.tenant_id)
        .Bind(2, r.api_key_id)
        .Bind(3, r.key)
        .Bind(4, r.fingerprint)
        .Bind(5, int64_t{r.status})
        .Bind(6, r.content_type)
        .Bind(7, r.subject_id);
    if (r.body_sealed.empty()) {
      q->BindNull(8);
    } else {
      q->BindBlob(8, r.body_sealed);
    }
    return q->Bind(9, ToStorageMicros(r.created_at)).Run();
  });
}

absl::StatusOr<IdempotentResponse> SqliteStore::GetIdempotentResponse(std::string_view tenant_id,
                                                                      std::string_view api_key_id,
                                                                      std::string_view key) {
  return readers_->With([&](Connection& c) -> absl::StatusOr<IdempotentResponse> {
    CV_SQL(q, c,
           "SELECT fingerprint, status, content_type, subject_id, body, created_at "
           "FROM idempotent_responses WHERE tenant_id = ? AND api_key_id = ? AND key = ?");
    CV_ASSIGN_OR_RETURN(bool row, q->Bind(1, tenant_id).Bind(2, api_key_id).Bind(3, key).Step());
    if (!row) return absl::NotFoundError("no such idempotency key");
    IdempotentResponse r;
    r.tenant_id = std::string(tenant_id);
    r.api_key_id = std::string(api_key_id);
    r.key = std::string(key);
    r.fingerprint = q->Text(0);
    r.status = static_cast<int>(q->Int(1));
    r.content_type = q->Text(2);
    r.subject_id = q->Text(3);
    r.body_sealed = q->Blob(4);
    r.created_at = FromStorageMicros(q->Int(5));
    return r;
  });
}

absl::StatusOr<int> SqliteStore::DeleteIdempotentResponses(absl::Time before, int limit) {
  int deleted = 0;
  absl::Status written = writer_->Write([&](Connection& c) -> absl::Status {
    CV_SQL(q, c,
           "DELETE FROM idempotent_responses WHERE (tenant_id, api_key_id, key) IN "
           "(SELECT tenant_id, api_key_id, key FROM idempotent_responses WHERE created_at < ? "
           "LIMIT ?)");
    CV_RETURN_IF_ERROR(q->Bind(1, ToStorageMicros(before)).Bind(2, int64_t{limit}).Run());
    deleted = c.Changes();
    return absl::OkStatus();
  });
  if (!written.ok()) return written;
  return deleted;
}

absl::Status SqliteStore::DeleteIdempotentResponse(std::string_view tenant_id,
                                                   std::string_view api_key_id,
                                                   std::string_view key) {
  return writer_->Write([&](Connection& c) -> absl::Status {
    CV_SQL(q, c,
           "DELETE FROM idempotent_responses WHERE tenant_id = ? AND api_key_id = ? AND key = ?");
    return q->Bind(1, tenant_id).Bind(2, api_key_id).Bind(3, key).Run();
  });
}

}  // namespace convault
