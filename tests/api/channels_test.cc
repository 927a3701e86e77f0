// /v1/channels and /v1/settings through a real server (SQLite store, file KEK).
#include <filesystem>
#include <fstream>
#include <set>

#include "gtest/gtest.h"
#include "support/problem_matchers.h"
#include "support/test_server.h"

namespace convault {
namespace {

using testing::ExpectProblem;
using testing::HttpClient;
using testing::Response;
using testing::TestServer;

Response Patch(HttpClient& c, const std::string& target, const std::string& key,
               const nlohmann::json& body) {
  return c.Send("PATCH", target, key, body.dump(), {{"Content-Type", "application/json"}});
}

std::string FieldOf(const Response& r) {
  auto j = r.Json();
  return j.contains("errors") && !j["errors"].empty() ? j["errors"][0]["field"].get<std::string>()
                                                      : "";
}

constexpr char kSecret[] = "canary-signing-secret-7f3a9c";

nlohmann::json ByocChannel() {
  return {{"type", "byoc"},
          {"name", "Support site"},
          {"address", "support@example.com"},
          {"credentials", {{"signing_secret", kSecret}}},
          {"outbound_url", "http://127.0.0.1:9/replies"},
          {"acknowledgment",
           {{"enabled", true},
            {"text", "We keep a transcript of this conversation."},
            {"locales", {{"fr", "Nous conservons une transcription."}}}}},
          {"session_inactivity_minutes", 20}};
}

TEST(ChannelsApi, CreateShowsEverythingButTheCredentials) {
  TestServer server;
  auto& c = server.client();
  Response created = c.PostJson("/v1/channels", server.admin_key(), ByocChannel());
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.body.find(kSecret), std::string::npos);
  auto j = created.Json();
  std::string id = j["id"];
  EXPECT_EQ(id.rfind("ch_", 0), 0u);
  EXPECT_EQ(created.Header("location"), "/v1/channels/" + id);
  EXPECT_EQ(j["type"], "byoc");
  EXPECT_EQ(j["credentials_set"], nlohmann::json({"signing_secret"}));
  EXPECT_EQ(j["inbound_url"], "/v1/channels/" + id + "/inbound");
  EXPECT_EQ(j["outbound_url"], "http://127.0.0.1:9/replies");
  EXPECT_FALSE(j["hipaa_eligible"].get<bool>());  // byoc without attestation
  EXPECT_EQ(j["acknowledgment"]["version"], 1);
  EXPECT_EQ(j["session_inactivity_minutes"], 20);
  EXPECT_EQ(j["session_end_hours"], 24);
  EXPECT_EQ(j["consent"]["opt_out_keywords"][0], "STOP");

  Response got = c.Get("/v1/channels/" + id, server.admin_key());
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.body.find(kSecret), std::string::npos);
  EXPECT_EQ(got.Json()["name"], "Support site");

  // The secret opens for the code that needs it, and only there.
  auto stored = server.app().store().GetChannel(server.tenant_id(), id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->credentials_sealed.find(kSecret), std::string::npos);

  // Each platform type answers with its webhook and eligibility.
  std::map<std::string, bool> eligible = {
      {"web_chat", true}, {"in_app", true},          {"whatsapp", false}, {"messenger", false},
      {"sms", false},     {"apple_business", false}, {"line", false}};
  for (const auto& [type, hipaa] : eligible) {
    Response r = c.PostJson("/v1/channels", server.admin_key(), {{"type", type}, {"name", type}});
    ASSERT_EQ(r.status, 201) << type << r.body;
    EXPECT_EQ(r.Json()["hipaa_eligible"], hipaa) << type;
    EXPECT_EQ(r.Json()["webhook_url"], "/webhooks/" + r.Json()["id"].get<std::string>());
  }
  auto list = c.Get("/v1/channels?limit=5", server.admin_key()).Json();
  EXPECT_EQ(list["items"].size(), 5u);
  ASSERT_TRUE(list["next_cursor"].is_string());
  auto rest =
      c.Get("/v1/channels?cursor=" + list["next_cursor"].get<std::string>(), server.admin_key())
          .Json();
  EXPECT_EQ(rest["items"].size(), 3u);
}

