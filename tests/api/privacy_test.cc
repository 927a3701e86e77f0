// Privacy requests (erase, restrict, lift), legal holds and the audit log,
// through a real server on a SQLite store (PRIVACY.md sections 3, 5 and 8).
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "crypto/hash.h"
#include "gtest/gtest.h"
#include "support/problem_matchers.h"
#include "support/test_server.h"

namespace convault {
namespace {

using testing::ExpectProblem;
using testing::Response;
using testing::TestServer;

constexpr char kName[] = "Canary Quillon Erasee";
constexpr char kText[] = "my mail is quillon.canary@example.org";
constexpr char kControlName[] = "Control Person Kept";

struct Fixture {
  TestServer server;
  std::string channel;
  std::string integration;
  std::string officer;
  std::string agent;
  std::string auditor;

  Fixture() {
    auto& c = server.client();
    Response ch =
        c.PostJson("/v1/channels", server.admin_key(),
                   {{"type", "byoc"},
                    {"name", "site"},
                    {"acknowledgment", {{"enabled", true}, {"text", "This chat is recorded."}}}});
    EXPECT_EQ(ch.status, 201) << ch.body;
    channel = ch.Json()["id"];
    integration = server.CreateKey(server.admin_key(), {"integration"}).second;
    officer = server.CreateKey(server.admin_key(), {"privacy_officer"}).second;
    agent = server.CreateKey(server.admin_key(), {"agent"}).second;
    auditor = server.CreateKey(server.admin_key(), {"auditor"}).second;
  }

  // Posts a first message; returns {end_user_id, session_id}.
  std::pair<std::string, std::string> Customer(const std::string& key, const std::string& name,
                                               const std::string& id) {
    nlohmann::json m = {{"message_id", id},
                        {"from", {{"platform_key", key}, {"name", name}}},
                        {"text", kText},
                        {"context", {{"contact", "quillon.canary@example.org"}}}};
    Response r = server.client().PostJson("/v1/channels/" + channel + "/inbound", integration, m);
    EXPECT_EQ(r.status, 200) << r.body;
    return {r.Json()["end_user_id"], r.Json()["session_id"]};
  }

  Response Request(const std::string& type, const std::string& end_user,
                   const std::string& bearer = "") {
    return server.client().PostJson(
        "/v1/privacy/requests", bearer.empty() ? officer : bearer,
        {{"type", type}, {"end_user_id", end_user}, {"reason", "asked"}});
  }
};

TEST(PrivacyApi, EraseDestroysTheKeyDeletesEveryRowAndSignsACertificate) {
  Fixture f;
  auto& c = f.server.client();
  auto [erasee, session] = f.Customer("visitor-erase-1", kName, "m-1");
  auto [control, control_session] = f.Customer("visitor-keep-2", kControlName, "m-2");
  ASSERT_EQ(c.PostJson("/v1/sessions/" + session + "/entries", f.agent, {{"text", "hello"}}).status,
            201);

  Response r = f.Request("erase", erasee);
  ASSERT_EQ(r.status, 202) << r.body;
  auto j = r.Json();
  EXPECT_EQ(j["status"], "completed");
  EXPECT_EQ(j["reason"], "asked");
  EXPECT_TRUE(j["completed_at"].is_string());
  auto cert = j["result"]["certificate"];
  EXPECT_EQ(cert["request_id"], j["id"]);
  EXPECT_EQ(cert["counts"]["end_users"], 1);
  EXPECT_EQ(cert["counts"]["sessions"], 1);
  EXPECT_EQ(cert["counts"]["entries"], 3);  // message, acknowledgment, reply
  EXPECT_EQ(cert["counts"]["context_entries"], 1);
  EXPECT_EQ(cert["counts"]["consent_records"], 1);
  EXPECT_GE(cert["counts"]["index_entries"], 2);
  EXPECT_EQ(cert["key_destroyed"]["versions"], 1);
  EXPECT_EQ(cert["subject_hash"].get<std::string>().size(), 32u);
  EXPECT_EQ(cert.dump().find(erasee), std::string::npos);  // only the keyed hash

  // The certificate verifies; any change to it does not.
  auto& privacy = f.server.app().privacy();
  EXPECT_TRUE(*privacy.VerifyCertificate(cert.dump()));
  auto forged = cert;
  forged["counts"]["entries"] = 0;
  EXPECT_FALSE(*privacy.VerifyCertificate(forged.dump()));

  // Gone for everyone, through every read; the control subject is intact.
  ExpectProblem(c.Get("/v1/end-users/" + erasee, f.officer), 404, "not_found");
  ExpectProblem(c.Get("/v1/sessions/" + session, f.server.admin_key()), 404, "not_found");
  ExpectProblem(c.Get("/v1/sessions/" + session + "/transcript", f.agent), 404, "not_found");
  EXPECT_TRUE(f.server.app()
                  .key_store()
                  .ListVersions({f.server.tenant_id(), WrappedKeyKind::kSubjectDek, erasee})
                  ->empty());
  Response kept = c.Get("/v1/end-users/" + control, f.agent);
  ASSERT_EQ(kept.status, 200) << kept.body;
  EXPECT_EQ(kept.Json()["name"], kControlName);
  EXPECT_EQ(c.Get("/v1/sessions/" + control_session + "/entries", f.agent).Json()["items"].size(),
            2u);
  // The same person writing again is a new end user with a new key.
  auto [again, again_session] = f.Customer("visitor-erase-1", kName, "m-3");
  EXPECT_NE(again, erasee);
  // The shred log names the request and the subject id only.
  std::ifstream shred(f.server.data_dir() + "/shred.log");
  std::stringstream text;
  text << shred.rdbuf();
  EXPECT_NE(text.str().find(erasee), std::string::npos);
  EXPECT_EQ(text.str().find(kName), std::string::npos);
  // Erasing again: the end user is gone.
  ExpectProblem(f.Request("erase", erasee), 404, "not_found");
}

TEST(PrivacyApi, LegalHoldRejectsErasureUntilLifted) {
  Fixture f;
  auto& c = f.server.client();
  auto [user, session] = f.Customer("visitor-hold-1", kName, "m-1");
  Response put =
      c.Send("PUT", "/v1/end-users/" + user + "/legal-hold", f.officer,
             R"({"reason":"litigation 2026-17"})", {{"Content-Type", "application/json"}});
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.Json()["reason"], "litigation 2026-17");
  EXPECT_TRUE(c.Get("/v1/end-users/" + user, f.officer).Json()["legal_hold"].get<bool>());

