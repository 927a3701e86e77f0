// POST /v1/channels/{id}/inbound and the conversation reads, through a real
// server: masking, sealing, idempotency, end users, sessions, acknowledgment.
#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "messaging/token_vault.h"
#include "support/problem_matchers.h"
#include "support/test_server.h"

namespace convault {
namespace {

using testing::ExpectProblem;
using testing::Response;
using testing::TestServer;

constexpr char kCard[] = "4111 1111 1111 1111";
constexpr char kEmail[] = "canary.person@example.org";
constexpr char kName[] = "Canary Zebulon Person";
constexpr char kKey[] = "visitor-CANARY-77f1";

struct Fixture {
  // Replies stay queued: the delivery worker does not run on its own.
  TestServer server{[](Config& c) { c.messaging.delivery_interval_ms = 3600 * 1000; }};
  std::string channel;
  std::string integration;

  Fixture() {
    auto& c = server.client();
    Response ch = c.PostJson("/v1/channels", server.admin_key(),
                             {{"type", "byoc"},
                              {"name", "site"},
                              {"outbound_url", "http://127.0.0.1:9/replies"},
                              {"acknowledgment",
                               {{"enabled", true},
                                {"text", "This chat is recorded."},
                                {"locales", {{"fr", "Cette conversation est enregistree."}}}}}});
    EXPECT_EQ(ch.status, 201) << ch.body;
    channel = ch.Json()["id"];
    integration = server.CreateKey(server.admin_key(), {"integration"}).second;
    // Emails are masked too, for these tests.
    EXPECT_EQ(
        c.PostJson("/v1/sensitive-data-rules", server.admin_key(), {{"detector", "email"}}).status,
        201);
  }
  Response Post(const nlohmann::json& body) {
    return server.client().PostJson("/v1/channels/" + channel + "/inbound", integration, body);
  }
};

nlohmann::json Message(const std::string& id, const std::string& text) {
  return {{"message_id", id},
          {"from", {{"platform_key", kKey}, {"name", kName}, {"locale", "fr-CA"}}},
          {"text", text}};
}

TEST(InboundApi, MasksSealsAcknowledgesAndAnswersAfterCommit) {
  Fixture f;
  auto& c = f.server.client();
  nlohmann::json first = Message("m-1", std::string("card ") + kCard + ", mail " + kEmail);
  first["context"] = {{"order", "A-1"}, {"contact_email", kEmail}};
  first["payload"] = {{"buttons", {{{"title", std::string("pay with ") + kCard}}}}};
  Response r = f.Post(first);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.Json();
  EXPECT_FALSE(j["duplicate"].get<bool>());
  std::string session = j["session_id"], user = j["end_user_id"], entry = j["entry_id"];
  EXPECT_EQ(session.rfind("ses_", 0), 0u);
  EXPECT_EQ(user.rfind("eu_", 0), 0u);
  ASSERT_TRUE(j["acknowledgment_entry_id"].is_string());
  // Card in text and payload, email in text and a context value.
  std::map<std::string, int> counts;
  for (const auto& x : j["redactions"]) counts[x["detector"]] = x["count"];
  EXPECT_EQ(counts["credit_card"], 2);
  EXPECT_EQ(counts["email"], 2);

  // The stored entries: masked text, the acknowledgment in the end user's language.
  Response entries = c.Get("/v1/sessions/" + session + "/entries", f.server.admin_key());
  ASSERT_EQ(entries.status, 200) << entries.body;
  auto items = entries.Json()["items"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["id"], entry);
  EXPECT_EQ(items[0]["seq"], 1);
  EXPECT_EQ(items[0]["actor_type"], "end_user");
  EXPECT_EQ(items[0]["actor_name"], kName);
  EXPECT_EQ(items[0]["text"], "card ***************1111, mail [EMAIL]");
  EXPECT_EQ(items[0]["payload"]["buttons"][0]["title"], "pay with ***************1111");
  EXPECT_EQ(items[0]["message_id"], "m-1");
  EXPECT_EQ(items[0]["redactions"]["credit_card"], 2);
  EXPECT_EQ(items[1]["actor_type"], "system");
  EXPECT_EQ(items[1]["direction"], "outbound");
  EXPECT_EQ(items[1]["text"], "Cette conversation est enregistree.");
  EXPECT_EQ(items[1]["delivery_status"], "queued");
  EXPECT_EQ(entries.body.find(kCard), std::string::npos);

  auto context = c.Get("/v1/sessions/" + session + "/context", f.server.admin_key()).Json();
  ASSERT_EQ(context["items"].size(), 2u);
  EXPECT_EQ(context["items"][0]["value"].get<std::string>().find(kEmail), std::string::npos);

  auto s = c.Get("/v1/sessions/" + session, f.server.admin_key()).Json();
  EXPECT_EQ(s["status"], "waiting");
  EXPECT_EQ(s["participants"][0]["display_name"], kName);
  EXPECT_EQ(s["participants"][0]["role"], "end_user");

  // The acknowledgment shown is consent evidence, with its version.
  auto consent = f.server.app().store().ListConsent(f.server.tenant_id(), user);
  ASSERT_TRUE(consent.ok());
  ASSERT_EQ(consent->size(), 1u);
  EXPECT_EQ(consent->at(0).source, "acknowledgment");
  EXPECT_EQ(consent->at(0).purpose, "transcript_storage");
  EXPECT_EQ(nlohmann::json::parse(consent->at(0).evidence)["acknowledgment_version"], 1);

  auto eu = c.Get("/v1/end-users/" + user, f.server.admin_key()).Json();
  EXPECT_EQ(eu["platform_key"], kKey);
  EXPECT_EQ(eu["name"], kName);
  EXPECT_TRUE(eu["has_initial_response_sent"].get<bool>());
  // Exact lookup by platform key (case-insensitive ids).
  auto found = c.Get("/v1/end-users?channel_id=" + f.channel + "&platform_key=VISITOR-canary-77F1",
                     f.server.admin_key())
                   .Json();
  ASSERT_EQ(found["items"].size(), 1u);
  EXPECT_EQ(found["items"][0]["id"], user);
  EXPECT_TRUE(c.Get("/v1/end-users?channel_id=" + f.channel + "&platform_key=someone-else",
                    f.server.admin_key())
                  .Json()["items"]
                  .empty());
}

// The commit finds a repeated message_id (there is no lookup before it): a
// repeat that would open a session or an end user of its own still answers
// the first message's ids and stores nothing.
TEST(InboundApi, RepeatsStoreNothingEvenWhenTheyWouldOpenASessionOrAnEndUser) {
  Fixture f;
  auto& c = f.server.client();
  auto first = f.Post(Message("m-1", "hello")).Json();
  const std::string session = first["session_id"].get<std::string>();
  ASSERT_EQ(c.PostJson("/v1/sessions/" + session + "/end", f.server.admin_key(), {}).status, 200);
  auto after_end = f.Post(Message("m-1", "hello")).Json();
  EXPECT_TRUE(after_end["duplicate"].get<bool>());
  EXPECT_EQ(after_end["session_id"], session);
  EXPECT_EQ(after_end["entry_id"], first["entry_id"]);
  nlohmann::json other = Message("m-1", "from someone else");
  other["from"]["platform_key"] = "visitor-2";
  auto from_other = f.Post(other).Json();
  EXPECT_TRUE(from_other["duplicate"].get<bool>());
  EXPECT_EQ(from_other["end_user_id"], first["end_user_id"]);
  auto sessions = c.Get("/v1/sessions?channel_id=" + f.channel, f.server.admin_key()).Json();
  EXPECT_EQ(sessions["items"].size(), 1u);
  auto others = c.Get("/v1/end-users?channel_id=" + f.channel + "&platform_key=visitor-2",
                      f.server.admin_key())
                    .Json();
  EXPECT_TRUE(others["items"].empty());
  auto entries = c.Get("/v1/sessions/" + session + "/entries", f.server.admin_key()).Json();
  EXPECT_EQ(entries["items"].size(), 2u);  // m-1 and its acknowledgment
}

TEST(InboundApi, RepeatsAreAnsweredReturningUsersContinueTheirSession) {
  Fixture f;
  auto& c = f.server.client();
  auto first = f.Post(Message("m-1", "hello")).Json();
  auto repeat = f.Post(Message("m-1", "hello again, different text")).Json();
  EXPECT_TRUE(repeat["duplicate"].get<bool>());
  EXPECT_EQ(repeat["entry_id"], first["entry_id"]);
  EXPECT_EQ(repeat["session_id"], first["session_id"]);
  auto second = f.Post(Message("m-2", "it is me again")).Json();
  EXPECT_FALSE(second["duplicate"].get<bool>());
  EXPECT_EQ(second["end_user_id"], first["end_user_id"]);
  EXPECT_EQ(second["session_id"], first["session_id"]);
  EXPECT_TRUE(second["acknowledgment_entry_id"].is_null());  // once per session
  auto items = c.Get("/v1/sessions/" + first["session_id"].get<std::string>() + "/entries",
                     f.server.admin_key())
                   .Json()["items"];
  ASSERT_EQ(items.size(), 3u);  // m-1, acknowledgment, m-2
  EXPECT_EQ(items[2]["seq"], 3);
  EXPECT_EQ(items[2]["text"], "it is me again");
  // Another visitor gets their own end user and session.
  nlohmann::json other = Message("m-3", "hi");
  other["from"]["platform_key"] = "visitor-2";
  auto third = f.Post(other).Json();
  EXPECT_NE(third["end_user_id"], first["end_user_id"]);
  EXPECT_NE(third["session_id"], first["session_id"]);
  auto sessions = c.Get("/v1/sessions?channel_id=" + f.channel, f.server.admin_key()).Json();
  EXPECT_EQ(sessions["items"].size(), 2u);
  auto mine = c.Get("/v1/sessions?end_user_id=" + first["end_user_id"].get<std::string>(),
                    f.server.admin_key())
                  .Json();
  EXPECT_EQ(mine["items"].size(), 1u);
}

TEST(InboundApi, BadInputIsRefusedAndNothingIsStored) {
  Fixture f;
  auto& c = f.server.client();
  auto field_of = [](const Response& r) {
    auto j = r.Json();
    return j.contains("errors") && !j["errors"].empty() ? j["errors"][0]["field"].get<std::string>()
                                                        : std::string();
  };
  struct Case {
    nlohmann::json body;
    std::string field;
  };
  nlohmann::json ok = Message("m-x", "hello");
  auto without = [&](const std::string& k) {
    nlohmann::json b = ok;
    b.erase(k);
    return b;
  };
  auto with = [&](const std::string& k, nlohmann::json v) {
    nlohmann::json b = ok;
    b[k] = std::move(v);
    return b;
  };
  nlohmann::json deep = "x";
  for (int i = 0; i < 40; ++i) deep = nlohmann::json::array({deep});
  std::vector<Case> cases = {
      {without("message_id"), "message_id"},
      {with("message_id", ""), "message_id"},
      {with("message_id", 12), "message_id"},
      {without("from"), "from"},
      {with("from", {{"name", "x"}}), "from.platform_key"},
      {with("from", "someone"), "from"},
      {without("text"), "text"},
      {with("text", std::string(64 * 1024 + 1, 'a')), "text"},
      {with("text", 5), "text"},
      {with("payload", "not an object"), "payload"},
      {with("context", {{"k", 1}}), "context"},
      {with("sent_at", "yesterday"), "sent_at"},
      {with("extra", 1), "extra"},
  };
  for (const Case& k : cases) {
    Response r = f.Post(k.body);
    ExpectProblem(r, 400, "invalid_request");
    EXPECT_EQ(field_of(r), k.field) << k.body.dump().substr(0, 200) << " -> " << r.body;
  }
  ExpectProblem(f.Post(with("payload", {{"deep", deep}})), 400, "invalid_request");
  ExpectProblem(
      c.Send("POST", "/v1/channels/" + f.channel + "/inbound", f.integration,
             "{\"message_id\": \"m\", \"from\": {\"platform_key\": \"a\"}, \"text\": \"\xc3\x28\"}",
             {{"Content-Type", "application/json"}}),
      400, "invalid_request");
  ExpectProblem(c.PostJson("/v1/channels/ch_doesnotexist00000000/inbound", f.integration, ok), 404,
                "not_found");
  ExpectProblem(c.PostJson("/v1/channels/" + f.channel + "/inbound", f.server.admin_key(), ok), 403,
                "forbidden");
  auto [tenant_b, admin_b] = f.server.CreateTenant("beta");
  auto integration_b = f.server.CreateKey(admin_b, {"integration"}).second;
  ExpectProblem(c.PostJson("/v1/channels/" + f.channel + "/inbound", integration_b, ok), 404,
                "not_found");
  EXPECT_TRUE(c.Get("/v1/sessions", f.server.admin_key()).Json()["items"].empty());
  // A valid message still goes through afterwards.
  EXPECT_EQ(f.Post(ok).status, 200);
}

TEST(InboundApi, AnotherTenantSeesNoneOfIt) {
  Fixture f;
  auto& c = f.server.client();
  auto j = f.Post(Message("m-1", "hello")).Json();
  auto [tenant_b, admin_b] = f.server.CreateTenant("beta");
  std::string session = j["session_id"], user = j["end_user_id"];
  ExpectProblem(c.Get("/v1/sessions/" + session, admin_b), 404, "not_found");
  ExpectProblem(c.Get("/v1/sessions/" + session + "/entries", admin_b), 404, "not_found");
  ExpectProblem(c.Get("/v1/sessions/" + session + "/context", admin_b), 404, "not_found");
  ExpectProblem(c.Get("/v1/end-users/" + user, admin_b), 404, "not_found");
  EXPECT_TRUE(c.Get("/v1/sessions", admin_b).Json()["items"].empty());
  EXPECT_TRUE(c.Get("/v1/end-users?channel_id=" + f.channel + "&platform_key=" + kKey, admin_b)
                  .Json()["items"]
                  .empty());
}

TEST(InboundApi, DataFilesHoldNoPlaintextPersonalValues) {
  Fixture f;
  nlohmann::json m = Message("m-1", std::string("card ") + kCard + ", mail " + kEmail);
  m["context"] = {{"email", kEmail}};
  ASSERT_EQ(f.Post(m).status, 200);
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(f.Post(Message("m-" + std::to_string(i + 2), std::string("again ") + kEmail)).status,
              200);
  }
  f.server.Stop();  // the files as a crash or a backup would leave them (WAL included)
  int files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(f.server.data_dir())) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const char* canary : {kCard, kEmail, kName, kKey, "CANARY", "Zebulon"}) {
      EXPECT_EQ(bytes.find(canary), std::string::npos) << canary << " in " << e.path();
    }
    ++files;
  }
  EXPECT_GE(files, 2);
}

