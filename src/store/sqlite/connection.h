#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace convault::sqlite {

// Maps an SQLite result code to a Status: constraint violations to
// AlreadyExists / FailedPrecondition, BUSY/LOCKED to Unavailable, the rest to
// Internal. `what` names the operation; no values are ever included.
absl::Status ErrorStatus(int rc, std::string_view what, sqlite3* db = nullptr);

// A prepared statement owned by a Connection's cache. Use through Statement::Scope,
// which resets and clears bindings when it goes out of scope.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  Statement& Bind(int index, std::string_view text);
  Statement& BindBlob(int index, std::string_view bytes);
  // Bind without copying: SQLite reads the bytes where they are, so they must
  // stay valid and unchanged until the statement has run and been reset (the
  // Connection::Use guard resets it and clears its bindings). For the hot
  // writes whose values live in the caller's write for the whole commit.
  Statement& BindRef(int index, std::string_view text);
  Statement& BindBlobRef(int index, std::string_view bytes);
  Statement& Bind(int index, int64_t value);
  Statement& BindNull(int index) { return Checked(sqlite3_bind_null(stmt_, index)); }
  // The largest parameter index of the statement (?NNN).
  int ParameterCount() const { return sqlite3_bind_parameter_count(stmt_); }
  // SQLITE_ROW -> true, SQLITE_DONE -> false, anything else -> error.
  absl::StatusOr<bool> Step();
  // Runs to completion (for writes).
  absl::Status Run();

  std::string Text(int col) const;
  std::string Blob(int col) const;
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  // Keeps the first failing bind's code for Step to report.
  Statement& Checked(int rc);
  // SQLITE_TRANSIENT copies the bytes; SQLITE_STATIC reads them in place.
  Statement& BindText(int index, std::string_view text, sqlite3_destructor_type copy);
  Statement& BindBytes(int index, std::string_view bytes, sqlite3_destructor_type copy);

  sqlite3_stmt* stmt_;
  int bind_rc_ = SQLITE_OK;
};

// One SQLite connection with a cache of prepared statements. Not thread-safe:
// one thread uses a connection at a time (the writer thread, or a reader
// checked out of the pool).
class Connection {
 public:
  struct Options {
    int busy_timeout_ms = 5000;
    bool create = true;
  };

  static absl::StatusOr<std::unique_ptr<Connection>> Open(const std::string& path,
                                                          const Options& options);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Runs SQL without results (pragmas, DDL, BEGIN/COMMIT).
  absl::Status Exec(const char* sql);

  // A cached prepared statement for `sql`, reset when the returned guard dies.
  // REQUIRES: `sql` is a string literal (its address is the cache key).
  class Use {
   public:
    explicit Use(Statement& s) : s_(s) {}
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;
    ~Use() { s_.Reset(); }
    Statement* operator->() { return &s_; }
    Statement& operator*() { return s_; }

   private:
    Statement& s_;
  };
  absl::StatusOr<Statement*> Prepare(const char* sql);

  // Every distinct SQL text prepared by any connection of this process since
  // recording began, for tests that check query plans (tests/support/
  // query_plan_guard.cc). Recording is off unless a test turns it on; a
  // statement is prepared once per connection, so it costs nothing per query.
  static void RecordPreparedForTesting(bool on);
  static std::vector<std::string> PreparedForTesting();

  int64_t Changes() const { return sqlite3_changes64(db_); }
  sqlite3* raw() { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<const char*, std::unique_ptr<Statement>> cache_;
};

}  // namespace convault::sqlite

// `CV_SQL(stmt, conn, "SELECT ...");` declares `stmt`, a Connection::Use guard.
#define CV_SQL(var, conn, sql)                              \
  auto var##_prepared = (conn).Prepare(sql);                \
  if (!var##_prepared.ok()) return var##_prepared.status(); \
  ::convault::sqlite::Connection::Use var(**var##_prepared)