  Response r = f.Request("erase", user);
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(r.Json()["status"], "rejected");
  EXPECT_EQ(r.Json()["result"]["rejected"], "legal_hold");
  EXPECT_EQ(r.Json()["result"]["legal_hold"]["reason"], "litigation 2026-17");
  EXPECT_EQ(c.Get("/v1/sessions/" + session + "/entries", f.agent).status, 200);  // nothing deleted

  ASSERT_EQ(c.Send("DELETE", "/v1/end-users/" + user + "/legal-hold", f.officer).status, 204);
  ExpectProblem(c.Send("DELETE", "/v1/end-users/" + user + "/legal-hold", f.officer), 404,
                "not_found");
  ExpectProblem(c.Get("/v1/end-users/" + user + "/legal-hold", f.officer), 404, "not_found");
  EXPECT_EQ(f.Request("erase", user).Json()["status"], "completed");

  // The requests list, newest first.
  auto list = c.Get("/v1/privacy/requests", f.officer).Json()["items"];
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["status"], "completed");
  EXPECT_EQ(list[1]["status"], "rejected");
  Response one = c.Get("/v1/privacy/requests/" + list[1]["id"].get<std::string>(), f.officer);
  EXPECT_EQ(one.Json()["type"], "erase");

  // One subject's requests only.
  auto [other, other_session] = f.Customer("visitor-hold-2", kName, "m-2");
  ASSERT_EQ(f.Request("restrict", other).status, 202);
  auto mine = c.Get("/v1/privacy/requests?end_user_id=" + user, f.officer).Json()["items"];
  ASSERT_EQ(mine.size(), 2u);
  for (const auto& x : mine) EXPECT_EQ(x["end_user_id"], user);
  auto theirs = c.Get("/v1/privacy/requests?end_user_id=" + other + "&limit=1", f.officer).Json();
  ASSERT_EQ(theirs["items"].size(), 1u);
  EXPECT_EQ(theirs["items"][0]["type"], "restrict");
  EXPECT_TRUE(theirs["next_cursor"].is_null());
  EXPECT_TRUE(c.Get("/v1/privacy/requests?end_user_id=eu_0000000000000000000000000", f.officer)
                  .Json()["items"]
                  .empty());
  ExpectProblem(c.Get("/v1/privacy/requests?end_user_id=ses_nope", f.officer), 400,
                "invalid_request");
}

