// The buffered-WAL VFS: what a commit writes is readable by other connections
// as soon as it commits, by the writer within its own transaction, after a
// checkpoint and after reopening; and a commit is written in a few calls.
#include "store/sqlite/wal_write_buffer.h"

#include <sqlite3.h>

#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "support/sqlite_query.h"
#include "support/temp_dir.h"

namespace convault::sqlite {
namespace {

using testing::QueryInt;
using testing::TempDir;

sqlite3* OpenThrough(const std::string& path, const char* vfs) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs),
            SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  return db;
}

void Exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << sql << ": " << (error != nullptr ? error : "");
  sqlite3_free(error);
}

// Write calls this process has made (Linux /proc/self/io "syscw").
int64_t WriteCalls() {
  std::ifstream in("/proc/self/io");
  std::string key;
  int64_t value = 0;
  while (in >> key >> value) {
    if (key == "syscw:") return value;
  }
  return -1;
}

TEST(BufferedWalVfs, CommitsAreReadableEverywhereAndSurviveReopen) {
  TempDir dir;
  const std::string path = dir.File("data.db");
  sqlite3* writer = OpenThrough(path, BufferedWalVfs());
  // A small cache: big transactions spill pages to the log before they
  // commit, and the writer reads them back from it.
  Exec(writer, "PRAGMA cache_size=10; PRAGMA wal_autocheckpoint=200");
  Exec(writer, "CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)");
  sqlite3* other = OpenThrough(path, BufferedWalVfs());
  sqlite3* plain = OpenThrough(path, nullptr);  // the default VFS, as another process would
  int64_t rows = 0;
  int64_t bytes = 0;
  // Commits of one page, of about 130 KiB (over the default VFS's largest
  // write) and of about 3 MiB (over the buffer); autocheckpoints restart the log.
  for (int round = 0; round < 30; ++round) {
    const int count = round % 3 == 0 ? 1 : (round % 3 == 1 ? 33 : 700);
    Exec(writer, "BEGIN");
    for (int i = 0; i < count; ++i) {
      Exec(writer, "INSERT INTO t (v) VALUES (randomblob(4000))");
    }
    // Read back within the transaction: pages the small cache spilled.
    EXPECT_EQ(QueryInt(writer, "SELECT COUNT(*) FROM t"), rows + count);
    EXPECT_EQ(QueryInt(writer, "SELECT SUM(length(v)) FROM t"), bytes + count * 4000);
    Exec(writer, "COMMIT");
    rows += count;
    bytes += count * 4000;
    EXPECT_EQ(QueryInt(other, "SELECT COUNT(*) FROM t"), rows) << round;
    EXPECT_EQ(QueryInt(plain, "SELECT SUM(length(v)) FROM t"), bytes) << round;
  }
  sqlite3_close(other);
  sqlite3_close(plain);
  sqlite3_close(writer);
  sqlite3* again = OpenThrough(path, nullptr);
  EXPECT_EQ(QueryInt(again, "SELECT COUNT(*) FROM t"), rows);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(again, "PRAGMA integrity_check", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "ok");
  sqlite3_finalize(st);
  sqlite3_close(again);
}

TEST(BufferedWalVfs, WritesACommitOfManyPagesInAFewCalls) {
  TempDir dir;
  auto write_calls = [&](const char* vfs, const std::string& name) {
    sqlite3* db = OpenThrough(dir.File(name), vfs);
    Exec(db, "CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)");
    const int64_t before = WriteCalls();
    Exec(db, "BEGIN");
    for (int i = 0; i < 30; ++i) Exec(db, "INSERT INTO t (v) VALUES (randomblob(4000))");
    Exec(db, "COMMIT");
    const int64_t calls = WriteCalls() - before;
    sqlite3_close(db);
    return calls;
  };
  const int64_t plain = write_calls(nullptr, "plain.db");
  const int64_t buffered = write_calls(BufferedWalVfs(), "buffered.db");
  // The default VFS: two calls per frame, 30+ frames. Buffered: the commit in
  // 64 KiB parts (about 2) and nothing per frame.
  EXPECT_GE(plain, 60);
  EXPECT_LE(buffered, 6);
}

}  // namespace
}  // namespace convault::sqlite
