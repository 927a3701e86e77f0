#include "store/sqlite/sqlite_key_store.h"

#include "common/status.h"
#include "common/time_format.h"
#include "store/sqlite/migrator.h"
#include "store/sqlite/rows.h"

namespace convault {

using sqlite::Connection;
using sqlite::Statement;

namespace {

// The columns FromRow reads, in order (a macro so that each statement stays
// one string literal, the key of the prepared-statement cache).
#define CV_WRAPPED_KEY_COLUMNS                                                   \
  "tenant_id, kind, subject_id, version, kek_version, wrapped, seals_reserved, " \
  "created_at"

WrappedKey FromRow(const Statement& q) {
  WrappedKey k;
  k.tenant_id = q.Text(0);
  k.kind = static_cast<WrappedKeyKind>(q.Int(1));
  k.subject_id = q.Text(2);
  k.version = static_cast<uint32_t>(q.Int(3));
  k.kek_version = static_cast<uint32_t>(q.Int(4));
  k.wrapped = q.Blob(5);
  k.seals_reserved = q.Int(6);
  k.created_at = FromStorageMicros(q.Int(7));
  return k;
}

Statement& BindRef(Statement& q, const KeyRef& ref) {
  return q.Bind(1, ref.tenant_id)
      .Bind(2, int64_t{static_cast<int>(ref.kind)})
      .Bind(3, ref.subject_id);
}

}  // namespace

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
  return readers_->With([](Connection& c) -> absl::Status {
    auto v = sqlite::SchemaVersion(c);
    if (!v.ok()) return v.status();
    if (*v != sqlite::KeyStoreMigrations().back().version) {
      return absl::UnavailableError("key store migrations are not all applied");
    }
    return absl::OkStatus();
  });
}