TEST(PrivacyApi, RestrictionStopsAgentsAndAcknowledgmentsUntilLifted) {
  Fixture f;
  auto& c = f.server.client();
  auto [user, session] = f.Customer("visitor-restrict-1", kName, "m-1");
  ASSERT_EQ(f.Request("restrict", user).Json()["status"], "completed");
  EXPECT_TRUE(
      c.Get("/v1/end-users/" + user, f.officer).Json()["processing_restricted"].get<bool>());
  for (const std::string& path :
       {"/v1/sessions/" + session, "/v1/sessions/" + session + "/entries",
        "/v1/sessions/" + session + "/context", "/v1/sessions/" + session + "/transcript",
        "/v1/end-users/" + user}) {
    ExpectProblem(c.Get(path, f.agent), 403, "processing_restricted");
  }
  ExpectProblem(c.PostJson("/v1/sessions/" + session + "/entries", f.agent, {{"text", "hi"}}), 403,
                "processing_restricted");
  EXPECT_EQ(c.Get("/v1/sessions/" + session + "/entries", f.officer).status, 200);
  EXPECT_EQ(c.Get("/v1/sessions/" + session, f.server.admin_key()).status, 200);
  // Still stored, but a new session gets no acknowledgment.
  ASSERT_EQ(c.Send("POST", "/v1/sessions/" + session + "/end", f.server.admin_key()).status, 200);
  nlohmann::json m = {{"message_id", "m-2"},
                      {"from", {{"platform_key", "visitor-restrict-1"}}},
                      {"text", "still there?"}};
  Response in = c.PostJson("/v1/channels/" + f.channel + "/inbound", f.integration, m);
  ASSERT_EQ(in.status, 200) << in.body;
  EXPECT_EQ(in.Json()["end_user_id"], user);
  EXPECT_TRUE(in.Json()["acknowledgment_entry_id"].is_null());

  ASSERT_EQ(f.Request("lift_restriction", user).Json()["status"], "completed");
  EXPECT_EQ(c.Get("/v1/sessions/" + session + "/entries", f.agent).status, 200);
}

TEST(PrivacyApi, OnlyPrivacyOfficersActAndBadRequestsAreRefused) {
  Fixture f;
  auto& c = f.server.client();
  auto [user, session] = f.Customer("visitor-roles-1", kName, "m-1");
  for (const std::string& key : {f.agent, f.auditor, f.integration, f.server.admin_key()}) {
    ExpectProblem(f.Request("erase", user, key), 403, "forbidden");
    ExpectProblem(c.Get("/v1/privacy/requests", key), 403, "forbidden");
    ExpectProblem(c.Send("PUT", "/v1/end-users/" + user + "/legal-hold", key, R"({"reason":"x"})",
                         {{"Content-Type", "application/json"}}),
                  403, "forbidden");
  }
  ExpectProblem(f.Request("shred", user), 400, "invalid_request");
  ExpectProblem(f.Request("erase", "eu_doesnotexist"), 404, "not_found");
  ExpectProblem(f.Request("erase", "../../etc"), 404, "not_found");
  ExpectProblem(c.PostJson("/v1/privacy/requests", f.officer, {{"type", "erase"}}), 400,
                "invalid_request");
  ExpectProblem(
      c.PostJson("/v1/privacy/requests", f.officer, {{"type", "erase"}, {"end_user_id", 7}}), 400,
      "invalid_request");
  ExpectProblem(c.Get("/v1/privacy/requests/prq_nope", f.officer), 404, "not_found");
  // Another tenant's officer sees nothing of this tenant.
  auto [tenant_b, admin_b] = f.server.CreateTenant("beta");
  std::string officer_b = f.server.CreateKey(admin_b, {"privacy_officer"}).second;
  ExpectProblem(f.Request("erase", user, officer_b), 404, "not_found");
  EXPECT_EQ(c.Get("/v1/end-users/" + user, f.agent).status, 200);
  ExpectProblem(
      c.Send("GET", "/v1/end-users/" + user, f.agent, "", {{"X-Convault-Purpose", "BAD!"}}), 400,
      "invalid_purpose");
}

