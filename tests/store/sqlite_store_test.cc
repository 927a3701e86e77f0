// What the SQLite backend adds to the Store contract: files, migrations,
// durability across reopen, group commit, a second process beside a server.
#include "store/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "absl/synchronization/notification.h"
#include "common/clock.h"
#include "common/status.h"
#include "gtest/gtest.h"
#include "store/sqlite/group_commit_writer.h"
#include "store/sqlite/inbound_queries.h"
#include "store/sqlite/migrator.h"
#include "support/sqlite_query.h"
#include "support/temp_dir.h"

namespace convault {
namespace {

using testing::QueryInt;
using testing::TempDir;

std::unique_ptr<SqliteStore> OpenStore(const std::string& path) {
  SqliteStore::Options o;
  o.path = path;
  auto s = SqliteStore::Open(o, SystemClock::Get());
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? std::move(*s) : nullptr;
}

ApiKey Key(const std::string& id, const std::string& tenant) {
  ApiKey k;
  k.id = id;
  k.tenant_id = tenant;
  k.name = "n";
  k.roles = RoleSet{Role::kAdmin};
  k.secret_hash = std::string(32, 'h');
  k.created_at = absl::FromUnixSeconds(5);
  return k;
}

// The details of SQLite's plan for `sql`, one line each.
std::string QueryPlan(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  std::string plan;
  if (sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &st, nullptr) ==
      SQLITE_OK) {
    while (sqlite3_step(st) == SQLITE_ROW) {
      plan += reinterpret_cast<const char*>(sqlite3_column_text(st, 3));
      plan += "\n";
    }
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return plan;
}

TEST(SqliteStore, RecordsEveryMigrationInSchemaMigrations) {
  TempDir dir;
  std::string path = dir.File("data.db");
  OpenStore(path).reset();
  EXPECT_EQ(QueryInt(path, "SELECT COUNT(*) FROM schema_migrations"),
            static_cast<int64_t>(sqlite::DataMigrations().size()));
  EXPECT_EQ(QueryInt(path, "SELECT MAX(version) FROM schema_migrations"),
            sqlite::DataMigrations().back().version);
  EXPECT_EQ(QueryInt(path, "SELECT COUNT(*) FROM pragma_journal_mode WHERE journal_mode='wal'"), 1);
}

TEST(SqliteStore, MigrationsAreNumberedInOrder) {
  int last = 0;
  for (const auto& m : sqlite::DataMigrations()) {
    EXPECT_EQ(m.version, last + 1) << m.name;
    last = m.version;
  }
  last = 0;
  for (const auto& m : sqlite::KeyStoreMigrations()) {
    EXPECT_EQ(m.version, last + 1) << m.name;
    last = m.version;
  }
}

// A database at schema `version` (the first `version` data migrations), for
// `setup` to fill before the store migrates it the rest of the way.
void CreateAtVersion(const std::string& path, size_t version, const char* setup = nullptr) {
  auto conn = sqlite::Connection::Open(path, {});
  ASSERT_TRUE(conn.ok()) << conn.status();
  const auto& all = sqlite::DataMigrations();
  std::vector<sqlite::Migration> before(all.begin(), all.begin() + version);
  ASSERT_TRUE(sqlite::ApplyMigrations(**conn, before, absl::Now()).ok());
  if (setup != nullptr) {
    absl::Status set_up = (*conn)->Exec(setup);
    ASSERT_TRUE(set_up.ok()) << set_up;
  }
}

// Migration 18: sessions get the minute of their last activity, and the
// sweep's index walks one status of one channel (not its ended sessions).
TEST(SqliteStore, MigratesSessionsToActivityMinutesAndSweepsByStatus) {
  TempDir dir;
  std::string path = dir.File("data.db");
  CreateAtVersion(path, 17,
                  "INSERT INTO tenants (id, name, created_at) VALUES ('ten_a', 'a', 0);"
                  "INSERT INTO sessions (tenant_id, id, channel_id, end_user_id, status, "
                  "started_at, last_activity_at, next_seq) VALUES ('ten_a', 'ses_1', "
                  "'ch_1', 'eu_1', 4, 0, 1800000030000000, 2)");
  auto store = OpenStore(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(QueryInt(path, "SELECT activity_minute FROM sessions WHERE id = 'ses_1'"),
            1800000030 / 60);
  EXPECT_NE(QueryPlan(path,
                      "UPDATE sessions INDEXED BY sessions_to_sweep SET status = 4 WHERE "
                      "tenant_id = 'a' AND channel_id = 'b' "
                      "AND status IN (1, 2, 3) AND activity_minute <= 5 AND last_activity_at < 7")
                .find("sessions_to_sweep (tenant_id=? AND channel_id=? AND status=? AND "
                      "activity_minute<?)"),
            std::string::npos);
  auto swept =
      store->SweepSessions("ten_a", "ch_1", absl::FromUnixSeconds(1800000031),
                           absl::FromUnixSeconds(1800000031), absl::FromUnixSeconds(1800000100));
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(swept->ended, 1);
}

// Migration 19 drops the index of inbound records by end user; erasure and
// retention reach the records through the entries, by keys and indexes only.
TEST(SqliteStore, ReachesInboundRecordsThroughEntriesWithoutAnIndexOrAScan) {
  TempDir dir;
  std::string path = dir.File("data.db");
  CreateAtVersion(path, 18);
  const char* kIndexCount = "SELECT count(*) FROM sqlite_schema WHERE name = 'inbound_by_end_user'";
  EXPECT_EQ(QueryInt(path, kIndexCount), 1);
  ASSERT_NE(OpenStore(path), nullptr);
  EXPECT_EQ(QueryInt(path, kIndexCount), 0);
  for (const char* sql : {sqlite::kDeleteInboundOfSubject, sqlite::kDeleteInboundOfSession}) {
    std::string plan = QueryPlan(path, sql);
    EXPECT_NE(plan.find("SEARCH inbound_messages USING PRIMARY KEY (tenant_id=? AND "
                        "channel_id=? AND external_id=?)"),
              std::string::npos)
        << plan;
    EXPECT_NE(plan.find("entries_in_order (tenant_id=? AND session_id=?)"), std::string::npos)
        << plan;
    EXPECT_EQ(plan.find("SCAN"), std::string::npos) << plan;
  }
  EXPECT_NE(QueryPlan(path, sqlite::kDeleteInboundOfSubject)
                .find("sessions_by_end_user (tenant_id=? AND end_user_id=?)"),
            std::string::npos);
  EXPECT_NE(QueryPlan(path, sqlite::kDeleteInboundOfSession)
                .find("SEARCH s USING PRIMARY KEY (tenant_id=? AND id=?)"),
            std::string::npos);
}

// Migration 20: retention walks the sweep's index, one status after the
// other, and only ended sessions are in the finalizer's index.
TEST(SqliteStore, RetentionAndTheFinalizerWorkWithFewerSessionIndexes) {
  TempDir dir;
  std::string path = dir.File("data.db");
  CreateAtVersion(path, 19,
                  "INSERT INTO tenants (id, name, created_at) VALUES ('ten_a', 'a', 0);"
                  "INSERT INTO end_users (tenant_id, id, channel_id, platform_key, created_at, "
                  "updated_at) VALUES ('ten_a', 'eu_1', 'ch_1', x'00', 0, 0), "
                  "('ten_a', 'eu_2', 'ch_1', x'00', 0, 0);"
                  "INSERT INTO sessions (tenant_id, id, channel_id, end_user_id, status, "
                  "started_at, last_activity_at, ended_at, next_seq, activity_minute) VALUES "
                  "('ten_a', 'ses_1', 'ch_1', 'eu_1', 5, 0, 60000000, 60000000, 2, 1), "
                  "('ten_a', 'ses_2', 'ch_1', 'eu_1', 2, 0, 120000000, NULL, 2, 2), "
                  "('ten_a', 'ses_3', 'ch_1', 'eu_2', 3, 0, 900000000, NULL, 2, 15)");
  auto store = OpenStore(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(QueryInt(path,
                     "SELECT count(*) FROM sqlite_schema WHERE name = "
                     "'sessions_by_channel_activity'"),
            0);
  EXPECT_EQ(QueryInt(path,
                     "SELECT count(*) FROM sqlite_schema WHERE name = 'sessions_ended' AND "
                     "sql LIKE '%(ended_at) WHERE status = 5'"),
            1);

  auto ended = store->ListEndedWithoutTranscript(10);
  ASSERT_TRUE(ended.ok()) << ended.status();
  ASSERT_EQ(ended->size(), 1u);
  EXPECT_EQ((*ended)[0].id, "ses_1");

  // Sessions of any status last active before minute 10 go; the later one stays.
  auto expired = store->ExpireSessions("ten_a", "ch_1", absl::FromUnixSeconds(600), 10);
  ASSERT_TRUE(expired.ok()) << expired.status();
  EXPECT_EQ(expired->deleted.sessions, 2);
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM sessions"), 1);
  EXPECT_EQ(QueryInt(path, "SELECT count(*) FROM sessions WHERE id = 'ses_3'"), 1);
}

// Migration 21: participants stored by session and consent records by end
// user, their rows kept and their separate indexes gone.
TEST(SqliteStore, ParticipantsAndConsentAreStoredByTheirOwner) {
  TempDir dir;
  std::string path = dir.File("data.db");
  CreateAtVersion(
      path, 20,
      "INSERT INTO tenants (id, name, created_at) VALUES ('ten_a', 'a', 0);"
      "INSERT INTO participants (tenant_id, id, session_id, role, display_name, "
      "joined_at) VALUES ('ten_a', 'par_2', 'ses_1', 2, NULL, 20), "
      "('ten_a', 'par_1', 'ses_1', 1, x'01', 10), "
      "('ten_a', 'par_3', 'ses_2', 1, NULL, 5);"
      "INSERT INTO consent_records (tenant_id, id, end_user_id, channel_id, purpose, "
      "status, source, captured_at, effective_from) VALUES "
      "('ten_a', 'con_2', 'eu_1', 'ch_1', 'messaging', 'opted_out', 'keyword', 20, 20), "
      "('ten_a', 'con_1', 'eu_1', 'ch_1', 'messaging', 'opted_in', 'api', 10, 10), "
      "('ten_a', 'con_3', 'eu_2', 'ch_1', 'messaging', 'opted_in', 'api', 5, 5)");
  auto store = OpenStore(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(QueryInt(path,
                     "SELECT count(*) FROM sqlite_schema WHERE name IN "
                     "('participants_by_session', 'consent_by_end_user')"),
            0);
  auto participants = store->ListParticipants("ten_a", "ses_1");
  ASSERT_TRUE(participants.ok()) << participants.status();
  ASSERT_EQ(participants->size(), 2u);
  EXPECT_EQ((*participants)[0].id, "par_1");
  EXPECT_EQ((*participants)[1].id, "par_2");
  auto consent = store->ListConsent("ten_a", "eu_1");
  ASSERT_TRUE(consent.ok()) << consent.status();
  ASSERT_EQ(consent->size(), 2u);
  EXPECT_EQ((*consent)[0].id, "con_1");
  EXPECT_EQ((*consent)[1].status, "opted_out");
  EXPECT_NE(QueryPlan(path,
                      "SELECT id FROM consent_records WHERE tenant_id = 'a' AND end_user_id = 'b' "
                      "ORDER BY captured_at, id")
                .find("SEARCH consent_records USING PRIMARY KEY (tenant_id=? AND end_user_id=?)"),
            std::string::npos);
}

TEST(SqliteStore, DataSurvivesReopen) {
  TempDir dir;
  std::string path = dir.File("data.db");
  {
    auto store = OpenStore(path);
    ASSERT_TRUE(
        store->CreateTenant({"ten_a", "acme", absl::FromUnixSeconds(5)}, Key("key_a", "ten_a"))
            .ok());
  }
  auto store = OpenStore(path);
  auto t = store->FindTenantByName("acme");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->created_at, absl::FromUnixSeconds(5));
  EXPECT_TRUE(store->FindApiKeyForAuth("key_a").ok());
}

TEST(SqliteStore, RefusesADatabaseNewerThanThisBuild) {
  TempDir dir;
  std::string path = dir.File("data.db");
  OpenStore(path).reset();
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "INSERT INTO schema_migrations VALUES (999, 'future', 0)", nullptr, nullptr,
               nullptr);
  sqlite3_close(db);
  SqliteStore::Options o;
  o.path = path;
  auto s = SqliteStore::Open(o, SystemClock::Get());
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(s.status())) << s.status();
}

TEST(SqliteStore, ASecondProcessCanWriteBesideARunningOne) {
  TempDir dir;
  std::string path = dir.File("data.db");
  auto server = OpenStore(path);
  ASSERT_TRUE(
      server->CreateTenant({"ten_a", "a", absl::FromUnixSeconds(1)}, Key("key_a", "ten_a")).ok());
  auto cli = OpenStore(path);  // like `convault tenant create` while serving
  ASSERT_TRUE(
      cli->CreateTenant({"ten_b", "b", absl::FromUnixSeconds(1)}, Key("key_b", "ten_b")).ok());
  EXPECT_TRUE(server->FindTenantByName("b").ok());
  EXPECT_TRUE(cli->FindTenantByName("a").ok());
  ASSERT_TRUE(server->CreateApiKey(Key("key_c", "ten_b")).ok());
  EXPECT_TRUE(cli->GetApiKey("ten_b", "key_c").ok());
}

// The log is checkpointed at the configured length, by the checkpoint thread
// and then the writer (the log file is reused from its start after each
// checkpoint, so its size stays near it): it never grows past twice the
// length and a commit, whatever the threads' timing.
TEST(SqliteStore, CheckpointsTheLogAtTheConfiguredLength) {
  for (int pages : {10, 4000}) {
    SCOPED_TRACE(pages);
    TempDir dir;
    const std::string path = dir.File("c.db");
    SqliteStore::Options o;
    o.path = path;
    o.checkpoint_pages = pages;
    auto store = SqliteStore::Open(o, SystemClock::Get());
    ASSERT_TRUE(store.ok()) << store.status();
    Tenant t{"ten_a", "a", absl::FromUnixSeconds(5)};
    ASSERT_TRUE((*store)->CreateTenant(t, Key("key_0", "ten_a")).ok());
    std::error_code ec;
    const auto before = std::filesystem::file_size(path + "-wal", ec);  // the migrations
    ASSERT_FALSE(ec);
    for (int i = 1; i <= 300; ++i) {
      ASSERT_TRUE((*store)->CreateApiKey(Key("key_" + std::to_string(i), "ten_a")).ok());
    }
    const auto wal = std::filesystem::file_size(path + "-wal", ec);
    ASSERT_FALSE(ec);
    const uint64_t frame = 4096 + 24;
    if (pages == 10) {
      // The migrations left `before`; the first checkpoint starts there.
      EXPECT_LE(wal, std::max<uint64_t>(before, 20 * frame) + 4 * frame);
      EXPECT_GE((*store)->CheckpointPassesForTesting(), 1);
    } else {
      EXPECT_GE(wal, before + 300 * frame);  // a commit after another, none copied back yet
    }
  }
}

TEST(SqliteConnection, IsDurableAndKeepsStatementJournalsInMemory) {
  TempDir dir;
  auto conn = sqlite::Connection::Open(dir.File("p.db"), {});
  ASSERT_TRUE(conn.ok());
  auto pragma = [&](const char* sql) -> int64_t {
    auto st = (*conn)->Prepare(sql);
    if (!st.ok()) return -1;
    sqlite::Connection::Use q(**st);
    auto row = q->Step();
    return row.ok() && *row ? q->Int(0) : -1;
  };
  EXPECT_EQ(pragma("PRAGMA synchronous"), 2);  // FULL
  EXPECT_EQ(pragma("PRAGMA secure_delete"), 1);
  // A savepoint of the writer (after a failed operation) copies every page it
  // touches into a statement journal: in memory, not a temp file.
  EXPECT_EQ(pragma("PRAGMA temp_store"), 2);  // MEMORY
}

TEST(GroupCommitWriter, QueuedWritesShareOneTransactionAndFailuresRollBackAlone) {
  TempDir dir;
  auto conn = sqlite::Connection::Open(dir.File("g.db"), {});
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)->Exec("CREATE TABLE t (v INTEGER PRIMARY KEY)").ok());
  std::vector<size_t> batches;
  absl::Mutex mu;
  sqlite::GroupCommitWriter writer(std::move(*conn), 64, [&](size_t n) {
    absl::MutexLock lock(&mu);
    batches.push_back(n);
  });

