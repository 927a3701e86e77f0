#include "store/sqlite/connection.h"

#include <atomic>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/strings.h"
#include "store/sqlite/wal_write_buffer.h"

namespace convault::sqlite {
namespace {

std::atomic<bool> recording{false};

struct Prepared {
  absl::Mutex mu;
  std::set<std::string> sql ABSL_GUARDED_BY(mu);
};

Prepared& PreparedSet() {
  static Prepared* p = new Prepared();
  return *p;
}

}  // namespace

void Connection::RecordPreparedForTesting(bool on) { recording.store(on); }

std::vector<std::string> Connection::PreparedForTesting() {
  Prepared& p = PreparedSet();
  absl::MutexLock lock(&p.mu);
  return {p.sql.begin(), p.sql.end()};
}

absl::Status ErrorStatus(int rc, std::string_view what, sqlite3* db) {
  std::string detail = absl::StrCat(Sv(what), ": ", sqlite3_errstr(rc));
  if (db != nullptr) absl::StrAppend(&detail, " (", sqlite3_errmsg(db), ")");
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return absl::AlreadyExistsError(detail);
      }
      return absl::FailedPreconditionError(detail);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(detail);
    case SQLITE_FULL:
      return absl::ResourceExhaustedError(detail);
    default:
      return absl::InternalError(detail);
  }
}

Statement& Statement::Checked(int rc) {
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Statement& Statement::BindText(int index, std::string_view text, sqlite3_destructor_type copy) {
  return Checked(sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), copy));
}

Statement& Statement::BindBytes(int index, std::string_view bytes, sqlite3_destructor_type copy) {
  return Checked(
      sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), copy));
}

Statement& Statement::Bind(int index, std::string_view text) {
  return BindText(index, text, SQLITE_TRANSIENT);
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  return BindBytes(index, bytes, SQLITE_TRANSIENT);
}

Statement& Statement::BindRef(int index, std::string_view text) {
  return BindText(index, text, SQLITE_STATIC);
}

Statement& Statement::BindBlobRef(int index, std::string_view bytes) {
  return BindBytes(index, bytes, SQLITE_STATIC);
}

Statement& Statement::Bind(int index, int64_t value) {
  return Checked(sqlite3_bind_int64(stmt_, index, value));
}

absl::StatusOr<bool> Statement::Step() {
  if (bind_rc_ != SQLITE_OK) {
    int rc = bind_rc_;
    bind_rc_ = SQLITE_OK;
    return ErrorStatus(rc, "bind");
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return ErrorStatus(sqlite3_extended_errcode(sqlite3_db_handle(stmt_)), "step",
                     sqlite3_db_handle(stmt_));
}

absl::Status Statement::Run() {
  while (true) {
    auto row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
  }
}

std::string Statement::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p), n);
}

std::string Statement::Blob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return p == nullptr ? std::string() : std::string(static_cast<const char*>(p), n);
}

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(const std::string& path,
                                                             const Options& options) {
  // Once per process, before the first connection: no memory statistics, so
  // that allocations do not take SQLite's global mutex (every connection of
  // every thread contended on it).
  static const int configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return sqlite3_initialize();
  }();
  if (configured != SQLITE_OK) return ErrorStatus(configured, "initialize sqlite");
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (options.create) flags |= SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, BufferedWalVfs());
  if (rc != SQLITE_OK) {
    absl::Status s = ErrorStatus(rc, "open database");
    sqlite3_close_v2(db);
    return s;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  std::unique_ptr<Connection> conn(new Connection(db));
  // WAL lets readers (other threads, the CLI) work beside the writer;
  // synchronous=FULL makes every commit durable before it is acknowledged.
  // temp_store=MEMORY keeps statement journals (a group commit that is run
  // again puts each operation in a savepoint, which copies every page it
  // touches) and sort files in memory: no temp files, no write syscalls.
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON",
        "PRAGMA secure_delete=ON", "PRAGMA temp_store=MEMORY"}) {
    absl::Status s = conn->Exec(pragma);
    if (!s.ok()) return s;
  }
  return conn;
}

Connection::~Connection() {
  cache_.clear();
  sqlite3_close_v2(db_);
}

absl::Status Connection::Exec(const char* sql) {
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return ErrorStatus(sqlite3_extended_errcode(db_), "exec", db_);
  return absl::OkStatus();
}

absl::StatusOr<Statement*> Connection::Prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return it->second.get();
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return ErrorStatus(rc, "prepare", db_);
  if (recording.load(std::memory_order_relaxed)) {
    Prepared& p = PreparedSet();
    absl::MutexLock lock(&p.mu);
    p.sql.insert(sql);
  }
  auto* raw = new Statement(stmt);
  cache_.emplace(sql, std::unique_ptr<Statement>(raw));
  return raw;
}

}  // namespace convault::sqlite