TEST(PrivacyApi, SearchFindsEveryObjectThroughTheIndexesAndOnlyTrueMatches) {
  // 8-bit tokens: many strangers share a token, so every candidate must be
  // opened and compared for the answer to be exact.
  TestServer server([](Config& c) { c.keys.blind_index_bits = 8; });
  auto& c = server.client();
  std::string officer = server.CreateKey(server.admin_key(), {"privacy_officer"}).second;
  std::string integration = server.CreateKey(server.admin_key(), {"integration"}).second;
  std::string sms =
      c.PostJson("/v1/channels", server.admin_key(), {{"type", "sms"}, {"name", "t"}}).Json()["id"];
  std::string web =
      c.PostJson("/v1/channels", server.admin_key(), {{"type", "byoc"}, {"name", "w"}})
          .Json()["id"];
  ASSERT_EQ(
      c.PostJson("/v1/sensitive-data-rules", server.admin_key(), {{"detector", "email"}}).status,
      201);
  auto post = [&](const std::string& channel, const std::string& id, const std::string& key,
                  const std::string& name, const std::string& text, const nlohmann::json& context) {
    nlohmann::json m = {{"message_id", id},
                        {"from", {{"platform_key", key}, {"name", name}}},
                        {"text", text},
                        {"context", context}};
    Response r = c.PostJson("/v1/channels/" + channel + "/inbound", integration, m);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Json();
  };
  auto target = post(sms, "s-1", "+1 (415) 555-0101", "Ada  LOVELACE", "hi",
                     {{"email", "ada.search@example.org"}});
  // The sender's own name in their text is indexed too.
  post(sms, "s-2", "+1 (415) 555-0101", "Ada  LOVELACE", "this is ada lovelace again",
       nlohmann::json::object());
  post(sms, "s-3", "+1 (415) 555-0101", "Ada  LOVELACE", "adalovelace is not a word match",
       nlohmann::json::object());
  auto mention =
      post(web, "w-1", "visitor-9", "Someone Else",
           "write to Ada.Search@Example.org or call 415-555-0101", nlohmann::json::object());
  // Forty strangers, so that 8-bit tokens collide.
  for (int i = 0; i < 40; ++i) {
    post(web, "x-" + std::to_string(i), "stranger-" + std::to_string(i),
         "Stranger Number " + std::to_string(i),
         "mail stranger" + std::to_string(i) + "@example.net, call +1 212 555 01" +
             (i < 10 ? "0" : "") + std::to_string(i),
         nlohmann::json::object());
  }
  auto search = [&](const std::string& q) {
    std::string escaped;
    for (char ch : q) {
      if (isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '-') {
        escaped += ch;
      } else {
        char buf[4];
        snprintf(buf, sizeof(buf), "%%%02X", static_cast<unsigned char>(ch));
        escaped += buf;
      }
    }
    Response r = c.Get("/v1/privacy/search?q=" + escaped, officer);
    EXPECT_EQ(r.status, 200) << r.body;
    std::set<std::string> found;
    auto j = r.Json();
    for (const auto& x : j["items"]) {
      found.insert(x["object"].get<std::string>() + ":" + x["field"].get<std::string>() + ":" +
                   x["end_user_id"].get<std::string>());
    }
    return found;
  };
  std::string ada = target["end_user_id"], other = mention["end_user_id"];
  // The phone number in another format: the end user's platform key and the mention in a text.
  EXPECT_EQ(search("415.555.0101"),
            (std::set<std::string>{"end_user:platform_key:" + ada, "entry:message:" + other}));
  // The email (stored masked in the text): the context value and the mention.
  EXPECT_EQ(search("ADA.search@example.org"),
            (std::set<std::string>{"context_entry:value:" + ada, "entry:message:" + other}));
  // The name, however spaced and cased: end user, participant, and the entry that mentions it.
  EXPECT_EQ(search("ada lovelace"),
            (std::set<std::string>{"end_user:name:" + ada, "participant:display_name:" + ada,
                                   "entry:message:" + ada}));
  EXPECT_EQ(search("visitor-9"), (std::set<std::string>{"end_user:platform_key:" + other}));
  EXPECT_TRUE(search("nobody@nowhere.example").empty());
  // Erased: no longer found.
  ASSERT_EQ(c.PostJson("/v1/privacy/requests", officer, {{"type", "erase"}, {"end_user_id", ada}})
                .Json()["status"],
            "completed");
  EXPECT_EQ(search("415.555.0101"), (std::set<std::string>{"entry:message:" + other}));
  EXPECT_TRUE(search("ada lovelace").empty());
  ExpectProblem(c.Get("/v1/privacy/search", officer), 400, "invalid_request");
  ExpectProblem(c.Get("/v1/privacy/search?q=" + std::string(300, 'a'), officer), 400,
                "invalid_request");
  ExpectProblem(c.Get("/v1/privacy/search?q=ada", server.admin_key()), 403, "forbidden");
}

TEST(PrivacyApi, ExportOfALongSessionHoldsEveryEntryOnceInOrder) {
  // More entries than three read-ahead ranges (500 each): read in parallel,
  // written in seq order, none twice, none missing.
  Fixture f;
  auto [user, session] = f.Customer("visitor-long", kName, "long-0");
  for (int i = 1; i < 1600; ++i) {
    Response r = f.server.client().PostJson("/v1/channels/" + f.channel + "/inbound", f.integration,
                                            {{"message_id", "long-" + std::to_string(i)},
                                             {"from", {{"platform_key", "visitor-long"}}},
                                             {"text", "message " + std::to_string(i)}});
    ASSERT_EQ(r.status, 200) << r.body;
  }
  Response r = f.Request("export", user);
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(r.Json()["result"]["export"]["manifest"]["counts"]["entries"], 1601);  // + the ack
  Response doc = f.server.client().Get(r.Json()["result"]["export"]["download"], f.officer);
  ASSERT_EQ(doc.status, 200);
  auto entries = nlohmann::json::parse(doc.body)["sessions"][0]["entries"];
  ASSERT_EQ(entries.size(), 1601u);
  for (size_t i = 0; i < entries.size(); ++i) ASSERT_EQ(entries[i]["seq"], i + 1) << i;
  EXPECT_EQ(entries[1600]["text"], "message 1599");
}

