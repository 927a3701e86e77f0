#include <filesystem>
#include <fstream>
#include <set>

#include "common/log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/problem_matchers.h"
#include "support/test_server.h"

namespace convault {
namespace {

using testing::ExpectProblem;
using testing::Response;
using testing::TestServer;

TEST(ApiKeys, AdminCreatesAKeyThatIsShownOnceAndWorks) {
  TestServer server;
  auto& c = server.client();
  Response r = c.PostJson("/v1/api-keys", server.admin_key(),
                          {{"name", "support bot"}, {"roles", {"bot", "agent"}}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto j = r.Json();
  std::string id = j["id"];
  std::string key = j["key"];
  EXPECT_EQ(r.Header("location"), "/v1/api-keys/" + id);
  EXPECT_EQ(j["name"], "support bot");
  EXPECT_EQ(j["roles"], nlohmann::json({"agent", "bot"}));
  EXPECT_EQ(j["created_at"], "2026-01-01T00:00:00.000Z");

  // The key is never shown again.
  Response got = c.Get("/v1/api-keys/" + id, server.admin_key());
  ASSERT_EQ(got.status, 200);
  EXPECT_FALSE(got.Json().contains("key"));
  Response list = c.Get("/v1/api-keys", server.admin_key());
  EXPECT_EQ(list.body.find(key), std::string::npos);

  // It authenticates, with its own roles: bot and agent, not admin.
  ExpectProblem(c.Get("/v1/api-keys", key), 403, "forbidden");
}

TEST(ApiKeys, EveryRoleCanBeGrantedAndOnlyAdminManagesKeys) {
  TestServer server;
  for (std::string role : {"agent", "bot", "privacy_officer", "auditor", "integration"}) {
    auto [id, key] = server.CreateKey(server.admin_key(), {role});
    ASSERT_FALSE(key.empty()) << role;
    ExpectProblem(server.client().Get("/v1/api-keys", key), 403, "forbidden");
    ExpectProblem(
        server.client().PostJson("/v1/api-keys", key, {{"name", "x"}, {"roles", {"admin"}}}), 403,
        "forbidden");
    ExpectProblem(server.client().Send("DELETE", "/v1/api-keys/" + id, key), 403, "forbidden");
  }
  auto [id, key] = server.CreateKey(server.admin_key(), {"admin"});
  EXPECT_EQ(server.client().Get("/v1/api-keys", key).status, 200);
}

TEST(ApiKeys, DeletedKeyStopsWorking) {
  TestServer server;
  auto [id, key] = server.CreateKey(server.admin_key(), {"admin"});
  ASSERT_EQ(server.client().Get("/v1/api-keys", key).status, 200);
  Response del = server.client().Send("DELETE", "/v1/api-keys/" + id, server.admin_key());
  EXPECT_EQ(del.status, 204);
  EXPECT_TRUE(del.body.empty());
  ExpectProblem(server.client().Get("/v1/api-keys", key), 401, "unauthenticated");
  ExpectProblem(server.client().Send("DELETE", "/v1/api-keys/" + id, server.admin_key()), 404,
                "not_found");
}

TEST(ApiKeys, TheLastAdminKeyCannotBeDeleted) {
  TestServer server;
  auto list = server.client().Get("/v1/api-keys", server.admin_key()).Json();
  std::string admin_id = list["items"][0]["id"];
  ExpectProblem(server.client().Send("DELETE", "/v1/api-keys/" + admin_id, server.admin_key()), 409,
                "last_admin_key");
  EXPECT_EQ(server.client().Get("/v1/api-keys", server.admin_key()).status, 200);
}

TEST(ApiKeys, ListsPageWithLimitAndCursor) {
  TestServer server;
  for (int i = 0; i < 6; ++i) server.CreateKey(server.admin_key(), {"bot"});
  std::set<std::string> ids;
  std::string cursor;
  int pages = 0;
  do {
    std::string target = "/v1/api-keys?limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor);
    Response r = server.client().Get(target, server.admin_key());
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = r.Json();
    EXPECT_LE(j["items"].size(), 3u);
    for (const auto& item : j["items"]) ids.insert(item["id"].get<std::string>());
    cursor = j["next_cursor"].is_null() ? "" : j["next_cursor"].get<std::string>();
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(ids.size(), 7u);
}

TEST(ApiKeys, BadListParametersNameTheParameter) {
  TestServer server;
  for (std::string q : {"limit=0", "limit=501", "limit=abc", "limit=99999999999999999999",
                        "cursor=ten_abc", "cursor=%ff%00"}) {
    Response r = server.client().Get("/v1/api-keys?" + q, server.admin_key());
    ExpectProblem(r, 400, "invalid_request");
    auto errors = r.Json()["errors"];
    ASSERT_EQ(errors.size(), 1u) << q;
    EXPECT_EQ(errors[0]["field"], q.substr(0, q.find('='))) << q;
  }
}

TEST(ApiKeys, SecretsReachNeitherTheDatabaseFilesNorTheLogs) {
  std::vector<std::string> lines;
  absl::Mutex mu;
  log::SetObserverForTesting([&](std::string_view l) {
    absl::MutexLock lock(&mu);
    lines.emplace_back(l);
  });
  std::string key;
  std::string data_dir;
  {
    TestServer server;
    data_dir = server.data_dir();
    const std::string canary = "CANARY-name-7f3a";
    Response r = server.client().PostJson("/v1/api-keys", server.admin_key(),
                                          {{"name", canary}, {"roles", {"admin"}}});
    ASSERT_EQ(r.status, 201);
    key = r.Json()["key"];
    ASSERT_EQ(server.client().Get("/v1/api-keys", key).status, 200);
    for (const auto& entry : std::filesystem::recursive_directory_iterator(data_dir)) {
      if (!entry.is_regular_file() || entry.path().filename() == "admin.key") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      EXPECT_EQ(bytes.find(key), std::string::npos) << entry.path();
      EXPECT_EQ(bytes.find(key.substr(key.size() - 64)), std::string::npos) << entry.path();
    }
    EXPECT_EQ(server.client().Get("/metrics").body.find(canary), std::string::npos);
    log::SetObserverForTesting(nullptr);
    absl::MutexLock lock(&mu);
    ASSERT_FALSE(lines.empty());
    for (const auto& l : lines) {
      EXPECT_EQ(l.find(key.substr(key.size() - 64)), std::string::npos) << l;
      EXPECT_EQ(l.find(server.admin_key().substr(server.admin_key().size() - 64)),
                std::string::npos)
          << l;
      EXPECT_EQ(l.find(canary), std::string::npos) << l;
    }
  }
}

}  // namespace
}  // namespace convault
