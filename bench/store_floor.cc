// store_floor: what SQLite alone costs for the rows that ingest writes, the
// floor under bench/ingest's figure. Reads the store of a finished bench run
// (a stopped server's data.db) and replays its rows into a new database with
// the same schema, opened as the server opens its own (sqlite::Connection: its
// pragmas and its VFS, docs/decisions/0013-one-write-per-commit.md), with
// synchronous and the checkpoint size as asked, one inbound message at
// a time in the order the server accepted them (entry ids are time-ordered):
// a new end user's row, blind-index entries and consent records; a new
// session's row, participants and context; otherwise the session's update;
// the entry and the inbound record. Acknowledgment entries come in their turn.
// A commit every --batch inbound messages. One thread and prepared statements,
// with no HTTP, JSON, redaction or crypto: the rows are already sealed. Prints
// one JSON line: messages, seconds, messages/s, the time per message in
// statements and in commits, and the CPU time per message.
//
// The checkpoints are left out by default (--checkpoint-pages 0): the server
// runs them beside its writer, so without them the figure stays an upper bound
// for the writer. The target must not exist; the caller deletes it afterwards
// (it holds the same sealed rows as the source).
#include <sqlite3.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "CLI/CLI.hpp"
#include "nlohmann/json.hpp"
#include "store/sqlite/connection.h"

namespace {

using Clock = std::chrono::steady_clock;

// One column's value as SQLite returned it.
struct Value {
  int type = SQLITE_NULL;
  int64_t integer = 0;
  double real = 0;
  std::string bytes;  // TEXT or BLOB
};
using Row = std::vector<Value>;

// A table's rows, loaded whole, and the statement that inserts one.
struct Table {
  std::string name;
  std::vector<std::string> columns;
  std::vector<Row> rows;
  sqlite3_stmt* insert = nullptr;
};

// Rows of a table grouped by one column's value.
using Groups = std::unordered_map<std::string, std::vector<const Row*>>;

// The process's CPU time (user and system), in seconds.
double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

[[noreturn]] void Fail(sqlite3* db, const std::string& what) {
  std::cerr << "store_floor: " << what << ": " << (db ? sqlite3_errmsg(db) : "") << "\n";
  std::exit(1);
}

void Exec(sqlite3* db, const std::string& sql) {
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) Fail(db, sql);
}

Table Load(sqlite3* db, const std::string& name) {
  Table table;
  table.name = name;
  sqlite3_stmt* select = nullptr;
  if (sqlite3_prepare_v2(db, ("SELECT * FROM \"" + name + "\"").c_str(), -1, &select, nullptr) !=
      SQLITE_OK) {
    Fail(db, "reading " + name);
  }
  const int n = sqlite3_column_count(select);
  for (int c = 0; c < n; ++c) table.columns.emplace_back(sqlite3_column_name(select, c));
  int rc;
  while ((rc = sqlite3_step(select)) == SQLITE_ROW) {
    Row row(n);
    for (int c = 0; c < n; ++c) {
      Value& value = row[c];
      value.type = sqlite3_column_type(select, c);
      if (value.type == SQLITE_INTEGER) {
        value.integer = sqlite3_column_int64(select, c);
      } else if (value.type == SQLITE_FLOAT) {
        value.real = sqlite3_column_double(select, c);
      } else if (value.type != SQLITE_NULL) {
        const void* data = sqlite3_column_blob(select, c);
        value.bytes.assign(static_cast<const char*>(data),
                           static_cast<size_t>(sqlite3_column_bytes(select, c)));
      }
    }
    table.rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) Fail(db, "reading " + name);
  sqlite3_finalize(select);
  return table;
}

int Column(const Table& table, const std::string& name) {
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (table.columns[i] == name) return static_cast<int>(i);
  }
  std::cerr << "store_floor: " << table.name << " has no column " << name << "\n";
  std::exit(1);
}

Groups GroupBy(const Table& table, const std::string& column) {
  Groups groups;
  const int c = Column(table, column);
  for (const Row& row : table.rows) groups[row[c].bytes].push_back(&row);
  return groups;
}

void Bind(sqlite3_stmt* statement, int index, const Value& value) {
  switch (value.type) {
    case SQLITE_INTEGER:
      sqlite3_bind_int64(statement, index, value.integer);
      break;
    case SQLITE_FLOAT:
      sqlite3_bind_double(statement, index, value.real);
      break;
    case SQLITE_TEXT:
      sqlite3_bind_text(statement, index, value.bytes.data(), static_cast<int>(value.bytes.size()),
                        SQLITE_STATIC);
      break;
    case SQLITE_BLOB:
      sqlite3_bind_blob(statement, index, value.bytes.data(), static_cast<int>(value.bytes.size()),
                        SQLITE_STATIC);
      break;
    default:
      sqlite3_bind_null(statement, index);
  }
}

