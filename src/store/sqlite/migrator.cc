#include "store/sqlite/migrator.h"

#include "absl/strings/str_cat.h"
#include "common/time_format.h"

namespace convault::sqlite {

absl::StatusOr<int> SchemaVersion(Connection& conn) {
  absl::Status s = conn.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT");
  if (!s.ok()) return s;
  CV_SQL(q, conn, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  auto row = q->Step();
  if (!row.ok()) return row.status();
  return static_cast<int>(q->Int(0));
}

absl::Status ApplyMigrations(Connection& conn, const std::vector<Migration>& migrations,
                             absl::Time now) {
  auto version = SchemaVersion(conn);
  if (!version.ok()) return version.status();
  int latest = migrations.empty() ? 0 : migrations.back().version;
  if (*version > latest) {
    return absl::FailedPreconditionError(absl::StrCat("database schema version ", *version,
                                                      " is newer than this build knows (", latest,
                                                      "); upgrade convault"));
  }
  for (const Migration& m : migrations) {
    if (m.version <= *version) continue;
    absl::Status s = conn.Exec("BEGIN IMMEDIATE");
    if (!s.ok()) return s;
    // Another process may have applied it meanwhile.
    auto current = SchemaVersion(conn);
    if (current.ok() && *current >= m.version) {
      conn.Exec("ROLLBACK").IgnoreError();
      continue;
    }
    s = conn.Exec(m.sql);
    if (s.ok()) {
      auto ins = conn.Prepare(
          "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
      if (!ins.ok()) {
        s = ins.status();
      } else {
        Connection::Use stmt(**ins);
        s = stmt->Bind(1, int64_t{m.version})
                .Bind(2, std::string_view(m.name))
                .Bind(3, ToStorageMicros(now))
                .Run();
      }
    }
    if (!s.ok()) {
      conn.Exec("ROLLBACK").IgnoreError();
      return absl::Status(s.code(), absl::StrCat("migration ", m.name, ": ", s.message()));
    }
    s = conn.Exec("COMMIT");
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace convault::sqlite
