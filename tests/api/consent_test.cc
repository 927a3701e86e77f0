// Consent (PRIVACY.md section 6) through a real server: the ledger and its
// derived state, keywords with their replies, and outbound refusals.
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

  explicit Fixture(const nlohmann::json& consent = nlohmann::json::object()) {
    auto& c = server.client();
    nlohmann::json body = {{"type", "byoc"},
                           {"name", "site"},
                           {"acknowledgment", {{"enabled", true}, {"text", "Recorded."}}}};
    if (!consent.empty()) body["consent"] = consent;
    Response ch = c.PostJson("/v1/channels", server.admin_key(), body);
    EXPECT_EQ(ch.status, 201) << ch.body;
    channel = ch.Json()["id"];
    integration = server.CreateKey(server.admin_key(), {"integration"}).second;
    officer = server.CreateKey(server.admin_key(), {"privacy_officer"}).second;
    agent = server.CreateKey(server.admin_key(), {"agent"}).second;
  }
  nlohmann::json In(const std::string& id, const std::string& text) {
    server.clock().Advance(absl::Seconds(1));
    Response r = server.client().PostJson(
        "/v1/channels/" + channel + "/inbound", integration,
        {{"message_id", id}, {"from", {{"platform_key", "consent-person"}}}, {"text", text}});
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Json();
  }
  Response Reply(const std::string& session) {
    return server.client().PostJson("/v1/sessions/" + session + "/entries", agent,
                                    {{"text", "an offer"}});
  }
  nlohmann::json Entries(const std::string& session) {
    return server.client().Get("/v1/sessions/" + session + "/entries", officer).Json()["items"];
  }
};

TEST(ConsentApi, StopOptsOutWithOneConfirmationAndStartOptsBackIn) {
  Fixture f;
  auto first = f.In("m-1", "hello");
  std::string session = first["session_id"], user = first["end_user_id"];
  ASSERT_EQ(f.Reply(session).status, 201);  // implicit: a customer who wrote

  auto stop = f.In("m-2", "  stop ");
  EXPECT_TRUE(stop["acknowledgment_entry_id"].is_null());
  auto items = f.Entries(session);
  ASSERT_GE(items.size(), 2u);
  auto last = items[items.size() - 1];
  EXPECT_EQ(last["actor_type"], "system");
  EXPECT_NE(last["text"].get<std::string>().find("unsubscribed"), std::string::npos);
  ExpectProblem(f.Reply(session), 409, "opted_out");
  auto state = f.server.client().Get("/v1/end-users/" + user + "/consent", f.officer);
  ASSERT_EQ(state.status, 200) << state.body;
  auto state_items = state.Json()["items"];
  bool messaging_out = false;
  for (const auto& x : state_items) {
    if (x["purpose"] == "messaging") messaging_out = x["status"] == "opted_out";
  }
  EXPECT_TRUE(messaging_out);

  // HELP is answered; START opts back in (its confirmation goes out).
  auto help = f.In("m-3", "HELP");
  EXPECT_NE(f.Entries(session).back()["text"].get<std::string>().find("STOP"), std::string::npos);
  f.In("m-4", "Start");
  EXPECT_EQ(f.Reply(session).status, 201);
  auto history = f.server.client().Get("/v1/end-users/" + user + "/consent/history", f.officer);
  ASSERT_EQ(history.status, 200);
  auto records = history.Json()["items"];
  std::vector<std::string> statuses;
  for (const auto& r : records) {
    if (r["purpose"] == "messaging") statuses.push_back(r["status"]);
  }
  EXPECT_EQ(statuses, (std::vector<std::string>{"opted_out", "opted_in"}));
  EXPECT_EQ(records[1]["source"], "keyword");
  EXPECT_EQ(records[1]["evidence"]["keyword"], "STOP");
}

TEST(ConsentApi, NoAcknowledgmentForSomeoneWhoOptedOutAndAKeywordIsWholeMessageOnly) {
  Fixture f;
  auto first = f.In("m-1", "hello");
  std::string session = first["session_id"], user = first["end_user_id"];
  f.In("m-2", "please stop calling me");  // not a keyword
  EXPECT_EQ(f.Reply(session).status, 201);
  f.In("m-3", "STOP");
  ASSERT_EQ(f.server.client()
                .Send("POST", "/v1/sessions/" + session + "/end", f.server.admin_key())
                .status,
            200);
  auto again = f.In("m-4", "hello again");
  EXPECT_NE(again["session_id"], session);
  EXPECT_TRUE(again["acknowledgment_entry_id"].is_null());
  ExpectProblem(f.Reply(again["session_id"]), 409, "opted_out");
}

