// A test environment that checks the query plan of every SQL statement the
// test binary's SQLite store prepared: none may read a whole table that grows
// with the traffic (messages, end users, sessions, index entries, ...).
// Without ANALYZE, SQLite chooses plans from the schema alone, as a server's
// database does; a missing or unusable index shows up here as a SCAN long
// before it shows up as a slow server. Linked into the test binaries that
// drive the store (store_test, api_test, server_test); each test runs in its own process,
// so each is checked for the statements it made run.
#include "support/query_plan_guard.h"

#include <sqlite3.h>

#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/migrator.h"
#include "support/temp_dir.h"

namespace convault::testing {

// Tables that stay small whatever the traffic (configuration, one row per
// tenant, key or rule), or that are read whole by design (a job's own table).
const std::set<std::string>& SmallTables() {
  static const auto* tables = new std::set<std::string>{
      "api_keys",        "channels",  "context_key_classes", "jobs",
      "kek_versions",    "rule_sets", "schema_migrations",   "sensitive_data_rules",
      "tenant_settings", "tenants",
  };
  return *tables;
}

std::string ScannedTable(const std::string& detail) {
  if (absl::StartsWith(detail, "SEARCH ")) {
    // Searched by the tenant alone: every row of the tenant, which grows
    // with the traffic as the whole table does.
    if (!absl::EndsWith(detail, " (tenant_id=?)")) return "";
    std::string rest = detail.substr(7);
    return rest.substr(0, rest.find(' '));
  }
  if (!absl::StartsWith(detail, "SCAN ")) return "";
  if (absl::StrContains(detail, " USING ")) return "";  // an index, covering or not
  std::string rest = detail.substr(5);
  std::string table = rest.substr(0, rest.find(' '));
  if (table == "CONSTANT" || absl::StartsWith(table, "(")) return "";
  return table;
}

bool MayScan(const std::string& table) { return SmallTables().count(table) > 0; }

bool ReadsTenantByDesign(const std::string& sql) {
  if (absl::StartsWith(sql, "SELECT COUNT(*) ")) return true;
  return absl::StrContains(sql, " ORDER BY ") && absl::EndsWith(sql, " LIMIT 1");
}

namespace {

// Every plan line of `sql` on `db`; false when `db` cannot prepare it (a
// table of the other database, or of a test's own).
bool Plan(sqlite3* db, const std::string& sql, std::vector<std::string>* lines) {
  std::string explain = absl::StrCat("EXPLAIN QUERY PLAN ", sql);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, explain.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return false;
  }
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 3);
    lines->push_back(text == nullptr ? "" : reinterpret_cast<const char*>(text));
  }
  sqlite3_finalize(stmt);
  return true;
}

class QueryPlanGuard : public ::testing::Environment {
 public:
  void SetUp() override { sqlite::Connection::RecordPreparedForTesting(true); }

  void TearDown() override {
    sqlite::Connection::RecordPreparedForTesting(false);
    std::vector<std::string> statements = sqlite::Connection::PreparedForTesting();
    if (statements.empty()) return;
    TempDir dir;
    auto data = Open(dir.path() + "/data.db", sqlite::DataMigrations());
    auto keys = Open(dir.path() + "/keys.db", sqlite::KeyStoreMigrations());
    ASSERT_TRUE(data != nullptr && keys != nullptr);
    for (const std::string& sql : statements) {
      std::vector<std::string> lines;
      // Neither schema has the table: a test's own statement, not checked.
      if (!Plan(data->raw(), sql, &lines) && !Plan(keys->raw(), sql, &lines)) continue;
      for (const std::string& line : lines) {
        std::string table = ScannedTable(line);
        if (absl::StartsWith(line, "SEARCH ") && ReadsTenantByDesign(sql)) continue;
        EXPECT_TRUE(table.empty() || MayScan(table))
            << "reads all of " << table << " (" << line << "): " << sql;
      }
    }
  }

 private:
  static std::unique_ptr<sqlite::Connection> Open(const std::string& path,
                                                  const std::vector<sqlite::Migration>& m) {
    auto conn = sqlite::Connection::Open(path, {});
    if (!conn.ok()) return nullptr;
    if (!sqlite::ApplyMigrations(**conn, m, absl::Now()).ok()) return nullptr;
    return std::move(*conn);
  }
};

const auto* const kRegistered = ::testing::AddGlobalTestEnvironment(new QueryPlanGuard);

}  // namespace
}  // namespace convault::testing
