#include "store/sqlite/sqlite_key_store.h"

#include "common/status.h"
#include "common/time_format.h"
#include "store/sqlite/migrator.h"

namespace convault {

using sqlite::Connection;

absl::StatusOr<std::unique_ptr<SqliteKeyStore>> SqliteKeyStore::Open(const Options& options,
                                                                     Clock& clock) {
  Connection::Options co;
  co.busy_timeout_ms = options.busy_timeout_ms;
  auto conn = Connection::Open(options.path, co);
  if (!conn.ok()) return conn.status();
  CV_RETURN_IF_ERROR(sqlite::ApplyMigrations(**conn, sqlite::KeyStoreMigrations(), clock.Now()));
  auto readers = sqlite::ReadPool::Open(options.path, options.read_connections, co);
  if (!readers.ok()) return readers.status();
  auto writer = std::make_unique<sqlite::GroupCommitWriter>(std::move(*conn), 256);
  return std::unique_ptr<SqliteKeyStore>(
      new SqliteKeyStore(std::move(writer), std::move(*readers)));
}

SqliteKeyStore::~SqliteKeyStore() { Close(); }

void SqliteKeyStore::Close() {
  writer_->Stop();
  readers_->Close();
}

absl::Status SqliteKeyStore::CheckReady() {
  auto lease = readers_->Acquire();
  if (lease == nullptr) return absl::UnavailableError("the key store is closed");
  auto v = sqlite::SchemaVersion(**lease);
  if (!v.ok()) return v.status();
  if (*v != sqlite::KeyStoreMigrations().back().version) {
    return absl::UnavailableError("key store migrations are not all applied");
  }
  return absl::OkStatus();
}

absl::Status SqliteKeyStore::PutWrappedKey(const WrappedKey& key) {
  return writer_->Write([&](Connection& c) -> absl::Status {
    CV_SQL(q, c,
           "INSERT INTO wrapped_keys (tenant_id, key_id, kind, subject_id, kek_version, wrapped, "
           "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    absl::Status s = q->Bind(1, key.tenant_id)
                         .Bind(2, key.key_id)
                         .Bind(3, int64_t{static_cast<int>(key.kind)})
                         .Bind(4, key.subject_id)
                         .Bind(5, int64_t{key.kek_version})
                         .BindBlob(6, key.wrapped)
                         .Bind(7, ToStorageMicros(key.created_at))
                         .Run();
    if (absl::IsAlreadyExists(s)) return absl::AlreadyExistsError("key id taken");
    return s;
  });
}

absl::StatusOr<WrappedKey> SqliteKeyStore::GetWrappedKey(std::string_view tenant_id,
                                                         std::string_view key_id) {
  auto lease = readers_->Acquire();
  if (lease == nullptr) return absl::UnavailableError("the key store is closed");
  Connection& c = **lease;
  CV_SQL(q, c,
         "SELECT tenant_id, key_id, kind, subject_id, kek_version, wrapped, created_at "
         "FROM wrapped_keys WHERE tenant_id = ? AND key_id = ?");
  CV_ASSIGN_OR_RETURN(bool row, q->Bind(1, tenant_id).Bind(2, key_id).Step());
  if (!row) return absl::NotFoundError("key not found");
  WrappedKey k;
  k.tenant_id = q->Text(0);
  k.key_id = q->Text(1);
  k.kind = static_cast<WrappedKeyKind>(q->Int(2));
  k.subject_id = q->Text(3);
  k.kek_version = static_cast<uint32_t>(q->Int(4));
  k.wrapped = q->Blob(5);
  k.created_at = FromStorageMicros(q->Int(6));
  return k;
}

absl::Status SqliteKeyStore::DeleteWrappedKey(std::string_view tenant_id, std::string_view key_id) {
  return writer_->Write([&](Connection& c) -> absl::Status {
    CV_SQL(q, c, "DELETE FROM wrapped_keys WHERE tenant_id = ? AND key_id = ?");
    CV_RETURN_IF_ERROR(q->Bind(1, tenant_id).Bind(2, key_id).Run());
    if (c.Changes() == 0) return absl::NotFoundError("key not found");
    return absl::OkStatus();
  });
}

absl::StatusOr<int64_t> SqliteKeyStore::CountWrappedKeys(std::string_view tenant_id) {
  auto lease = readers_->Acquire();
  if (lease == nullptr) return absl::UnavailableError("the key store is closed");
  Connection& c = **lease;
  CV_SQL(q, c, "SELECT COUNT(*) FROM wrapped_keys WHERE tenant_id = ?");
  CV_ASSIGN_OR_RETURN(bool row, q->Bind(1, tenant_id).Step());
  return row ? q->Int(0) : 0;
}

}  // namespace convault