  // Hold the writer inside a first transaction while ten more writes queue up.
  absl::Notification entered, release;
  std::thread first([&] {
    EXPECT_TRUE(writer
                    .Write([&](sqlite::Connection&) {
                      entered.Notify();
                      release.WaitForNotification();
                      return absl::OkStatus();
                    })
                    .ok());
  });
  entered.WaitForNotification();
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int i = 0; i < 10; ++i) {
    writers.emplace_back([&, i] {
      absl::Status s = writer.Write([i](sqlite::Connection& c) -> absl::Status {
        auto st = c.Prepare("INSERT INTO t (v) VALUES (?)");
        if (!st.ok()) return st.status();
        sqlite::Connection::Use q(**st);
        absl::Status r = q->Bind(1, int64_t{i}).Run();
        if (!r.ok()) return r;
        // Odd writes fail after writing: their row must not survive.
        return i % 2 == 1 ? absl::AbortedError("odd") : absl::OkStatus();
      });
      if (!s.ok()) failures.fetch_add(1);
    });
  }
  while (writer.QueueDepthForTesting() < 10) std::this_thread::yield();
  release.Notify();
  first.join();
  for (auto& t : writers) t.join();
  writer.Stop();

  EXPECT_EQ(failures.load(), 5);
  absl::MutexLock lock(&mu);
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[0], 1u);
  EXPECT_EQ(batches[1], 10u);
  EXPECT_EQ(QueryInt(dir.File("g.db"), "SELECT COUNT(*) FROM t"), 5);
  EXPECT_EQ(QueryInt(dir.File("g.db"), "SELECT COUNT(*) FROM t WHERE v % 2 = 1"), 0);
}

