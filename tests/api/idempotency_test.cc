// Idempotency-Key on POST requests (API.md) through a real server: a retry
// gets the first answer and does nothing twice; misuse is refused.
#include "gtest/gtest.h"
#include "support/problem_matchers.h"
#include "support/test_server.h"

namespace convault {
namespace {

using testing::ExpectProblem;
using testing::Response;
using testing::TestServer;

struct Fixture {
  TestServer server;
  std::string channel;
  std::string integration;
  std::string officer;
  std::string agent;
  std::string session;
  std::string end_user;

  Fixture() {
    auto& c = server.client();
    Response ch = c.PostJson("/v1/channels", server.admin_key(), {{"type", "byoc"}, {"name", "s"}});
    EXPECT_EQ(ch.status, 201) << ch.body;
    channel = ch.Json()["id"];
    integration = server.CreateKey(server.admin_key(), {"integration"}).second;
    officer = server.CreateKey(server.admin_key(), {"privacy_officer"}).second;
    agent = server.CreateKey(server.admin_key(), {"agent"}).second;
    Response in = c.PostJson(
        "/v1/channels/" + channel + "/inbound", integration,
        {{"message_id", "m-1"}, {"from", {{"platform_key", "idem-person"}}}, {"text", "hello"}});
    EXPECT_EQ(in.status, 200) << in.body;
    session = in.Json()["session_id"];
    end_user = in.Json()["end_user_id"];
  }
  Response Reply(const std::string& key, const std::string& text, const std::string& bearer = "") {
    return server.client().Send("POST", "/v1/sessions/" + session + "/entries",
                                bearer.empty() ? agent : bearer,
                                nlohmann::json{{"text", text}}.dump(),
                                {{"Content-Type", "application/json"}, {"Idempotency-Key", key}});
  }
  int Replies() {
    auto items =
        server.client().Get("/v1/sessions/" + session + "/entries", officer).Json()["items"];
    int n = 0;
    for (const auto& e : items) n += e["actor_type"] == "agent" ? 1 : 0;
    return n;
  }
};

TEST(IdempotencyKey, ARetryGetsTheFirstAnswerAndNothingIsDoneTwice) {
  Fixture f;
  Response first = f.Reply("reply-1", "your order ships today");
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.headers.count("idempotent-replayed"), 0u);
  Response again = f.Reply("reply-1", "your order ships today");
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.Header("idempotent-replayed"), "true");
  EXPECT_EQ(again.Json(), first.Json());
  EXPECT_EQ(f.Replies(), 1);
  // A new key is a new request.
  ASSERT_EQ(f.Reply("reply-2", "your order ships today").status, 201);
  EXPECT_EQ(f.Replies(), 2);
}

TEST(IdempotencyKey, TheSameKeyOnADifferentRequestIsRefused) {
  Fixture f;
  ASSERT_EQ(f.Reply("reply-1", "first text").status, 201);
  ExpectProblem(f.Reply("reply-1", "other text"), 422, "idempotency_key_reused");
  EXPECT_EQ(f.Replies(), 1);
}

TEST(IdempotencyKey, KeysBelongToTheApiKeyThatSentThem) {
  Fixture f;
  std::string other = f.server.CreateKey(f.server.admin_key(), {"agent"}).second;
  ASSERT_EQ(f.Reply("shared", "one").status, 201);
  Response second = f.Reply("shared", "one", other);
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(second.headers.count("idempotent-replayed"), 0u);
  EXPECT_EQ(f.Replies(), 2);
}

TEST(IdempotencyKey, MalformedKeysAreRefusedAndFailuresAreNotKept) {
  Fixture f;
  ExpectProblem(f.Reply(std::string(256, 'k'), "x"), 400, "invalid_request");
  ExpectProblem(f.Reply("has space", "x"), 400, "invalid_request");
  ExpectProblem(f.Reply("caf\xC3\xA9", "x"), 400, "invalid_request");
  // A refused request keeps nothing: the fixed request may use the same key.
  Response bad = f.Reply("fix-me", std::string(70 * 1024, 'a'));
  EXPECT_GE(bad.status, 400);
  ASSERT_EQ(f.Reply("fix-me", "fixed").status, 201);
  EXPECT_EQ(f.Replies(), 1);
}

TEST(IdempotencyKey, AnAnswerHoldingASecretIsNotKeptNorRepeated) {
  Fixture f;
  auto create = [&] {
    return f.server.client().Send(
        "POST", "/v1/api-keys", f.server.admin_key(),
        nlohmann::json{{"name", "ci"}, {"roles", {"agent"}}}.dump(),
        {{"Content-Type", "application/json"}, {"Idempotency-Key", "key-ci"}});
  };
  Response first = create();
  ASSERT_EQ(first.status, 201) << first.body;
  std::string secret = first.Json()["key"];
  Response again = create();
  ExpectProblem(again, 409, "idempotent_answer_not_kept");
  EXPECT_EQ(again.body.find(secret), std::string::npos);
  auto keys = f.server.client().Get("/v1/api-keys", f.server.admin_key()).Json()["items"];
  int named_ci = 0;
  for (const auto& k : keys) named_ci += k["name"] == "ci" ? 1 : 0;
  EXPECT_EQ(named_ci, 1);
}

TEST(IdempotencyKey, AnswersExpireAfterADay) {
  Fixture f;
  ASSERT_EQ(f.Reply("daily", "same text").status, 201);
  f.server.clock().Advance(absl::Hours(23));
  EXPECT_EQ(f.Reply("daily", "same text").Header("idempotent-replayed"), "true");
  f.server.clock().Advance(absl::Hours(2));
  Response later = f.Reply("daily", "same text");
  ASSERT_EQ(later.status, 201) << later.body;
  EXPECT_EQ(later.headers.count("idempotent-replayed"), 0u);
  EXPECT_EQ(f.Replies(), 2);
  // The new answer replaced the expired one.
  EXPECT_EQ(f.Reply("daily", "same text").Header("idempotent-replayed"), "true");
  EXPECT_EQ(f.Replies(), 2);
}

TEST(IdempotencyKey, KeptAnswersAboutAnEndUserAreErasedWithThem) {
  Fixture f;
  ASSERT_EQ(f.Reply("before-erase", "a reply").status, 201);
  Response erase = f.server.client().PostJson("/v1/privacy/requests", f.officer,
                                              {{"type", "erase"}, {"end_user_id", f.end_user}});
  ASSERT_EQ(erase.status, 202) << erase.body;
  auto counts = erase.Json()["result"]["certificate"]["counts"];
  EXPECT_EQ(counts["idempotent_responses"], 1) << counts;
}

}  // namespace
}  // namespace convault