TEST(PrivacyApi, ExportIsOneStreamedDocumentWithAManifestUntilItExpiresOrTheSubjectIsErased) {
  Fixture f;
  auto& c = f.server.client();
  auto [user, session] = f.Customer("visitor-export-1", kName, "m-1");
  ASSERT_EQ(
      c.PostJson("/v1/sessions/" + session + "/entries", f.agent, {{"text", "hi there"}}).status,
      201);
  ASSERT_EQ(c.Send("POST", "/v1/sessions/" + session + "/end", f.server.admin_key()).status, 200);
  auto [user2, session2] = f.Customer("visitor-export-1", kName, "m-2");  // a second session
  ASSERT_EQ(user2, user);
  Response r = f.Request("export", user);
  ASSERT_EQ(r.status, 202) << r.body;
  auto req = r.Json();
  EXPECT_EQ(req["status"], "completed");
  std::string download = req["result"]["export"]["download"];
  auto manifest = req["result"]["export"]["manifest"];
  EXPECT_EQ(manifest["counts"]["sessions"], 2);
  EXPECT_EQ(manifest["counts"]["entries"], 5);  // 2 messages, 2 acknowledgments, 1 reply

  Response doc = c.Get(download, f.officer);
  ASSERT_EQ(doc.status, 200) << doc.body;
  EXPECT_EQ(doc.Header("transfer-encoding"), "chunked");
  auto j = nlohmann::json::parse(doc.body);
  EXPECT_EQ(j["format"], "convault-export-v1");
  EXPECT_EQ(j["end_user"]["name"], kName);
  EXPECT_EQ(j["end_user"]["platform_key"], "visitor-export-1");
  ASSERT_EQ(j["sessions"].size(), 2u);
  EXPECT_EQ(j["sessions"][0]["entries"][0]["text"], kText);
  EXPECT_EQ(j["sessions"][0]["context"][0]["value"], "quillon.canary@example.org");
  EXPECT_NE(j["sessions"][0]["transcript_text"].get<std::string>().find("hi there"),
            std::string::npos);
  EXPECT_EQ(j["consent_history"].size(), manifest["counts"]["consent_records"].get<size_t>());
  EXPECT_EQ(j["privacy_requests"].size(), 1u);
  EXPECT_GE(j["audit_records"].size(), 1u);
  EXPECT_EQ(j["manifest"], manifest);
  // The SHA-256 of a part is over its bytes as sent.
  // The text transcript of the ended session is the one the transcript endpoint serves.
  Response text = c.Get("/v1/sessions/" + session + "/transcript?format=text", f.officer);
  ASSERT_EQ(text.status, 200) << text.body;
  EXPECT_EQ(j["sessions"][0]["transcript_text"], text.body);
  for (const char* part : {"end_user", "sessions", "consent_history", "privacy_requests"}) {
    EXPECT_EQ(manifest["sha256"][part], crypto::HexEncode(crypto::Sha256(j[part].dump()))) << part;
  }
  // On disk only ciphertext.
  std::string file;
  for (const auto& e : std::filesystem::directory_iterator(f.server.data_dir() + "/exports")) {
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    file += bytes.str();
  }
  EXPECT_FALSE(file.empty());
  EXPECT_EQ(file.find(kName), std::string::npos);
  EXPECT_EQ(file.find("quillon"), std::string::npos);
  ExpectProblem(c.Get(download, f.agent), 403, "forbidden");

  // Expired after 30 days: refused, and the file is deleted.
  f.server.clock().Advance(absl::Hours(24 * 30) + absl::Seconds(1));
  ExpectProblem(c.Get(download, f.officer), 410, "export_expired");
  EXPECT_EQ(*f.server.app().exports().DeleteExpired(), 1);
  EXPECT_TRUE(std::filesystem::is_empty(f.server.data_dir() + "/exports"));

  // A new export, then erasure: the file goes with the subject.
  std::string again = f.Request("export", user).Json()["result"]["export"]["download"];
  EXPECT_EQ(c.Get(again, f.officer).status, 200);
  auto erased = f.Request("erase", user).Json();
  EXPECT_EQ(erased["result"]["certificate"]["counts"]["exports"], 2);
  ExpectProblem(c.Get(again, f.officer), 410, "export_expired");
  EXPECT_TRUE(std::filesystem::is_empty(f.server.data_dir() + "/exports"));
}

