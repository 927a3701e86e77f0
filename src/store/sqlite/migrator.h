#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "store/sqlite/connection.h"

namespace convault::sqlite {

// A numbered SQL migration, embedded in the binary from
// src/store/sqlite/migrations/<set>/NNNN_name.sql at build time.
struct Migration {
  int version;
  const char* name;
  const char* sql;
};

// The migration sets, in version order (generated: migrations_data.cc).
const std::vector<Migration>& DataMigrations();
const std::vector<Migration>& KeyStoreMigrations();

// Applies every migration newer than the database's version, each in its own
// transaction, recording it in schema_migrations(version, name, applied_at).
// FailedPrecondition when the database is newer than this build.
absl::Status ApplyMigrations(Connection& conn, const std::vector<Migration>& migrations,
                             absl::Time now);

// The highest applied version (0 for a new database).
absl::StatusOr<int> SchemaVersion(Connection& conn);

}  // namespace convault::sqlite