void Step(sqlite3* db, sqlite3_stmt* statement, const std::string& what) {
  if (sqlite3_step(statement) != SQLITE_DONE) Fail(db, what);
  sqlite3_reset(statement);
}

void Insert(sqlite3* db, Table& table, const Row& row) {
  if (table.insert == nullptr) {
    std::string sql = "INSERT INTO \"" + table.name + "\" VALUES (";
    for (size_t i = 0; i < table.columns.size(); ++i) sql += i == 0 ? "?" : ",?";
    sql += ")";
    if (sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &table.insert,
                           nullptr) != SQLITE_OK) {
      Fail(db, sql);
    }
  }
  for (size_t c = 0; c < row.size(); ++c) Bind(table.insert, static_cast<int>(c) + 1, row[c]);
  Step(db, table.insert, "inserting into " + table.name);
}

void InsertAll(sqlite3* db, Table& table, const Groups& groups, const std::string& key) {
  auto it = groups.find(key);
  if (it == groups.end()) return;
  for (const Row* row : it->second) Insert(db, table, *row);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"store_floor: SQLite's own cost for the rows of a bench/ingest run"};
  std::string source;
  std::string target;
  int batch = 10;
  std::string synchronous = "FULL";
  int messages = 0;
  int checkpoint_pages = 0;
  std::string label;
  app.add_option("--source", source, "data.db of a stopped server after a bench run")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--target", target, "database file to create (must not exist)")->required();
  app.add_option("--batch", batch, "inbound messages per commit")->check(CLI::Range(1, 1000000));
  app.add_option("--synchronous", synchronous, "FULL (the server's setting) or OFF")
      ->check(CLI::IsMember({"FULL", "OFF"}));
  app.add_option("--messages", messages, "replay at most this many inbound messages (0: all)");
  app.add_option("--checkpoint-pages", checkpoint_pages,
                 "checkpoint in the replaying thread at this log size (0: never)");
  app.add_option("--label", label);
  CLI11_PARSE(app, argc, argv);
  if (std::filesystem::exists(target)) {
    std::cerr << "store_floor: " << target << " exists\n";
    return 1;
  }

  sqlite3* from = nullptr;
  if (sqlite3_open_v2(source.c_str(), &from, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    Fail(from, "opening " + source);
  }
  std::vector<std::string> schema;
  std::vector<std::string> names;
  {
    sqlite3_stmt* select = nullptr;
    if (sqlite3_prepare_v2(from,
                           "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
                           "AND name NOT LIKE 'sqlite_%' ORDER BY type = 'index', rowid",
                           -1, &select, nullptr) != SQLITE_OK) {
      Fail(from, "reading the schema");
    }
    while (sqlite3_step(select) == SQLITE_ROW) {
      schema.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(select, 2)));
      if (std::string(reinterpret_cast<const char*>(sqlite3_column_text(select, 0))) == "table") {
        names.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(select, 1)));
      }
    }
    sqlite3_finalize(select);
  }
  std::map<std::string, Table> tables;
  for (const std::string& name : names) tables[name] = Load(from, name);
  sqlite3_close(from);

  // The rows one message writes, grouped by what brings them.
  const std::unordered_set<std::string> replayed = {
      "entries",      "inbound_messages", "sessions",        "end_users",
      "participants", "consent_records",  "context_entries", "blind_index"};
  for (const std::string& name : replayed) {
    if (!tables.contains(name)) {
      std::cerr << "store_floor: " << source << " has no table " << name << "\n";
      return 1;
    }
  }
  const Groups inbound = GroupBy(tables["inbound_messages"], "entry_id");
  const Groups sessions = GroupBy(tables["sessions"], "id");
  const Groups end_users = GroupBy(tables["end_users"], "id");
  const Groups participants = GroupBy(tables["participants"], "session_id");
  const Groups consent = GroupBy(tables["consent_records"], "end_user_id");
  const Groups context = GroupBy(tables["context_entries"], "session_id");
  const Groups tokens = GroupBy(tables["blind_index"], "subject_id");
  Table& entries = tables["entries"];
  const int entry_id = Column(entries, "id");
  const int entry_tenant = Column(entries, "tenant_id");
  const int entry_session = Column(entries, "session_id");
  const int entry_end_user = Column(entries, "end_user_id");
  const int entry_seq = Column(entries, "seq");
  const int entry_created = Column(entries, "created_at");
  std::sort(entries.rows.begin(), entries.rows.end(),
            [&](const Row& a, const Row& b) { return a[entry_id].bytes < b[entry_id].bytes; });

  // The server's own connection: its VFS, pragmas and process settings.
  auto connection = convault::sqlite::Connection::Open(target, {});
  if (!connection.ok()) {
    std::cerr << "store_floor: creating " << target << ": " << connection.status() << "\n";
    return 1;
  }
  sqlite3* db = (*connection)->raw();
  Exec(db, "PRAGMA synchronous=" + synchronous);
  Exec(db, "PRAGMA wal_autocheckpoint=" + std::to_string(checkpoint_pages));
  // The schema and the tables ingest does not write (tenants, channels,
  // rules, keys), before the clock starts.
  Exec(db, "BEGIN");
  for (const std::string& sql : schema) Exec(db, sql);
  for (const std::string& name : names) {  // in the order of creation: tenants first
    if (replayed.contains(name)) continue;
    for (const Row& row : tables[name].rows) Insert(db, tables[name], row);
  }
  Exec(db, "COMMIT");

  sqlite3_stmt* touch = nullptr;
  if (sqlite3_prepare_v3(db,
                         "UPDATE sessions SET next_seq = ?1, last_activity_at = ?2 "
                         "WHERE tenant_id = ?3 AND id = ?4",
                         -1, SQLITE_PREPARE_PERSISTENT, &touch, nullptr) != SQLITE_OK) {
    Fail(db, "preparing the session update");
  }
  std::unordered_set<std::string> seen_end_users;
  std::unordered_set<std::string> seen_sessions;
  int replayed_messages = 0;
  int in_batch = 0;
  Clock::duration in_commits{};
  auto commit = [&] {
    const Clock::time_point begin = Clock::now();
    Exec(db, "COMMIT");
    in_commits += Clock::now() - begin;
  };
  const Clock::time_point start = Clock::now();
  const double cpu_start = CpuSeconds();
  Exec(db, "BEGIN");
  for (const Row& entry : entries.rows) {
    if (messages > 0 && replayed_messages >= messages) break;
    const std::string& end_user = entry[entry_end_user].bytes;
    const std::string& session = entry[entry_session].bytes;
    if (seen_end_users.insert(end_user).second) {
      InsertAll(db, tables["end_users"], end_users, end_user);
      InsertAll(db, tables["blind_index"], tokens, end_user);
      InsertAll(db, tables["consent_records"], consent, end_user);
    }
    if (seen_sessions.insert(session).second) {
      InsertAll(db, tables["sessions"], sessions, session);
      InsertAll(db, tables["participants"], participants, session);
      InsertAll(db, tables["context_entries"], context, session);
    } else {
      sqlite3_bind_int64(touch, 1, entry[entry_seq].integer + 1);
      sqlite3_bind_int64(touch, 2, entry[entry_created].integer);
      Bind(touch, 3, entry[entry_tenant]);
      Bind(touch, 4, entry[entry_session]);
      Step(db, touch, "updating a session");
    }
    Insert(db, entries, entry);
    auto record = inbound.find(entry[entry_id].bytes);
    if (record == inbound.end()) continue;  // an acknowledgment
    for (const Row* row : record->second) Insert(db, tables["inbound_messages"], *row);
    ++replayed_messages;
    if (++in_batch == batch) {
      commit();
      Exec(db, "BEGIN");
      in_batch = 0;
    }
  }
  commit();
  const double cpu_seconds = CpuSeconds() - cpu_start;
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const double commit_seconds = std::chrono::duration<double>(in_commits).count();
  sqlite3_finalize(touch);
  for (auto& [name, table] : tables) sqlite3_finalize(table.insert);
  connection->reset();

  const double n = replayed_messages > 0 ? replayed_messages : 1;
  nlohmann::json out = {{"label", label},
                        {"messages", replayed_messages},
                        {"batch", batch},
                        {"synchronous", synchronous},
                        {"seconds", seconds},
                        {"rps", replayed_messages / seconds},
                        {"us_per_message", seconds * 1e6 / n},
                        {"cpu_us_per_message", cpu_seconds * 1e6 / n},
                        {"statements_us_per_message", (seconds - commit_seconds) * 1e6 / n},
                        {"commit_us_per_message", commit_seconds * 1e6 / n}};
  std::cout << out.dump() << "\n";
  return 0;
}