// A batch without a failure runs each operation once; one with a failure
// runs again, savepoint by savepoint, and keeps the results of the second run.
TEST(GroupCommitWriter, OperationsRunAgainOnlyWhenTheirBatchHasAFailure) {
  TempDir dir;
  auto conn = sqlite::Connection::Open(dir.File("g.db"), {});
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)->Exec("CREATE TABLE t (v INTEGER PRIMARY KEY)").ok());
  sqlite::GroupCommitWriter writer(std::move(*conn), 64);
  for (bool with_failure : {false, true}) {
    SCOPED_TRACE(with_failure);
    absl::Notification entered, release;
    std::thread first([&] {
      EXPECT_TRUE(writer
                      .Write([&](sqlite::Connection&) {
                        if (!entered.HasBeenNotified()) entered.Notify();
                        release.WaitForNotification();
                        return absl::OkStatus();
                      })
                      .ok());
    });
    entered.WaitForNotification();
    std::atomic<int> runs{0};
    std::vector<std::thread> writers;
    const int base = with_failure ? 100 : 0;
    for (int i = 0; i < 6; ++i) {
      writers.emplace_back([&, i] {
        absl::Status s = writer.Write([&, i](sqlite::Connection& c) -> absl::Status {
          runs.fetch_add(1);
          auto st = c.Prepare("INSERT INTO t (v) VALUES (?)");
          if (!st.ok()) return st.status();
          sqlite::Connection::Use q(**st);
          CV_RETURN_IF_ERROR(q->Bind(1, int64_t{base + i}).Run());
          return with_failure && i == 3 ? absl::AbortedError("three") : absl::OkStatus();
        });
        EXPECT_EQ(s.ok(), !(with_failure && i == 3)) << s;
      });
    }
    while (writer.QueueDepthForTesting() < 6) std::this_thread::yield();
    release.Notify();
    first.join();
    for (auto& t : writers) t.join();
    if (with_failure) {
      // The operations up to the failing one ran twice, the rest at least once.
      EXPECT_GE(runs.load(), 6 + 1);
    } else {
      EXPECT_EQ(runs.load(), 6);
    }
  }
  writer.Stop();
  EXPECT_EQ(QueryInt(dir.File("g.db"), "SELECT COUNT(*) FROM t WHERE v < 100"), 6);
  EXPECT_EQ(QueryInt(dir.File("g.db"), "SELECT COUNT(*) FROM t WHERE v >= 100"), 5);
  EXPECT_EQ(QueryInt(dir.File("g.db"), "SELECT COUNT(*) FROM t WHERE v = 103"), 0);
}

TEST(GroupCommitWriter, WriteAfterStopIsUnavailable) {
  TempDir dir;
  auto conn = sqlite::Connection::Open(dir.File("g.db"), {});
  ASSERT_TRUE(conn.ok());
  sqlite::GroupCommitWriter writer(std::move(*conn), 8);
  writer.Stop();
  EXPECT_TRUE(
      absl::IsUnavailable(writer.Write([](sqlite::Connection&) { return absl::OkStatus(); })));
}

}  // namespace
}  // namespace convault