// The key caches are visible to operators: /metrics counts the data keys held
// and the keys holding pooled cipher contexts (bounded, docs/keys.md), and
// names nobody.
TEST(InboundApi, MetricsShowTheKeysHeldAndNoPersonalValues) {
  Fixture f;
  ASSERT_EQ(f.Post(Message("m-1", std::string("mail ") + kEmail)).status, 200);
  std::string metrics = f.server.client().Get("/metrics").body;
  auto value = [&](const std::string& name) -> double {
    size_t at = metrics.find("\n" + name + " ");
    if (at == std::string::npos) return -1;
    return std::stod(metrics.substr(at + name.size() + 2));
  };
  EXPECT_GE(value("convault_key_cache_keys"), 2);  // the tenant's key and the end user's
  EXPECT_GE(value("convault_crypto_keys_with_contexts"), 1);
  for (const char* canary : {kEmail, kName, kKey, "CANARY"}) {
    EXPECT_EQ(metrics.find(canary), std::string::npos) << canary;
  }
}

// The pipeline starts a sender's next message from what their last one found
// (IngestCache); changes made since, elsewhere, are caught by the commit and
// cost a retry, never a message stored in the wrong place.
TEST(InboundApi, ASendersNextMessageSeesChangesMadeElsewhereSince) {
  Fixture f;
  auto& c = f.server.client();
  std::string admin = f.server.admin_key();
  std::string officer = f.server.CreateKey(admin, {"privacy_officer"}).second;
  auto first = f.Post(Message("m-1", "hello")).Json();
  std::string user = first["end_user_id"], session = first["session_id"];
  // Ended by an agent: the next message opens a new session, acknowledged again.
  ASSERT_EQ(c.PostJson("/v1/sessions/" + session + "/end", admin, nlohmann::json::object()).status,
            200);
  auto second = f.Post(Message("m-2", "still there?")).Json();
  EXPECT_EQ(second["end_user_id"], user);
  EXPECT_NE(second["session_id"], session);
  EXPECT_TRUE(second["acknowledgment_entry_id"].is_string());
  session = second["session_id"];
  auto request = [&](const char* type) {
    Response r = c.PostJson("/v1/privacy/requests", officer,
                            {{"type", type}, {"end_user_id", user}, {"reason", "r"}});
    EXPECT_EQ(r.status / 100, 2) << r.body;
  };
  // Restricted: the message is stored in the open session.
  request("restrict");
  auto third = f.Post(Message("m-3", "and now?")).Json();
  EXPECT_EQ(third["end_user_id"], user);
  EXPECT_EQ(third["session_id"], session);
  // Erased: the same sender is a new end user, in a new session.
  request("erase");
  auto fourth = f.Post(Message("m-4", "hello again")).Json();
  EXPECT_NE(fourth["end_user_id"], user);
  EXPECT_NE(fourth["session_id"], session);
  EXPECT_TRUE(fourth["acknowledgment_entry_id"].is_string());
  ExpectProblem(c.Get("/v1/end-users/" + user, admin), 404, "not_found");
  EXPECT_EQ(c.Get("/v1/end-users/" + std::string(fourth["end_user_id"]), admin).status, 200);
}

