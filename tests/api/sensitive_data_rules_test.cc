#include <set>

#include "common/ids.h"
#include "common/log.h"
#include "gtest/gtest.h"
#include "support/problem_matchers.h"
#include "support/test_server.h"

namespace convault {
namespace {

using testing::ExpectProblem;
using testing::Response;
using testing::TestServer;

TEST(SensitiveDataRulesApi, ListsTheBuiltInDetectors) {
  TestServer server;
  Response r = server.client().Get("/v1/sensitive-data-rules/detectors", server.admin_key());
  ASSERT_EQ(r.status, 200) << r.body;
  std::set<std::string> ids;
  nlohmann::json body = r.Json();
  for (const auto& d : body["items"]) {
    ids.insert(d["id"].get<std::string>());
    EXPECT_FALSE(d["description"].get<std::string>().empty());
  }
  for (std::string id : {"credit_card", "us_ssn", "iban", "email", "phone", "ipv4", "ipv6",
                         "us_itin", "us_passport", "date_of_birth", "api_key", "bank_routing"}) {
    EXPECT_EQ(ids.count(id), 1u) << id;
  }
}

TEST(SensitiveDataRulesApi, PreviewMasksWithoutStoringOrLoggingTheText) {
  std::vector<std::string> lines;
  absl::Mutex mu;
  log::SetObserverForTesting([&](std::string_view l) {
    absl::MutexLock lock(&mu);
    lines.emplace_back(l);
  });
  TestServer server;
  Response r = server.client().PostJson("/v1/sensitive-data-rules/preview", server.admin_key(),
                                        {{"text", "card 4111 1111 1111 1111, ssn 123-45-6789"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.Json();
  EXPECT_EQ(j["text"], "card ***************1111, ssn [US_SSN]");
  ASSERT_EQ(j["findings"].size(), 2u);
  EXPECT_EQ(j["findings"][0]["detector"], "credit_card");
  EXPECT_EQ(j["findings"][0]["start"], 5);
  EXPECT_EQ(j["findings"][0]["end"], 24);
  EXPECT_EQ(j["findings"][0]["action"], "mask");
  EXPECT_TRUE(IsWellFormedId(j["findings"][0]["rule_id"].get<std::string>(), "rule"));
  server.Stop();
  log::SetObserverForTesting(nullptr);
  absl::MutexLock lock(&mu);
  for (const auto& l : lines) EXPECT_EQ(l.find("4111"), std::string::npos) << l;
}

TEST(SensitiveDataRulesApi, PreviewRefusesBadInputAndNonAdmins) {
  TestServer server;
  auto& c = server.client();
  ExpectProblem(c.PostJson("/v1/sensitive-data-rules/preview", server.admin_key(), {{"txt", "x"}}),
                400, "invalid_request");
  ExpectProblem(c.PostJson("/v1/sensitive-data-rules/preview", server.admin_key(),
                           {{"text", "x"}, {"actor_type", "robot"}}),
                400, "invalid_request");
  ExpectProblem(c.PostJson("/v1/sensitive-data-rules/preview", server.admin_key(),
                           {{"text", std::string(70000, 'a')}}),
                400, "invalid_request");
  auto [id, agent] = server.CreateKey(server.admin_key(), {"agent"});
  ExpectProblem(c.PostJson("/v1/sensitive-data-rules/preview", agent, {{"text", "x"}}), 403,
                "forbidden");
  ExpectProblem(c.Get("/v1/sensitive-data-rules/detectors", agent), 403, "forbidden");
}

Response Patch(testing::HttpClient& c, const std::string& target, const std::string& key,
               const nlohmann::json& body) {
  return c.Send("PATCH", target, key, body.dump(), {{"Content-Type", "application/json"}});
}

TEST(SensitiveDataRulesApi, ANewTenantHasTheDefaultRules) {
  TestServer server;
  Response r = server.client().Get("/v1/sensitive-data-rules", server.admin_key());
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.Json();
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(r.Header("x-rule-set-version"), "1");
  ASSERT_EQ(j["items"].size(), 2u);
  std::set<std::string> detectors;
  for (const auto& rule : j["items"]) {
    detectors.insert(rule["detector"].get<std::string>());
    EXPECT_TRUE(rule["enabled"].get<bool>());
    if (rule["detector"] == "credit_card") {
      EXPECT_EQ(rule["action"], "mask");
      EXPECT_EQ(rule["keep_last"], 4);
    } else {
      EXPECT_EQ(rule["action"], "replace");
    }
  }
  EXPECT_EQ(detectors, (std::set<std::string>{"credit_card", "us_ssn"}));
}

TEST(SensitiveDataRulesApi, CrudChangesTheVersionAndThePreview) {
  TestServer server;
  auto& c = server.client();
  const std::string& key = server.admin_key();
  Response created = c.PostJson("/v1/sensitive-data-rules", key,
                                {{"name", "Order numbers"},
                                 {"description", "our order ids"},
                                 {"pattern", "ORD-[0-9]{8}"},
                                 {"priority", 5},
                                 {"action", "replace"},
                                 {"replacement", "[ORDER]"},
                                 {"applies_to", {"end_user", "agent"}}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto rule = created.Json();
  std::string id = rule["id"];
  EXPECT_EQ(created.Header("location"), "/v1/sensitive-data-rules/" + id);
  EXPECT_EQ(created.Header("x-rule-set-version"), "2");
  EXPECT_EQ(rule["pattern"], "ORD-[0-9]{8}");
  EXPECT_TRUE(rule["detector"].is_null());
  EXPECT_EQ(rule["applies_to"], nlohmann::json({"end_user", "agent"}));

  auto preview = [&](const std::string& text, const std::string& actor) {
    return c
        .PostJson("/v1/sensitive-data-rules/preview", key, {{"text", text}, {"actor_type", actor}})
        .Json();
  };
  auto p = preview("order ORD-12345678 ok", "end_user");
  EXPECT_EQ(p["text"], "order [ORDER] ok");
  EXPECT_EQ(p["version"], 2);
  EXPECT_EQ(p["findings"][0]["rule_id"], id);
  EXPECT_EQ(p["findings"][0]["detector"], "custom");
  EXPECT_EQ(preview("order ORD-12345678 ok", "bot")["text"], "order ORD-12345678 ok");

  Response patched = Patch(c, "/v1/sensitive-data-rules/" + id, key,
                           {{"action", "mask"}, {"mask_char", "#"}, {"keep_last", 2}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.Json()["name"], "Order numbers");  // untouched fields stay
  EXPECT_EQ(patched.Header("x-rule-set-version"), "3");
  EXPECT_EQ(preview("order ORD-12345678 ok", "agent")["text"], "order ##########78 ok");

  Response got = c.Get("/v1/sensitive-data-rules/" + id, key);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.Json()["action"], "mask");

  // Enabling a built-in detector.
  Response email =
      c.PostJson("/v1/sensitive-data-rules", key, {{"detector", "email"}, {"action", "tokenize"}});
  ASSERT_EQ(email.status, 201) << email.body;
  EXPECT_EQ(email.Json()["name"], "email");
  EXPECT_EQ(preview("mail a@b.io", "end_user")["text"], "mail [TOKEN:1]");

  Response deleted = c.Send("DELETE", "/v1/sensitive-data-rules/" + id, key);
  EXPECT_EQ(deleted.status, 204);
  EXPECT_EQ(deleted.Header("x-rule-set-version"), "5");
  ExpectProblem(c.Get("/v1/sensitive-data-rules/" + id, key), 404, "not_found");
  EXPECT_EQ(preview("order ORD-12345678 ok", "agent")["text"], "order ORD-12345678 ok");
  EXPECT_EQ(c.Get("/v1/sensitive-data-rules", key).Json()["version"], 5);
}

TEST(SensitiveDataRulesApi, BadRulesAreRefusedWithTheReasonAndNothingChanges) {
  TestServer server;
  auto& c = server.client();
  const std::string& key = server.admin_key();
  auto field_of = [](const Response& r) {
    auto j = r.Json();
    return j["errors"].empty() ? std::string() : j["errors"][0]["field"].get<std::string>();
  };
  struct Case {
    nlohmann::json body;
    std::string field;
  };
  std::vector<Case> cases = {
      {{{"pattern", "(unclosed"}}, "pattern"},
      {{{"pattern", "x*"}}, "pattern"},  // matches the empty string
      {{{"pattern", "(a)\\1"}}, "pattern"},
      {{{"pattern", std::string(1001, 'a')}}, "pattern"},
      {{{"detector", "no_such_thing"}}, "detector"},
      {{{"detector", "email"}, {"pattern", "x"}}, "detector"},
      {{{"name", "no pattern"}}, "detector"},
      {{{"pattern", "x"}, {"action", "shred"}}, "action"},
      {{{"pattern", "x"}, {"priority", -1}}, "priority"},
      {{{"pattern", "x"}, {"priority", 1e30}}, "priority"},
      {{{"pattern", "x"}, {"mask_char", "ab"}}, "mask_char"},
      {{{"pattern", "x"}, {"applies_to", {"customer"}}}, "applies_to"},
      {{{"pattern", "x"}, {"applies_to", "agent"}}, "applies_to"},
      {{{"pattern", "x"}, {"channel_ids", {1, 2}}}, "channel_ids"},
      {{{"pattern", "x"}, {"enabled", "yes"}}, "enabled"},
      {{{"pattern", "x"}, {"id", "rule_mine"}}, "id"},
      {{{"pattern", "x"}, {"colour", "red"}}, "colour"},
  };
  for (const Case& k : cases) {
    Response r = c.PostJson("/v1/sensitive-data-rules", key, k.body);
    ExpectProblem(r, 400, "invalid_request");
    EXPECT_EQ(field_of(r), k.field) << k.body.dump() << " -> " << r.body;
    EXPECT_FALSE(r.Json()["errors"][0]["message"].get<std::string>().empty());
  }
  ExpectProblem(c.Send("POST", "/v1/sensitive-data-rules", key, "[1,2",
                       {{"Content-Type", "application/json"}}),
                400, "invalid_request");
  ExpectProblem(c.Send("POST", "/v1/sensitive-data-rules", key, "{\"pattern\": \"\xff\"}",
                       {{"Content-Type", "application/json"}}),
                400, "invalid_request");
  // Nothing was stored and the version did not move.
  auto list = c.Get("/v1/sensitive-data-rules", key).Json();
  EXPECT_EQ(list["version"], 1);
  EXPECT_EQ(list["items"].size(), 2u);

  // A PATCH that breaks a stored rule is refused and leaves it as it was.
  std::string id = list["items"][0]["id"];
  ExpectProblem(Patch(c, "/v1/sensitive-data-rules/" + id, key, {{"detector", nullptr}}), 400,
                "invalid_request");
  ExpectProblem(
      Patch(c, "/v1/sensitive-data-rules/" + id, key, {{"detector", nullptr}, {"pattern", "(("}}),
      400, "invalid_request");
  ExpectProblem(Patch(c, "/v1/sensitive-data-rules/rule_nosuchrule", key, {{"enabled", false}}),
                404, "not_found");
  ExpectProblem(Patch(c, "/v1/sensitive-data-rules/not-an-id", key, {{"enabled", false}}), 404,
                "not_found");
  EXPECT_EQ(c.Get("/v1/sensitive-data-rules", key).Json()["version"], 1);

  auto [agent_id, agent] = server.CreateKey(key, {"agent"});
  ExpectProblem(c.Get("/v1/sensitive-data-rules", agent), 403, "forbidden");
  ExpectProblem(c.PostJson("/v1/sensitive-data-rules", agent, {{"pattern", "x"}}), 403,
                "forbidden");
}

TEST(SensitiveDataRulesApi, AnotherTenantsRulesAreInvisible) {
  TestServer server;
  auto& c = server.client();
  auto [tenant_b, admin_b] = server.CreateTenant("beta");
  Response created =
      c.PostJson("/v1/sensitive-data-rules", admin_b, {{"pattern", "SECRET-[0-9]+"}});
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = created.Json()["id"];
  const std::string& a = server.admin_key();
  Response foreign = c.Get("/v1/sensitive-data-rules/" + id, a);
  ExpectProblem(foreign, 404, "not_found");
  Response missing = c.Get("/v1/sensitive-data-rules/rule_doesnotexist000000", a);
  EXPECT_EQ(foreign.Json()["detail"], missing.Json()["detail"]);
  ExpectProblem(Patch(c, "/v1/sensitive-data-rules/" + id, a, {{"enabled", false}}), 404,
                "not_found");
  ExpectProblem(c.Send("DELETE", "/v1/sensitive-data-rules/" + id, a), 404, "not_found");
  auto a_rules = c.Get("/v1/sensitive-data-rules", a).Json();
  for (const auto& r : a_rules["items"]) {
    EXPECT_NE(r["id"], id);
  }
  // A's preview does not use B's rule; B's does.
  auto pa = c.PostJson("/v1/sensitive-data-rules/preview", a, {{"text", "SECRET-42"}}).Json();
  EXPECT_EQ(pa["text"], "SECRET-42");
  auto pb = c.PostJson("/v1/sensitive-data-rules/preview", admin_b, {{"text", "SECRET-42"}}).Json();
  EXPECT_EQ(pb["text"], "[REDACTED]");
  EXPECT_TRUE(c.Get("/v1/sensitive-data-rules/" + id, admin_b).status == 200);
}

}  // namespace
}  // namespace convault