TEST(ChannelsApi, PatchChangesGivenFieldsAndVersionsTheAcknowledgment) {
  TestServer server;
  auto& c = server.client();
  std::string id = c.PostJson("/v1/channels", server.admin_key(), ByocChannel()).Json()["id"];
  Response r = Patch(c, "/v1/channels/" + id, server.admin_key(), {{"name", "Renamed"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["name"], "Renamed");
  EXPECT_EQ(r.Json()["acknowledgment"]["version"], 1);
  EXPECT_EQ(r.Json()["credentials_set"], nlohmann::json({"signing_secret"}));
  r = Patch(
      c, "/v1/channels/" + id, server.admin_key(),
      {{"acknowledgment", {{"text", "New wording."}}}, {"credentials", nlohmann::json::object()}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["acknowledgment"]["version"], 2);
  EXPECT_TRUE(r.Json()["acknowledgment"]["enabled"].get<bool>());
  EXPECT_TRUE(r.Json()["credentials_set"].empty());
  EXPECT_EQ(r.Json()["session_inactivity_minutes"], 20);
  ExpectProblem(Patch(c, "/v1/channels/" + id, server.admin_key(), {{"type", "sms"}}), 400,
                "invalid_request");
  EXPECT_EQ(c.Send("DELETE", "/v1/channels/" + id, server.admin_key()).status, 204);
  ExpectProblem(c.Get("/v1/channels/" + id, server.admin_key()), 404, "not_found");
}

TEST(ChannelsApi, BadInputNamesTheFieldAndStoresNothing) {
  TestServer server;
  auto& c = server.client();
  const std::string& key = server.admin_key();
  struct Case {
    nlohmann::json body;
    std::string field;
  };
  auto with = [](nlohmann::json base, const std::string& k, nlohmann::json v) {
    base[k] = std::move(v);
    return base;
  };
  nlohmann::json ok = {{"type", "byoc"}, {"name", "x"}};
  std::vector<Case> cases = {
      {{{"name", "x"}}, "type"},
      {with(ok, "type", "telegram"), "type"},
      {{{"type", "byoc"}}, "name"},
      {with(ok, "name", ""), "name"},
      {with(ok, "name", std::string(201, 'n')), "name"},
      {with(ok, "region", "usa"), "region"},
      {with(ok, "region", "us"), "region"},
      {with(ok, "outbound_url", "ftp://x"), "outbound_url"},
      {with(ok, "session_inactivity_minutes", 0), "session_inactivity_minutes"},
      {with(ok, "session_inactivity_minutes", 1e30), "session_inactivity_minutes"},
      {with(ok, "session_inactivity_minutes", "10"), "session_inactivity_minutes"},
      {with(ok, "session_end_hours", 18446744073709551615ull), "session_end_hours"},
      {with(ok, "retention_days", -1), "retention_days"},
      {with(ok, "credentials", {{"token", 5}}), "credentials"},
      {with(ok, "credentials", "secret"), "credentials"},
      {with(ok, "acknowledgment", {{"enabled", true}}), "acknowledgment.text"},
      {with(ok, "acknowledgment", {{"texte", "x"}}), "acknowledgment.texte"},
      {with(ok, "consent", {{"required_level", "maybe"}}), "consent.required_level"},
      {with(ok, "consent", {{"opt_out_keywords", {""}}}), "consent.opt_out_keywords"},
      {with(ok, "hipaa_attested", "yes"), "hipaa_attested"},
      {with(ok, "colour", "red"), "colour"},
      {{{"type", "sms"}, {"name", "x"}, {"outbound_url", "http://x"}}, "outbound_url"},
  };
  for (const Case& k : cases) {
    Response r = c.PostJson("/v1/channels", key, k.body);
    ExpectProblem(r, 400, "invalid_request");
    EXPECT_EQ(FieldOf(r), k.field) << k.body.dump() << " -> " << r.body;
  }
  ExpectProblem(c.Send("POST", "/v1/channels", key, "{\"type\": \"byoc\", \"name\": \"\xff\"}",
                       {{"Content-Type", "application/json"}}),
                400, "invalid_request");
  ExpectProblem(c.Send("POST", "/v1/channels", key, std::string(40, '[') + std::string(40, ']'),
                       {{"Content-Type", "application/json"}}),
                400, "invalid_request");
  EXPECT_TRUE(c.Get("/v1/channels", key).Json()["items"].empty());
  auto [agent_id, agent] = server.CreateKey(key, {"agent"});
  ExpectProblem(c.PostJson("/v1/channels", agent, ok), 403, "forbidden");
  ExpectProblem(c.Get("/v1/settings", agent), 403, "forbidden");
}

TEST(ChannelsApi, HipaaModeRefusesChannelsThatAreNotEligible) {
  TestServer server;
  auto& c = server.client();
  const std::string& key = server.admin_key();
  std::string sms =
      c.PostJson("/v1/channels", key, {{"type", "sms"}, {"name", "texts"}}).Json()["id"];
  Response refused = Patch(c, "/v1/settings", key, {{"hipaa_mode", true}});
  ExpectProblem(refused, 409, "hipaa_channel_not_eligible");
  EXPECT_FALSE(c.Get("/v1/settings", key).Json()["hipaa_mode"].get<bool>());
  ASSERT_EQ(Patch(c, "/v1/channels/" + sms, key, {{"enabled", false}}).status, 200);
  Response on = Patch(c, "/v1/settings", key, {{"hipaa_mode", true}, {"default_region", "GB"}});
  ASSERT_EQ(on.status, 200) << on.body;
  EXPECT_EQ(on.Json()["default_region"], "GB");

  ExpectProblem(c.PostJson("/v1/channels", key, {{"type", "whatsapp"}, {"name", "wa"}}), 409,
                "hipaa_channel_not_eligible");
  ExpectProblem(c.PostJson("/v1/channels", key, {{"type", "byoc"}, {"name", "b"}}), 409,
                "hipaa_channel_not_eligible");
  ExpectProblem(Patch(c, "/v1/channels/" + sms, key, {{"enabled", true}}), 409,
                "hipaa_channel_not_eligible");
  EXPECT_EQ(
      c.PostJson("/v1/channels", key, {{"type", "byoc"}, {"name", "b"}, {"hipaa_attested", true}})
          .status,
      201);
  EXPECT_EQ(c.PostJson("/v1/channels", key, {{"type", "web_chat"}, {"name", "w"}}).status, 201);
  // A disabled non-eligible channel may exist.
  EXPECT_EQ(
      c.PostJson("/v1/channels", key, {{"type", "line"}, {"name", "l"}, {"enabled", false}}).status,
      201);
  ExpectProblem(Patch(c, "/v1/settings", key, {{"default_region", "gb"}}), 400, "invalid_request");
  ExpectProblem(Patch(c, "/v1/settings", key, {{"erase_due_days", 0}}), 400, "invalid_request");
}

TEST(ChannelsApi, AnotherTenantsChannelIsNotFound) {
  TestServer server;
  auto& c = server.client();
  auto [tenant_b, admin_b] = server.CreateTenant("beta");
  std::string id = c.PostJson("/v1/channels", admin_b, ByocChannel()).Json()["id"];
  const std::string& a = server.admin_key();
  Response foreign = c.Get("/v1/channels/" + id, a);
  ExpectProblem(foreign, 404, "not_found");
  Response missing = c.Get("/v1/channels/ch_doesnotexist000000000", a);
  EXPECT_EQ(foreign.Json()["detail"], missing.Json()["detail"]);
  ExpectProblem(Patch(c, "/v1/channels/" + id, a, {{"name", "mine"}}), 404, "not_found");
  ExpectProblem(c.Send("DELETE", "/v1/channels/" + id, a), 404, "not_found");
  EXPECT_TRUE(c.Get("/v1/channels", a).Json()["items"].empty());
  EXPECT_EQ(c.Get("/v1/channels/" + id, admin_b).Json()["name"], "Support site");
}

TEST(ChannelsApi, CredentialsNeverReachTheDataFilesInTheClear) {
  std::string dir;
  {
    TestServer server;
    dir = server.data_dir();
    ASSERT_EQ(server.client().PostJson("/v1/channels", server.admin_key(), ByocChannel()).status,
              201);
    std::set<std::string> files;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
      if (!e.is_regular_file()) continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      EXPECT_EQ(bytes.find(kSecret), std::string::npos) << e.path();
      files.insert(e.path().filename().string());
    }
    EXPECT_TRUE(files.contains("data.db"));
  }
}

}  // namespace
}  // namespace convault