TEST(PrivacyApi, RetentionDeletesOldSessionsErasesEmptiedEndUsersAndHonoursLegalHolds) {
  Fixture f;
  auto& c = f.server.client();
  ASSERT_EQ(c.Send("PATCH", "/v1/channels/" + f.channel, f.server.admin_key(),
                   R"({"retention_days": 10})", {{"Content-Type", "application/json"}})
                .status,
            200);
  auto [old_user, old_session] = f.Customer("visitor-old-1", kName, "m-1");
  auto [held_user, held_session] = f.Customer("visitor-held-1", kControlName, "m-2");
  ASSERT_EQ(c.Send("PUT", "/v1/end-users/" + held_user + "/legal-hold", f.officer,
                   R"({"reason":"case 9"})", {{"Content-Type", "application/json"}})
                .status,
            200);
  f.server.clock().Advance(absl::Hours(24 * 8));
  auto [recent_user, recent_session] = f.Customer("visitor-recent-1", "Recent Person", "m-3");
  // Nothing is old enough yet.
  auto none = f.server.app().retention().RunOnce();
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->deleted.sessions, 0);

  f.server.clock().Advance(absl::Hours(24 * 3));  // the first two are 11 days old
  auto swept = f.server.app().retention().RunOnce();
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(swept->deleted.sessions, 1);
  EXPECT_EQ(swept->deleted.entries, 2);  // the message and its acknowledgment
  EXPECT_EQ(swept->end_users_erased, 1);
  ExpectProblem(c.Get("/v1/sessions/" + old_session, f.server.admin_key()), 404, "not_found");
  ExpectProblem(c.Get("/v1/end-users/" + old_user, f.officer), 404, "not_found");
  EXPECT_TRUE(f.server.app()
                  .key_store()
                  .ListVersions({f.server.tenant_id(), WrappedKeyKind::kSubjectDek, old_user})
                  ->empty());
  EXPECT_EQ(c.Get("/v1/sessions/" + held_session, f.server.admin_key()).status, 200);
  EXPECT_EQ(c.Get("/v1/sessions/" + recent_session, f.server.admin_key()).status, 200);
  // Idempotent.
  EXPECT_EQ(f.server.app().retention().RunOnce()->deleted.sessions, 0);
  // The counts are in the audit log, and the erasure has its request and certificate.
  auto audit = c.Get("/v1/audit?limit=1000", f.auditor).Json()["items"];
  bool swept_seen = false;
  for (const auto& x : audit) {
    if (x["action"] == "retention.sweep") {
      swept_seen = true;
      EXPECT_EQ(x["detail"]["sessions"], 1);
      EXPECT_EQ(x["detail"]["end_users_erased"], 1);
    }
  }
  EXPECT_TRUE(swept_seen);
  auto requests = c.Get("/v1/privacy/requests", f.officer).Json()["items"];
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0]["requested_by"], "system");
  EXPECT_EQ(requests[0]["reason"], "retention period passed");
  EXPECT_TRUE(requests[0]["result"]["certificate"].is_object());
}

TEST(PrivacyApi, SchemaRegistryClassifiesContextKeysAndIdentifierKeysBecomeSearchable) {
  Fixture f;
  auto& c = f.server.client();
  Response schema = c.Get("/v1/schema", f.officer);
  ASSERT_EQ(schema.status, 200) << schema.body;
  auto objects = schema.Json()["objects"];
  bool message_seen = false;
  for (const auto& o : objects) {
    if (o["name"] != "entry") continue;
    for (const auto& field : o["fields"]) {
      if (field["field"] == "message") {
        message_seen = true;
        EXPECT_TRUE(field["encrypted"].get<bool>());
        EXPECT_EQ(field["key"], "subject");
        EXPECT_EQ(field["search"], "identifiers");
      }
    }
  }
  EXPECT_TRUE(message_seen);
  auto put = [&](const std::string& key, const nlohmann::json& body, const std::string& bearer) {
    return c.Send("PUT", "/v1/schema/context-keys/" + key, bearer, body.dump(),
                  {{"Content-Type", "application/json"}});
  };
  Response ok =
      put("loyalty_id",
          {{"sensitivity", "confidential"}, {"categories", {"pii"}}, {"identifier", "id"}},
          f.server.admin_key());
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.Json()["search"], "blind_index");
  ExpectProblem(put("loyalty_id", {{"sensitivity", "secret"}}, f.officer), 400, "invalid_request");
  ExpectProblem(put("loyalty_id", {{"sensitivity", "internal"}, {"identifier", "ssn"}}, f.officer),
                400, "invalid_request");
  ExpectProblem(put("bad%20key", {{"sensitivity", "internal"}}, f.officer), 400, "invalid_request");
  ExpectProblem(put("x", {{"sensitivity", "internal"}}, f.agent), 403, "forbidden");
  EXPECT_EQ(c.Get("/v1/schema", f.officer).Json()["context_keys"][0]["key"], "loyalty_id");

  nlohmann::json m = {{"message_id", "m-ctx"},
                      {"from", {{"platform_key", "visitor-ctx-1"}}},
                      {"text", "hi"},
                      {"context", {{"loyalty_id", "LOY-7781-Q"}, {"note", "LOY-0000-Z"}}}};
  Response in = c.PostJson("/v1/channels/" + f.channel + "/inbound", f.integration, m);
  ASSERT_EQ(in.status, 200) << in.body;
  auto hits = c.Get("/v1/privacy/search?q=loy-7781-q", f.officer).Json()["items"];
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0]["object"], "context_entry");
  EXPECT_EQ(hits[0]["end_user_id"], in.Json()["end_user_id"]);
  // Keys not classified as identifiers are not indexed.
  EXPECT_TRUE(c.Get("/v1/privacy/search?q=LOY-0000-Z", f.officer).Json()["items"].empty());
}

