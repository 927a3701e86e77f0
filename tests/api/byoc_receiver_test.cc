// The BYOC receiver (`convault byoc receive`): what a delivery must carry to
// be taken, and a real delivery from ByocSender over HTTP.
#include "channels/byoc/byoc_receiver.h"

#include "absl/strings/escaping.h"
#include "api/http_server.h"
#include "channels/byoc/byoc_sender.h"
#include "channels/http_client.h"
#include "common/strings.h"
#include "crypto/mac.h"
#include "gtest/gtest.h"

namespace convault {
namespace {

using Json = nlohmann::json;

std::string Sign(std::string_view secret, std::string_view body) {
  return "sha256=" + absl::BytesToHexString(Sv(*crypto::HmacSha256Once(secret, body)));
}

HttpRequest Post(const std::string& body, const std::string& signature, const std::string& key) {
  HttpRequest r;
  r.method = "POST";
  r.path = "/hook";
  r.target = "/hook";
  r.body = body;
  if (!signature.empty()) r.headers.emplace_back("x-convault-signature", signature);
  if (!key.empty()) r.headers.emplace_back("idempotency-key", key);
  return r;
}

TEST(ByocReceiver, TakesSignedMessagesOnceAndRefusesTheRest) {
  std::vector<Json> got;
  ByocReceiver receiver(SecretBytes("s3cret"), "/hook", [&](const Json& m) { got.push_back(m); });
  std::string body = R"({"event":"message","entry_id":"ent_1","text":"hello"})";

  HttpResponse ok = receiver.Handle(Post(body, Sign("s3cret", body), "ent_1"));
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(Json::parse(ok.body)["duplicate"], false);
  HttpResponse repeat = receiver.Handle(Post(body, Sign("s3cret", body), "ent_1"));
  EXPECT_EQ(repeat.status, 200);
  EXPECT_EQ(Json::parse(repeat.body)["duplicate"], true);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]["text"], "hello");

  // Forged, missing, malformed and other-secret signatures; a changed body.
  EXPECT_EQ(receiver.Handle(Post(body, Sign("other", body), "ent_2")).status, 401);
  EXPECT_EQ(receiver.Handle(Post(body, "", "ent_2")).status, 401);
  EXPECT_EQ(receiver.Handle(Post(body, "sha1=abc", "ent_2")).status, 401);
  EXPECT_EQ(receiver.Handle(Post(body, Sign("s3cret", body).substr(0, 20), "ent_2")).status, 401);
  std::string changed = R"({"event":"message","entry_id":"ent_1","text":"HELLO"})";
  EXPECT_EQ(receiver.Handle(Post(changed, Sign("s3cret", body), "ent_2")).status, 401);
  // Signed but not a JSON object.
  EXPECT_EQ(receiver.Handle(Post("[1]", Sign("s3cret", "[1]"), "ent_3")).status, 400);
  EXPECT_EQ(receiver.Handle(Post("{", Sign("s3cret", "{"), "ent_3")).status, 400);
  // Another path or method.
  HttpRequest elsewhere = Post(body, Sign("s3cret", body), "ent_4");
  elsewhere.path = "/other";
  EXPECT_EQ(receiver.Handle(elsewhere).status, 404);
  HttpRequest get = Post(body, Sign("s3cret", body), "ent_4");
  get.method = "GET";
  EXPECT_EQ(receiver.Handle(get).status, 405);
  HttpResponse refused = receiver.Handle(Post(body, "", ""));
  EXPECT_EQ(refused.content_type, "application/problem+json");
  EXPECT_EQ(got.size(), 1u);
}

TEST(ByocReceiver, ReceivesWhatTheByocSenderSends) {
  std::vector<Json> got;
  ByocReceiver receiver(SecretBytes("s3cret"), "/hook", [&](const Json& m) { got.push_back(m); });
  HttpOptions options;
  options.listen.port = 0;
  options.io_threads = 1;
  options.handler_threads = 1;
  auto server = HttpServer::Start(options, receiver);
  ASSERT_TRUE(server.ok()) << server.status();

  CurlHttpClient http;
  ByocSender sender(http);
  Channel channel;
  channel.outbound_url = "http://127.0.0.1:" + std::to_string((*server)->port()) + "/hook";
  OutboundMessage m;
  m.entry_id = "ent_42";
  m.session_id = "ses_1";
  m.platform_key = Sensitive<std::string>("visitor-1");
  m.text = Sensitive<std::string>("your order ships today");
  m.sent_at = absl::FromUnixSeconds(1767225600);
  ChannelCredentials good(std::map<std::string, std::string>{{"signing_secret", "s3cret"}});
  ASSERT_TRUE(sender.Send(channel, good, m).ok());
  ASSERT_TRUE(sender.Send(channel, good, m).ok());  // a redelivery: taken once
  ChannelCredentials wrong(std::map<std::string, std::string>{{"signing_secret", "wrong"}});
  absl::Status refused = sender.Send(channel, wrong, m);
  EXPECT_FALSE(refused.ok());
  EXPECT_FALSE(absl::IsUnavailable(refused)) << refused;  // 401: permanent, not retried
  (*server)->Shutdown();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]["entry_id"], "ent_42");
  EXPECT_EQ(got[0]["text"], "your order ships today");
  EXPECT_EQ(got[0]["end_user"]["platform_key"], "visitor-1");
}

}  // namespace
}  // namespace convault