namespace {

absl::Status InsertWrappedKey(Connection& c, const WrappedKey& key) {
  CV_SQL(q, c,
         "INSERT INTO wrapped_keys (tenant_id, kind, subject_id, version, kek_version, wrapped, "
         "seals_reserved, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  absl::Status s = q->Bind(1, key.tenant_id)
                       .Bind(2, int64_t{static_cast<int>(key.kind)})
                       .Bind(3, key.subject_id)
                       .Bind(4, int64_t{key.version})
                       .Bind(5, int64_t{key.kek_version})
                       .BindBlob(6, key.wrapped)
                       .Bind(7, key.seals_reserved)
                       .Bind(8, ToStorageMicros(key.created_at))
                       .Run();
  if (absl::IsAlreadyExists(s)) return absl::AlreadyExistsError("key version taken");
  return s;
}

}  // namespace

absl::Status SqliteKeyStore::PutWrappedKey(const WrappedKey& key) {
  return writer_->Write([&](Connection& c) { return InsertWrappedKey(c, key); });
}

absl::Status SqliteKeyStore::PutWrappedKeys(const std::vector<WrappedKey>& keys) {
  return writer_->Write([&](Connection& c) -> absl::Status {
    for (const WrappedKey& key : keys) {
      absl::Status s = InsertWrappedKey(c, key);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<WrappedKey> SqliteKeyStore::GetWrappedKey(const KeyRef& ref, uint32_t version) {
  return readers_->With([&](Connection& c) -> absl::StatusOr<WrappedKey> {
    CV_SQL(q, c,
           "SELECT " CV_WRAPPED_KEY_COLUMNS
           " FROM wrapped_keys WHERE tenant_id = ? AND kind = ? AND subject_id = ? AND "
           "version = ?");
    CV_ASSIGN_OR_RETURN(bool row, BindRef(*q, ref).Bind(4, int64_t{version}).Step());
    if (!row) return absl::NotFoundError("key not found");
    return FromRow(*q);
  });
}

absl::StatusOr<std::vector<WrappedKey>> SqliteKeyStore::ListVersions(const KeyRef& ref) {
  return readers_->With([&](Connection& c) -> absl::StatusOr<std::vector<WrappedKey>> {
    CV_SQL(q, c,
           "SELECT " CV_WRAPPED_KEY_COLUMNS
           " FROM wrapped_keys WHERE tenant_id = ? AND kind = ? AND subject_id = ? "
           "ORDER BY version");
    BindRef(*q, ref);
    return sqlite::Collect<WrappedKey>(*q, FromRow);
  });
}

absl::StatusOr<int64_t> SqliteKeyStore::DeleteAllVersions(const KeyRef& ref) {
  int64_t deleted = 0;
  absl::Status s = writer_->Write([&](Connection& c) -> absl::Status {
    CV_SQL(q, c, "DELETE FROM wrapped_keys WHERE tenant_id = ? AND kind = ? AND subject_id = ?");
    CV_RETURN_IF_ERROR(BindRef(*q, ref).Run());
    deleted = c.Changes();
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (deleted > 0) {
    // secure_delete zeroed the rows in the database pages; the old pages also
    // sit in the WAL until a checkpoint. Checkpoint and truncate it now, so
    // that no file of the key store still holds the destroyed wrapped key.
    // (A reader holding an old snapshot can delay this; the next destruction
    // or SQLite's automatic checkpoint then finishes it.)
    s = writer_->RunAlone([](Connection& c) { return c.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); });
    if (!s.ok() && !absl::IsUnavailable(s)) return s;
  }
  return deleted;
}

absl::StatusOr<int64_t> SqliteKeyStore::ReserveSeals(const KeyRef& ref, uint32_t version,
                                                     int64_t count, int64_t limit) {
  int64_t total = 0;
  absl::Status s = writer_->Write([&](Connection& c) -> absl::Status {
    CV_SQL(q, c,
           "SELECT seals_reserved FROM wrapped_keys WHERE tenant_id = ? AND kind = ? AND "
           "subject_id = ? AND version = ?");
    CV_ASSIGN_OR_RETURN(bool row, BindRef(*q, ref).Bind(4, int64_t{version}).Step());
    if (!row) return absl::NotFoundError("key not found");
    total = q->Int(0) + count;
    if (total > limit) return absl::ResourceExhaustedError("key usage limit reached");
    CV_SQL(u, c,
           "UPDATE wrapped_keys SET seals_reserved = ?5 WHERE tenant_id = ?1 AND kind = ?2 AND "
           "subject_id = ?3 AND version = ?4");
    return BindRef(*u, ref).Bind(4, int64_t{version}).Bind(5, total).Run();
  });
  if (!s.ok()) return s;
  return total;
}

absl::StatusOr<int64_t> SqliteKeyStore::CountWrappedKeys(std::string_view tenant_id) {
  return readers_->With([&](Connection& c) -> absl::StatusOr<int64_t> {
    CV_SQL(q, c, "SELECT COUNT(*) FROM wrapped_keys WHERE tenant_id = ?");
    CV_ASSIGN_OR_RETURN(bool row, q->Bind(1, tenant_id).Step());
    return row ? q->Int(0) : 0;
  });
}

absl::StatusOr<std::map<uint32_t, int64_t>> SqliteKeyStore::CountByKekVersion() {
  return readers_->With([&](Connection& c) -> absl::StatusOr<std::map<uint32_t, int64_t>> {
    CV_SQL(q, c, "SELECT kek_version, COUNT(*) FROM wrapped_keys GROUP BY kek_version");
    std::map<uint32_t, int64_t> out;
    while (true) {
      CV_ASSIGN_OR_RETURN(bool row, q->Step());
      if (!row) break;
      out[static_cast<uint32_t>(q->Int(0))] = q->Int(1);
    }
    return out;
  });
}

absl::StatusOr<std::vector<WrappedKey>> SqliteKeyStore::ListWrappedBelow(uint32_t kek_version,
                                                                         int limit) {
  return readers_->With([&](Connection& c) -> absl::StatusOr<std::vector<WrappedKey>> {
    CV_SQL(q, c,
           "SELECT " CV_WRAPPED_KEY_COLUMNS " FROM wrapped_keys WHERE kek_version < ? LIMIT ?");
    q->Bind(1, int64_t{kek_version}).Bind(2, int64_t{limit});
    return sqlite::Collect<WrappedKey>(*q, FromRow);
  });
}

absl::Status SqliteKeyStore::Rewrap(const KeyRef& ref, uint32_t version, uint32_t expected_kek,
                                    uint32_t new_kek, std::string_view new_wrapped) {
  return writer_->Write([&](Connection& c) -> absl::Status {
    CV_SQL(q, c,
           "UPDATE wrapped_keys SET kek_version = ?6, wrapped = ?7 WHERE tenant_id = ?1 AND "
           "kind = ?2 AND subject_id = ?3 AND version = ?4 AND kek_version = ?5");
    CV_RETURN_IF_ERROR(BindRef(*q, ref)
                           .Bind(4, int64_t{version})
                           .Bind(5, int64_t{expected_kek})
                           .Bind(6, int64_t{new_kek})
                           .BindBlob(7, new_wrapped)
                           .Run());
    if (c.Changes() == 0) return absl::NotFoundError("key gone or already rewrapped");
    return absl::OkStatus();
  });
}

absl::Status SqliteKeyStore::PutKekVersion(const KekVersionRecord& r) {
  return writer_->Write([&](Connection& c) -> absl::Status {
    CV_SQL(q, c,
           "INSERT INTO kek_versions (version, state, created_at, changed_at) VALUES (?, ?, ?, ?) "
           "ON CONFLICT (version) DO UPDATE SET state = excluded.state, "
           "changed_at = excluded.changed_at");
    return q->Bind(1, int64_t{r.version})
        .Bind(2, int64_t{static_cast<int>(r.state)})
        .Bind(3, ToStorageMicros(r.created_at))
        .Bind(4, ToStorageMicros(r.changed_at))
        .Run();
  });
}

absl::StatusOr<std::vector<KekVersionRecord>> SqliteKeyStore::ListKekVersions() {
  return readers_->With([&](Connection& c) -> absl::StatusOr<std::vector<KekVersionRecord>> {
    CV_SQL(q, c,
           "SELECT version, state, created_at, changed_at FROM kek_versions ORDER BY version");
    std::vector<KekVersionRecord> out;
    while (true) {
      CV_ASSIGN_OR_RETURN(bool row, q->Step());
      if (!row) break;
      out.push_back({static_cast<uint32_t>(q->Int(0)), static_cast<KekState>(q->Int(1)),
                     FromStorageMicros(q->Int(2)), FromStorageMicros(q->Int(3))});
    }
    return out;
  });
}

}  // namespace convault
