// The README's walk-through, step by step, with the real binary: a server, a
// local BYOC receiver, a customer's message masked and acknowledged, an agent
// reply delivered and signed, the session ended, its transcript, and no
// plaintext of what was sent in the data files.
#include <signal.h>

#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace convault {
namespace {

using testing::ChildProcess;
using ::testing::HasSubstr;
using testing::HttpClient;
using testing::TempDir;
using Json = nlohmann::json;

const std::string kBin = CONVAULT_BINARY;

TEST(Walkthrough, FromFirstMessageToTranscriptWithRepliesDeliveredToALocalReceiver) {
  TempDir dir;
  std::string data = dir.File("data");
  ChildProcess serve({kBin, "serve", "--data", data, "--listen", "127.0.0.1:0"},
                     dir.File("serve.log"));
  std::string line = serve.WaitForLine("listening on");
  ASSERT_FALSE(line.empty());
  HttpClient api(testing::PortFrom(line));
  std::string admin = testing::KeyFrom(serve.lines());
  ASSERT_FALSE(admin.empty());

  // 1. The local receiver.
  ChildProcess receiver(
      {kBin, "byoc", "receive", "--listen", "127.0.0.1:0", "--secret", "s3cret", "--path", "/in"},
      dir.File("receiver.log"));
  std::string listening = receiver.WaitForLine("\"listening\"");
  ASSERT_FALSE(listening.empty());
  std::string url = Json::parse(listening)["listening"];

  // 2. A byoc channel delivering there, with an acknowledgment; the keys.
  auto channel =
      api.PostJson("/v1/channels", admin,
                   {{"type", "byoc"},
                    {"name", "site"},
                    {"outbound_url", url},
                    {"credentials", {{"signing_secret", "s3cret"}}},
                    {"acknowledgment", {{"enabled", true}, {"text", "This chat is recorded."}}}});
  ASSERT_EQ(channel.status, 201) << channel.body;
  std::string ch = channel.Json()["id"];
  std::string integration =
      api.PostJson("/v1/api-keys", admin, {{"name", "site"}, {"roles", {"integration"}}})
          .Json()["key"];
  std::string agent =
      api.PostJson("/v1/api-keys", admin, {{"name", "ana"}, {"roles", {"agent"}}}).Json()["key"];

  // 3. A customer writes, with a card number.
  auto in = api.PostJson("/v1/channels/" + ch + "/inbound", integration,
                         {{"message_id", "m-1"},
                          {"from", {{"platform_key", "visitor-1"}, {"name", "Ada Quillfeather"}}},
                          {"text", "my card is 4111 1111 1111 1111"}});
  ASSERT_EQ(in.status, 200) << in.body;
  std::string session = in.Json()["session_id"];
  EXPECT_FALSE(in.Json()["acknowledgment_entry_id"].is_null());
  // The acknowledgment reaches the receiver.
  Json ack = Json::parse(receiver.WaitForLine("This chat is recorded."));
  EXPECT_EQ(ack["session_id"], session);
  EXPECT_EQ(ack["end_user"]["platform_key"], "visitor-1");

  // 4. What was stored: the card masked.
  auto entries = api.Get("/v1/sessions/" + session + "/entries", admin);
  ASSERT_EQ(entries.status, 200) << entries.body;
  Json items = entries.Json()["items"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["text"], "my card is ***************1111");
  EXPECT_EQ(items[1]["actor_type"], "system");

  // 5. An agent replies; it reaches the receiver, and the session is active.
  auto reply = api.Send("POST", "/v1/sessions/" + session + "/entries", agent,
                        Json{{"text", "Thanks Ada, your order ships today."}}.dump(),
                        {{"Content-Type", "application/json"}, {"Idempotency-Key", "reply-1"}});
  ASSERT_EQ(reply.status, 201) << reply.body;
  Json delivered = Json::parse(receiver.WaitForLine("your order ships today"));
  EXPECT_EQ(delivered["entry_id"], reply.Json()["id"]);
  EXPECT_EQ(api.Get("/v1/sessions/" + session, admin).Json()["status"], "active");

  // 6. The session ends; its transcript.
  ASSERT_EQ(api.Send("POST", "/v1/sessions/" + session + "/end", agent).status, 200);
  EXPECT_EQ(api.Get("/v1/sessions/" + session, admin).Json()["status"], "ended");
  auto transcript = api.Get("/v1/sessions/" + session + "/transcript?format=text", admin);
  ASSERT_EQ(transcript.status, 200) << transcript.body;
  EXPECT_THAT(transcript.body,
              HasSubstr("end_user (Ada Quillfeather): my card is ***************1111"));
  EXPECT_THAT(transcript.body, HasSubstr("agent"));
  EXPECT_THAT(transcript.body, HasSubstr("your order ships today"));

  serve.Signal(SIGTERM);
  EXPECT_EQ(serve.Wait(), 0);
  receiver.Signal(SIGTERM);
  EXPECT_EQ(receiver.Wait(), 0);

  // 7. None of what was sent is readable in the data files.
  std::string all;
  for (const auto& f : std::filesystem::recursive_directory_iterator(data)) {
    if (f.is_regular_file()) all += testing::ReadFileOrEmpty(f.path().string());
  }
  for (const char* canary : {"4111 1111 1111 1111", "Ada Quillfeather", "visitor-1",
                             "your order ships today", "my card is"}) {
    EXPECT_EQ(all.find(canary), std::string::npos) << canary;
  }
}

}  // namespace
}  // namespace convault