TEST(ConsentApi, RequiredLevelRefusesOutboundUntilRecorded) {
  Fixture f({{"required_level", "opted_in"}, {"replies", {{"opt_in", "Welcome back!"}}}});
  auto first = f.In("m-1", "hello");
  std::string session = first["session_id"], user = first["end_user_id"];
  ExpectProblem(f.Reply(session), 409, "consent_required");
  auto& c = f.server.client();
  Response rec = c.PostJson("/v1/end-users/" + user + "/consent", f.server.admin_key(),
                            {{"purpose", "messaging"},
                             {"status", "opted_in"},
                             {"source", "web_form"},
                             {"evidence", {{"form", "signup-2026"}, {"email", "x@example.org"}}},
                             {"channel_id", f.channel}});
  ASSERT_EQ(rec.status, 201) << rec.body;
  EXPECT_EQ(f.Reply(session).status, 201);
  // Evidence is sealed in the store and opened for the privacy officer.
  auto history = c.Get("/v1/end-users/" + user + "/consent/history", f.officer).Json()["items"];
  EXPECT_EQ(history.back()["evidence"]["form"], "signup-2026");
  // The channel's own reply text.
  f.In("m-2", "yes");
  EXPECT_EQ(f.Entries(session).back()["text"], "Welcome back!");
}

TEST(ConsentApi, AnErasedPersonWhoOptedOutIsSuppressedWhenTheyWriteAgain) {
  Fixture f;
  auto& c = f.server.client();
  auto first = f.In("m-1", "hello");
  f.In("m-2", "STOP");
  auto erased = c.PostJson("/v1/privacy/requests", f.officer,
                           {{"type", "erase"}, {"end_user_id", first["end_user_id"]}});
  ASSERT_EQ(erased.Json()["status"], "completed") << erased.body;
  // Same platform key: a new end user, but on the suppression list.
  auto again = f.In("m-3", "hello again");
  EXPECT_NE(again["end_user_id"], first["end_user_id"]);
  EXPECT_TRUE(again["acknowledgment_entry_id"].is_null());
  ExpectProblem(f.Reply(again["session_id"]), 409, "opted_out");
  auto history =
      c.Get("/v1/end-users/" + again["end_user_id"].get<std::string>() + "/consent/history",
            f.officer)
          .Json()["items"];
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0]["status"], "opted_out");
  EXPECT_EQ(history[0]["source"], "import");
  // They may opt back in.
  f.In("m-4", "START");
  EXPECT_EQ(f.Reply(again["session_id"]).status, 201);
  // Someone erased without an opt-out is not suppressed.
  Fixture g;
  auto other = g.In("m-1", "hello");
  ASSERT_EQ(g.server.client()
                .PostJson("/v1/privacy/requests", g.officer,
                          {{"type", "erase"}, {"end_user_id", other["end_user_id"]}})
                .Json()["status"],
            "completed");
  auto back = g.In("m-2", "hello again");
  EXPECT_FALSE(back["acknowledgment_entry_id"].is_null());
  EXPECT_EQ(g.Reply(back["session_id"]).status, 201);
}

TEST(ConsentApi, BadInputRolesAndRequiredKeywords) {
  Fixture f;
  auto first = f.In("m-1", "hello");
  std::string user = first["end_user_id"];
  auto& c = f.server.client();
  std::string path = "/v1/end-users/" + user + "/consent";
  ExpectProblem(c.PostJson(path, f.officer, {{"purpose", "spam"}, {"status", "opted_in"}}), 400,
                "invalid_request");
  ExpectProblem(c.PostJson(path, f.officer, {{"purpose", "messaging"}, {"status", "maybe"}}), 400,
                "invalid_request");
  ExpectProblem(
      c.PostJson(path, f.officer,
                 {{"purpose", "messaging"}, {"status", "opted_in"}, {"channel_id", "ch_x"}}),
      400, "invalid_request");
  ExpectProblem(c.PostJson(path, f.agent, {{"purpose", "messaging"}, {"status", "opted_in"}}), 403,
                "forbidden");
  ExpectProblem(c.Get(path, f.agent), 403, "forbidden");
  ExpectProblem(c.Get("/v1/end-users/eu_missing/consent", f.officer), 404, "not_found");
  // STOP, START and HELP cannot be removed from a channel's lists.
  for (const char* field : {"opt_out_keywords", "opt_in_keywords", "help_keywords"}) {
    ExpectProblem(c.PostJson("/v1/channels", f.server.admin_key(),
                             {{"type", "byoc"}, {"name", "k"}, {"consent", {{field, {"NOPE"}}}}}),
                  400, "invalid_request");
  }
  Response ok = c.PostJson(
      "/v1/channels", f.server.admin_key(),
      {{"type", "byoc"}, {"name", "k2"}, {"consent", {{"opt_out_keywords", {"stop", "ARRET"}}}}});
  EXPECT_EQ(ok.status, 201) << ok.body;
}

}  // namespace
}  // namespace convault