TEST(PrivacyApi, ComplianceReportShowsHipaaStateEncryptionRulesAndRetention) {
  Fixture f;
  auto& c = f.server.client();
  Response r = c.Get("/v1/compliance", f.auditor);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.Json();
  EXPECT_FALSE(j["hipaa_mode"].get<bool>());
  EXPECT_EQ(j["hipaa"]["state"], "not_enabled");
  ASSERT_EQ(j["channels"].size(), 1u);
  EXPECT_FALSE(j["channels"][0]["hipaa_eligible"].get<bool>());  // byoc without attestation
  EXPECT_EQ(j["encryption"]["coverage"], 1.0);
  EXPECT_TRUE(j["encryption"]["unencrypted_personal_fields"].empty());
  EXPECT_EQ(j["encryption"]["key_provider"], "file");
  EXPECT_EQ(j["sensitive_data_rules"]["active"].size(), 2u);  // the defaults
  EXPECT_EQ(j["retention"]["default_retention_days"], 365);
  // HIPAA mode refuses the non-eligible channel type.
  ExpectProblem(c.Send("PATCH", "/v1/settings", f.server.admin_key(), R"({"hipaa_mode": true})",
                       {{"Content-Type", "application/json"}}),
                409, "hipaa_channel_not_eligible");
  ASSERT_EQ(c.Send("PATCH", "/v1/channels/" + f.channel, f.server.admin_key(),
                   R"({"enabled": false})", {{"Content-Type", "application/json"}})
                .status,
            200);
  ASSERT_EQ(c.Send("PATCH", "/v1/settings", f.server.admin_key(), R"({"hipaa_mode": true})",
                   {{"Content-Type", "application/json"}})
                .status,
            200);
  j = c.Get("/v1/compliance", f.server.admin_key()).Json();
  EXPECT_EQ(j["hipaa"]["state"], "enforced");
  ExpectProblem(c.PostJson("/v1/channels", f.server.admin_key(), {{"type", "sms"}, {"name", "t"}}),
                409, "hipaa_channel_not_eligible");
  ExpectProblem(c.Get("/v1/compliance", f.agent), 403, "forbidden");
}

TEST(PrivacyApi, BulkExportLeavesRestrictedSubjectsOutUnlessAPrivacyOfficerAsks) {
  Fixture f;
  auto& c = f.server.client();
  auto [open_user, open_session] = f.Customer("visitor-bulk-1", "Open Person", "m-1");
  auto [restricted_user, restricted_session] = f.Customer("visitor-bulk-2", kName, "m-2");
  ASSERT_EQ(f.Request("restrict", restricted_user).Json()["status"], "completed");

  auto run = [&](const nlohmann::json& body, const std::string& bearer) {
    Response r = c.PostJson("/v1/exports", bearer, body);
    EXPECT_EQ(r.status, 202) << r.body;
    auto j = r.Json();
    Response file = c.Get(j["download"].get<std::string>(), bearer);
    EXPECT_EQ(file.status, 200) << file.body;
    return std::make_pair(j, file);
  };
  auto [jsonl, jsonl_file] = run({{"format", "jsonl"}}, f.server.admin_key());
  EXPECT_EQ(jsonl["sessions"], 1);
  EXPECT_EQ(jsonl["entries"], 2);
  EXPECT_EQ(jsonl_file.Header("content-type"), "application/x-ndjson");
  EXPECT_NE(jsonl_file.body.find(open_session), std::string::npos);
  EXPECT_EQ(jsonl_file.body.find(restricted_session), std::string::npos);
  auto first_line = nlohmann::json::parse(jsonl_file.body.substr(0, jsonl_file.body.find('\n')));
  EXPECT_EQ(first_line["text"], kText);

  auto [csv, csv_file] = run({{"format", "csv"}, {"include_restricted", true}}, f.officer);
  EXPECT_EQ(csv["sessions"], 2);
  EXPECT_EQ(csv_file.body.rfind("session_id,channel_id,end_user_id,seq,", 0), 0u);
  EXPECT_NE(csv_file.body.find(restricted_session), std::string::npos);
  auto [text, text_file] = run({{"format", "text"}, {"channel_id", f.channel}}, f.officer);
  EXPECT_EQ(text["sessions"], 1);
  EXPECT_NE(text_file.body.find(kText), std::string::npos);

  ExpectProblem(c.PostJson("/v1/exports", f.server.admin_key(),
                           {{"format", "csv"}, {"include_restricted", true}}),
                403, "forbidden");
  ExpectProblem(c.PostJson("/v1/exports", f.agent, {{"format", "csv"}}), 403, "forbidden");
  ExpectProblem(c.PostJson("/v1/exports", f.officer, {{"format", "xml"}}), 400, "invalid_request");
  ExpectProblem(c.PostJson("/v1/exports", f.officer, {{"format", "csv"}, {"from", "yesterday"}}),
                400, "invalid_request");
  ExpectProblem(c.Get("/v1/exports/exp_nope", f.officer), 404, "not_found");
  EXPECT_EQ(c.Get("/v1/exports/" + jsonl["id"].get<std::string>(), f.officer).Json()["status"],
            "completed");
  f.server.clock().Advance(absl::Hours(24 * 31));
  ExpectProblem(c.Get(jsonl["download"].get<std::string>(), f.server.admin_key()), 410,
                "export_expired");
  EXPECT_EQ(*f.server.app().exports().DeleteExpired(), 0);  // not its files
  EXPECT_EQ(*f.server.app().bulk_exports().DeleteExpired(), 3);
}

