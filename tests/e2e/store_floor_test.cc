// bench/store_floor, the floor under bench/ingest's figure, must replay
// exactly the rows that ingest stored, or the floor it reports means nothing:
// after a real server has taken messages from new and returning end users
// (with context, e-mail addresses, acknowledgments), the replayed database
// holds the same rows as the server's.
#include <signal.h>
#include <sqlite3.h>

#include <string>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "support/http_client.h"
#include "support/process.h"
#include "support/sqlite_query.h"
#include "support/temp_dir.h"

namespace convault {
namespace {

using testing::ChildProcess;
using testing::HttpClient;
using testing::QueryInt;
using testing::RunCommand;
using testing::TempDir;

constexpr int kMessages = 60;
constexpr int kPeople = 13;

// Rows in `table` of the source that the replay lacks, and the other way.
int64_t Differences(const std::string& replayed, const std::string& source,
                    const std::string& table) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(replayed.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return -1;
  }
  std::string attach = "ATTACH DATABASE '" + source + "' AS source";
  sqlite3_exec(db, attach.c_str(), nullptr, nullptr, nullptr);
  std::string sql = "SELECT (SELECT count(*) FROM (SELECT * FROM source." + table +
                    " EXCEPT SELECT * FROM main." + table +
                    ")) + (SELECT count(*) FROM (SELECT * FROM main." + table +
                    " EXCEPT SELECT * FROM source." + table + "))";
  int64_t n = QueryInt(db, sql.c_str());
  sqlite3_close(db);
  return n;
}

TEST(StoreFloor, ReplaysExactlyTheRowsThatIngestStored) {
  TempDir dir;
  const std::string data = dir.File("data");
  {
    ChildProcess serve({CONVAULT_BINARY, "serve", "--data", data, "--listen", "127.0.0.1:0"},
                       dir.File("serve.log"));
    std::string line = serve.WaitForLine("listening on");
    ASSERT_FALSE(line.empty());
    HttpClient client(testing::PortFrom(line));
    const std::string admin = testing::KeyFrom(serve.lines());
    auto channel = client.PostJson(
        "/v1/channels", admin,
        {{"type", "byoc"},
         {"name", "site"},
         {"acknowledgment", {{"enabled", true}, {"text", "This chat is recorded."}}}});
    ASSERT_EQ(channel.status, 201) << channel.body;
    auto key = client.PostJson("/v1/api-keys", admin, {{"name", "i"}, {"roles", {"integration"}}});
    ASSERT_EQ(key.status, 201);
    const std::string path = "/v1/channels/" + channel.Json()["id"].get<std::string>() + "/inbound";
    for (int n = 0; n < kMessages; ++n) {
      const int person = n % kPeople;
      nlohmann::json message = {
          {"message_id", "m" + std::to_string(n)},
          {"from", {{"platform_key", "visitor-" + std::to_string(person)}, {"name", "Ann Lee"}}},
          {"text",
           "write to ann" + std::to_string(person) + "@example.com, message " + std::to_string(n)}};
      if (n < kPeople) message["context"] = {{"page", "/checkout"}, {"plan", "gold"}};
      auto answer = client.PostJson(path, key.Json()["key"], message);
      ASSERT_EQ(answer.status, 200) << answer.body;
    }
    serve.Signal(SIGTERM);
    ASSERT_EQ(serve.Wait(), 0);
  }
  const std::string source = data + "/data.db";
  ASSERT_EQ(QueryInt(source, "SELECT count(*) FROM inbound_messages"), kMessages);
  ASSERT_GT(QueryInt(source, "SELECT count(*) FROM blind_index"), kPeople);
  ASSERT_GT(QueryInt(source, "SELECT count(*) FROM context_entries"), 0);

  const std::string replayed = dir.File("floor.db");
  auto run = RunCommand({STORE_FLOOR_BINARY, "--source", source, "--target", replayed, "--batch",
                         "7", "--synchronous", "OFF"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto report = nlohmann::json::parse(run.out);
  EXPECT_EQ(report["messages"], kMessages);
  EXPECT_GT(report["rps"].get<double>(), 0);

  for (const char* table : {"entries", "inbound_messages", "end_users", "participants",
                            "consent_records", "context_entries", "blind_index"}) {
    EXPECT_EQ(Differences(replayed, source, table), 0) << table;
  }
  // Sessions are inserted as they ended up and then touched by every later
  // message, so they are compared by count and by their next position.
  EXPECT_EQ(QueryInt(replayed, "SELECT count(*) FROM sessions"),
            QueryInt(source, "SELECT count(*) FROM sessions"));
  EXPECT_EQ(QueryInt(replayed, "SELECT sum(next_seq) FROM sessions"),
            QueryInt(source, "SELECT sum(next_seq) FROM sessions"));

  // The target must not exist: a second run refuses rather than adding to it.
  auto again = RunCommand({STORE_FLOOR_BINARY, "--source", source, "--target", replayed});
  EXPECT_NE(again.exit_code, 0);
}

}  // namespace
}  // namespace convault