TEST(InboundApi, AgentAndBotRepliesAreMaskedQueuedAndActivateTheSession) {
  Fixture f;
  auto& c = f.server.client();
  std::string session = f.Post(Message("m-1", "I need help")).Json()["session_id"];
  auto agent = f.server.CreateKey(f.server.admin_key(), {"agent"}).second;
  auto bot = f.server.CreateKey(f.server.admin_key(), {"bot"}).second;
  Response r = c.PostJson("/v1/sessions/" + session + "/entries", agent,
                          {{"text", std::string("I see card ") + kCard}, {"actor_name", "Sam"}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto e = r.Json();
  EXPECT_EQ(e["actor_type"], "agent");
  EXPECT_EQ(e["actor_name"], "Sam");
  EXPECT_EQ(e["text"], "I see card ***************1111");
  EXPECT_EQ(e["delivery_status"], "queued");
  EXPECT_EQ(e["direction"], "outbound");
  EXPECT_EQ(e["seq"], 3);  // after the message and the acknowledgment
  EXPECT_EQ(c.Get("/v1/sessions/" + session, f.server.admin_key()).Json()["status"], "active");
  Response b = c.PostJson("/v1/sessions/" + session + "/entries", bot,
                          {{"payload", {{"quick_replies", {"yes", "no"}}}}});
  ASSERT_EQ(b.status, 201) << b.body;
  EXPECT_EQ(b.Json()["actor_type"], "bot");
  EXPECT_EQ(b.Json()["payload"]["quick_replies"][1], "no");

  ExpectProblem(c.PostJson("/v1/sessions/" + session + "/entries", f.integration, {{"text", "x"}}),
                403, "forbidden");
  ExpectProblem(c.PostJson("/v1/sessions/" + session + "/entries", agent, {}), 400,
                "invalid_request");
  ExpectProblem(c.PostJson("/v1/sessions/" + session + "/entries", agent, {{"text", 1}}), 400,
                "invalid_request");
  ExpectProblem(
      c.PostJson("/v1/sessions/ses_doesnotexist000000000/entries", agent, {{"text", "x"}}), 404,
      "not_found");
  auto [tenant_b, admin_b] = f.server.CreateTenant("beta");
  auto agent_b = f.server.CreateKey(admin_b, {"agent"}).second;
  ExpectProblem(c.PostJson("/v1/sessions/" + session + "/entries", agent_b, {{"text", "x"}}), 404,
                "not_found");
  ExpectProblem(c.PostJson("/v1/sessions/" + session + "/end", agent_b, nlohmann::json::object()),
                404, "not_found");

  // Ending: no more replies; the customer's next message opens a new session.
  Response ended = c.PostJson("/v1/sessions/" + session + "/end", agent, nlohmann::json::object());
  ASSERT_EQ(ended.status, 200) << ended.body;
  EXPECT_EQ(ended.Json()["status"], "ended");
  EXPECT_EQ(ended.Json()["end_reason"], "agent");
  EXPECT_TRUE(ended.Json()["ended_at"].is_string());
  ExpectProblem(c.PostJson("/v1/sessions/" + session + "/entries", agent, {{"text", "late"}}), 409,
                "session_ended");
  ExpectProblem(c.PostJson("/v1/sessions/" + session + "/end", agent, nlohmann::json::object()),
                409, "session_ended");
  auto next = f.Post(Message("m-2", "me again")).Json();
  EXPECT_NE(next["session_id"], session);
  EXPECT_TRUE(next["acknowledgment_entry_id"].is_string());
}

TEST(InboundApi, IdleSessionsBecomeInactiveThenEndOnTheInjectedClock) {
  Fixture f;
  auto& c = f.server.client();
  std::string session = f.Post(Message("m-1", "hello")).Json()["session_id"];
  auto status = [&] {
    return c.Get("/v1/sessions/" + session, f.server.admin_key()).Json()["status"];
  };
  SessionSweeper* sweeper = f.server.app().sweeper();
  ASSERT_NE(sweeper, nullptr);
  f.server.clock().Advance(absl::Minutes(29));
  ASSERT_TRUE(sweeper->RunOnce().ok());
  EXPECT_EQ(status(), "waiting");
  f.server.clock().Advance(absl::Minutes(2));  // 31 minutes idle (channel default 30)
  auto swept = sweeper->RunOnce();
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(swept->made_inactive, 1);
  EXPECT_EQ(status(), "inactive");
  // The customer writes again: waiting, same session.
  EXPECT_EQ(f.Post(Message("m-2", "still there?")).Json()["session_id"], session);
  EXPECT_EQ(status(), "waiting");
  f.server.clock().Advance(absl::Minutes(31));
  ASSERT_TRUE(sweeper->RunOnce().ok());
  EXPECT_EQ(status(), "inactive");
  f.server.clock().Advance(absl::Hours(23));
  ASSERT_TRUE(sweeper->RunOnce().ok());
  EXPECT_EQ(status(), "inactive");
  f.server.clock().Advance(absl::Hours(2));
  auto ended = sweeper->RunOnce();
  EXPECT_EQ(ended->ended, 1);
  auto s = c.Get("/v1/sessions/" + session, f.server.admin_key()).Json();
  EXPECT_EQ(s["status"], "ended");
  EXPECT_EQ(s["end_reason"], "inactivity");
  auto filtered = c.Get("/v1/sessions?status=ended", f.server.admin_key()).Json();
  EXPECT_EQ(filtered["items"].size(), 1u);
  ExpectProblem(c.Get("/v1/sessions?status=closed", f.server.admin_key()), 400, "invalid_request");
}

TEST(InboundApi, TranscriptsAreCurrentWhileOpenAndSealedWhenEnded) {
  Fixture f;
  auto& c = f.server.client();
  std::string session = f.Post(Message("m-1", std::string("card ") + kCard + " <script>x</script>"))
                            .Json()["session_id"];
  auto agent = f.server.CreateKey(f.server.admin_key(), {"agent"}).second;
  ASSERT_EQ(c.PostJson("/v1/sessions/" + session + "/entries", agent,
                       {{"text", "Thanks, checking."}, {"actor_name", "Sam"}})
                .status,
            201);
  const std::string base = "/v1/sessions/" + session + "/transcript";
  Response open = c.Get(base, agent);
  ASSERT_EQ(open.status, 200) << open.body;
  EXPECT_EQ(open.Header("content-type"), "application/json");
  auto doc = open.Json();
  EXPECT_FALSE(doc["final"].get<bool>());
  ASSERT_EQ(doc["entries"].size(), 3u);
  EXPECT_EQ(doc["entries"][0]["text"], "card ***************1111 <script>x</script>");
  EXPECT_EQ(doc["entries"][2]["actor_name"], "Sam");

  Response text = c.Get(base + "?format=text", agent);
  ASSERT_EQ(text.status, 200);
  EXPECT_EQ(text.Header("content-type"), "text/plain; charset=utf-8");
  EXPECT_NE(text.body.find("agent (Sam): Thanks, checking."), std::string::npos) << text.body;
  EXPECT_EQ(text.body.find(kCard), std::string::npos);
  Response html = c.Get(base + "?format=html", agent);
  ASSERT_EQ(html.status, 200);
  EXPECT_EQ(html.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(html.body.find("<script>"), std::string::npos);
  EXPECT_NE(html.body.find("&lt;script&gt;"), std::string::npos);
  ExpectProblem(c.Get(base + "?format=pdf", agent), 400, "invalid_request");
  auto [tenant_b, admin_b] = f.server.CreateTenant("beta");
  ExpectProblem(c.Get(base, admin_b), 404, "not_found");

  ASSERT_EQ(c.PostJson("/v1/sessions/" + session + "/end", agent, nlohmann::json::object()).status,
            200);
  auto final_doc = c.Get(base, agent).Json();
  EXPECT_TRUE(final_doc["final"].get<bool>());
  EXPECT_TRUE(final_doc["ended_at"].is_string());
  EXPECT_EQ(final_doc["entries"].size(), 3u);
  auto stored = f.server.app().store().GetTranscript(f.server.tenant_id(), session);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->body_sealed.find("Thanks"), std::string::npos);
}

TEST(InboundApi, SessionsEndedBySweepGetTheirTranscriptFromTheJob) {
  Fixture f;
  std::string session = f.Post(Message("m-1", "hello")).Json()["session_id"];
  f.server.clock().Advance(absl::Minutes(31));
  ASSERT_TRUE(f.server.app().sweeper()->RunOnce().ok());
  f.server.clock().Advance(absl::Hours(25));
  ASSERT_EQ(f.server.app().sweeper()->RunOnce()->ended, 1);
  EXPECT_EQ(f.server.app().store().ListEndedWithoutTranscript(10)->size(), 1u);
  auto done = f.server.app().transcripts()->RunOnce();
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(*done, 1);
  EXPECT_TRUE(f.server.app().store().ListEndedWithoutTranscript(10)->empty());
  auto doc =
      f.server.client().Get("/v1/sessions/" + session + "/transcript", f.server.admin_key()).Json();
  EXPECT_TRUE(doc["final"].get<bool>());
}

TEST(InboundApi, TokenizedValuesAreKeptSealedUnderTheEndUsersKey) {
  Fixture f;
  auto& c = f.server.client();
  // Emails tokenized instead of replaced.
  auto rules = c.Get("/v1/sensitive-data-rules", f.server.admin_key()).Json();
  for (const auto& r : rules["items"]) {
    if (r["detector"] == "email") {
      ASSERT_EQ(c.Send("PATCH", "/v1/sensitive-data-rules/" + r["id"].get<std::string>(),
                       f.server.admin_key(), R"({"action":"tokenize"})",
                       {{"Content-Type", "application/json"}})
                    .status,
                200);
    }
  }
  auto j = f.Post(Message("m-1", std::string("write to ") + kEmail)).Json();
  auto items =
      c.Get("/v1/sessions/" + j["session_id"].get<std::string>() + "/entries", f.server.admin_key())
          .Json()["items"];
  std::string text = items[0]["text"];
  ASSERT_EQ(text.rfind("write to [TOKEN:tok_", 0), 0u) << text;
  std::string token = text.substr(text.find("tok_"), text.size() - text.find("tok_") - 1);
  auto row = f.server.app().store().GetToken(f.server.tenant_id(), token);
  ASSERT_TRUE(row.ok()) << row.status();
  EXPECT_EQ(row->end_user_id, j["end_user_id"]);
  EXPECT_EQ(row->entry_id, j["entry_id"]);
  EXPECT_EQ(row->value_sealed.find(kEmail), std::string::npos);
  TokenVault vault(f.server.app().field_cipher());
  auto opened = vault.Open(f.server.tenant_id(), row->end_user_id,
                           {row->token, row->rule_id, row->value_sealed});
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->Reveal(), kEmail);
  EXPECT_TRUE(absl::IsNotFound(f.server.app().store().GetToken("ten_other", token).status()));

  // A reply's payload strings are tokenized and kept the same way.
  auto agent = f.server.CreateKey(f.server.admin_key(), {"agent"}).second;
  Response reply = c.PostJson("/v1/sessions/" + j["session_id"].get<std::string>() + "/entries",
                              agent, {{"payload", {{"to", kEmail}}}});
  ASSERT_EQ(reply.status, 201) << reply.body;
  std::string to = reply.Json()["payload"]["to"];
  ASSERT_EQ(to.rfind("[TOKEN:tok_", 0), 0u) << to;
  auto reply_row =
      f.server.app().store().GetToken(f.server.tenant_id(), to.substr(7, to.size() - 8));
  ASSERT_TRUE(reply_row.ok()) << reply_row.status();
  EXPECT_EQ(vault
                .Open(f.server.tenant_id(), reply_row->end_user_id,
                      {reply_row->token, reply_row->rule_id, reply_row->value_sealed})
                ->Reveal(),
            kEmail);
}

TEST(InboundApi, ReapplyRemasksHistoryResumablyWithTheCurrentRules) {
  TestServer server;
  auto& c = server.client();
  const std::string& admin = server.admin_key();
  std::string channel =
      c.PostJson("/v1/channels", admin, {{"type", "byoc"}, {"name", "s"}}).Json()["id"];
  std::string integration = server.CreateKey(admin, {"integration"}).second;
  auto post = [&](const std::string& id, const std::string& who, const std::string& text) {
    nlohmann::json m = {{"message_id", id},
                        {"from", {{"platform_key", who}}},
                        {"text", text},
                        {"context", {{"email", kEmail}}},
                        {"payload", {{"note", std::string("mail ") + kEmail}}}};
    return c.PostJson("/v1/channels/" + channel + "/inbound", integration, m).Json();
  };
  // Stored before emails were a rule: kept as written.
  std::string s1 = post("m-1", "a", std::string("mail ") + kEmail)["session_id"];
  std::string s2 = post("m-2", "b", std::string("me: ") + kEmail)["session_id"];
  ASSERT_EQ(c.PostJson("/v1/sessions/" + s2 + "/end", admin, nlohmann::json::object()).status, 200);
  auto before = c.Get("/v1/sessions/" + s1 + "/entries", admin).Json()["items"];
  EXPECT_EQ(before[0]["text"], std::string("mail ") + kEmail);

  ASSERT_EQ(c.PostJson("/v1/sensitive-data-rules", admin, {{"detector", "email"}}).status, 201);
  Response started =
      c.PostJson("/v1/sensitive-data-rules/reapply", admin, nlohmann::json::object());
  ASSERT_EQ(started.status, 202) << started.body;
  std::string job = started.Json()["id"];
  EXPECT_EQ(started.Json()["status"], "running");
  EXPECT_EQ(started.Header("location"), "/v1/jobs/" + job);
  // One item per step: the cursor carries the job across steps (and restarts).
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(server.app().reapply()->RunOnce(1).ok());
    if (c.Get("/v1/jobs/" + job, admin).Json()["status"] != "running") break;
  }
  auto done = c.Get("/v1/jobs/" + job, admin).Json();
  EXPECT_EQ(done["status"], "completed");
  EXPECT_GE(done["scanned"].get<int>(), 5);  // 2 entries, 2 context values, 1 transcript
  EXPECT_GE(done["changed"].get<int>(), 5);

  auto after = c.Get("/v1/sessions/" + s1 + "/entries", admin).Json()["items"];
  EXPECT_EQ(after[0]["text"], "mail [EMAIL]");
  EXPECT_EQ(after[0]["payload"]["note"], "mail [EMAIL]");
  EXPECT_EQ(after[0]["redactions"]["email"], 2);
  EXPECT_EQ(after[0]["rule_set_version"], 2);
  auto context = c.Get("/v1/sessions/" + s1 + "/context", admin).Json()["items"];
  EXPECT_EQ(context[0]["value"], "[EMAIL]");
  auto transcript = c.Get("/v1/sessions/" + s2 + "/transcript?format=text", admin);
  EXPECT_EQ(transcript.body.find(kEmail), std::string::npos) << transcript.body;
  EXPECT_NE(transcript.body.find("me: [EMAIL]"), std::string::npos);

  auto [tenant_b, admin_b] = server.CreateTenant("beta");
  ExpectProblem(c.Get("/v1/jobs/" + job, admin_b), 404, "not_found");
  auto agent = server.CreateKey(admin, {"agent"}).second;
  ExpectProblem(c.PostJson("/v1/sensitive-data-rules/reapply", agent, nlohmann::json::object()),
                403, "forbidden");
  // A second run finds nothing left to change.
  std::string again =
      c.PostJson("/v1/sensitive-data-rules/reapply", admin, nlohmann::json::object()).Json()["id"];
  ASSERT_TRUE(server.app().reapply()->RunOnce(1000).ok());
  ASSERT_TRUE(server.app().reapply()->RunOnce(1000).ok());
  ASSERT_TRUE(server.app().reapply()->RunOnce(1000).ok());
  auto second = c.Get("/v1/jobs/" + again, admin).Json();
  EXPECT_EQ(second["status"], "completed");
  EXPECT_EQ(second["changed"], 1);  // only the final transcript is rewritten
}

}  // namespace
}  // namespace convault