TEST(PrivacyApi, AuditLogRecordsReadsAndChangesAndDetectsTampering) {
  Fixture f;
  auto& c = f.server.client();
  auto [user, session] = f.Customer("visitor-audit-1", kName, "m-1");
  ASSERT_EQ(c.Send("GET", "/v1/sessions/" + session + "/entries", f.agent, "",
                   {{"X-Convault-Purpose", "ticket-4411"}})
                .status,
            200);
  ExpectProblem(c.Get("/v1/privacy/requests", f.agent), 403, "forbidden");
  ASSERT_EQ(f.Request("erase", user).status, 202);
  ExpectProblem(c.Get("/v1/audit", f.agent), 403, "forbidden");

  Response r = c.Get("/v1/audit?limit=1000", f.auditor);
  ASSERT_EQ(r.status, 200) << r.body;
  auto items = r.Json()["items"];
  EXPECT_EQ(r.body.find(kName), std::string::npos);
  EXPECT_EQ(r.body.find("quillon"), std::string::npos);
  EXPECT_EQ(r.body.find("visitor-audit-1"), std::string::npos);
  EXPECT_EQ(r.body.find(user), std::string::npos);  // subjects appear as keyed hashes only
  std::string subject_hash;
  bool read_seen = false, denied_seen = false, erase_seen = false;
  for (size_t i = 0; i < items.size(); ++i) {
    const auto& x = items[i];
    EXPECT_EQ(x["seq"], static_cast<int64_t>(i + 1));
    if (x["action"] == "GET /v1/sessions/{id}/entries") {
      read_seen = true;
      EXPECT_EQ(x["purpose"], "ticket-4411");
      EXPECT_EQ(x["outcome"], "ok");
      EXPECT_EQ(x["object_id"], session);
      subject_hash = x["subject_hash"];
    }
    if (x["action"] == "GET /v1/privacy/requests" && x["outcome"] == "denied") denied_seen = true;
    if (x["action"] == "privacy.erase.completed") {
      erase_seen = true;
      EXPECT_EQ(x["subject_hash"], subject_hash);
      EXPECT_EQ(x["detail"]["counts"]["end_users"], 1);
    }
  }
  EXPECT_TRUE(read_seen);
  EXPECT_TRUE(denied_seen);
  EXPECT_TRUE(erase_seen);
  auto v = c.Get("/v1/audit/verify", f.auditor).Json();
  EXPECT_TRUE(v["valid"].get<bool>());
  EXPECT_EQ(v["records"], items.size());
  EXPECT_EQ(v["head"], items.back()["hash"]);

  // Tampering in the database: an edited outcome, then a deleted record.
  auto tamper = [&](const char* sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((f.server.data_dir() + "/data.db").c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
  };
  tamper("UPDATE audit_log SET outcome = outcome || 'x' WHERE seq = 3");
  v = c.Get("/v1/audit/verify", f.auditor).Json();
  EXPECT_FALSE(v["valid"].get<bool>());
  EXPECT_EQ(v["first_bad_seq"], 3);
  EXPECT_EQ(v["problem"], "the record was changed");
  tamper("UPDATE audit_log SET outcome = substr(outcome, 1, length(outcome) - 1) WHERE seq = 3");
  EXPECT_TRUE(c.Get("/v1/audit/verify", f.auditor).Json()["valid"].get<bool>());
  tamper("DELETE FROM audit_log WHERE seq = 2");
  v = c.Get("/v1/audit/verify", f.auditor).Json();
  EXPECT_FALSE(v["valid"].get<bool>());
  EXPECT_EQ(v["first_bad_seq"], 2);
}

}  // namespace
}  // namespace convault
