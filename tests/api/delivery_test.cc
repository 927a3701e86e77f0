// The outbox and its delivery worker against a real HTTP receiver: BYOC
// replies signed with the channel's secret, retries with backoff on the
// injected clock, dead letters, and the status recorded on each entry.
#include "absl/strings/escaping.h"
#include "crypto/mac.h"
#include "gtest/gtest.h"
#include "support/http_receiver.h"
#include "support/problem_matchers.h"
#include "support/test_server.h"

namespace convault {
namespace {

using testing::HttpReceiver;
using testing::Response;
using testing::TestServer;

constexpr char kSecret[] = "byoc-signing-secret-1";

struct Fixture {
  HttpReceiver receiver;
  TestServer server{[](Config& c) { c.messaging.delivery_interval_ms = 60000; }};
  std::string channel, integration, agent, session;

  explicit Fixture(bool with_secret = true, bool with_outbound_url = true) {
    auto& c = server.client();
    nlohmann::json ch = {{"type", "byoc"},
                         {"name", "site"},
                         {"acknowledgment", {{"enabled", true}, {"text", "Recorded."}}}};
    if (with_outbound_url) ch["outbound_url"] = receiver.Url("/replies");
    if (with_secret) ch["credentials"] = {{"signing_secret", kSecret}};
    Response r = c.PostJson("/v1/channels", server.admin_key(), ch);
    EXPECT_EQ(r.status, 201) << r.body;
    channel = r.Json()["id"];
    integration = server.CreateKey(server.admin_key(), {"integration"}).second;
    agent = server.CreateKey(server.admin_key(), {"agent"}).second;
    Response in = c.PostJson(
        "/v1/channels/" + channel + "/inbound", integration,
        {{"message_id", "m-1"}, {"from", {{"platform_key", "visitor-9"}}}, {"text", "hi"}});
    EXPECT_EQ(in.status, 200) << in.body;
    session = in.Json()["session_id"];
  }
  DeliveryWorker& worker() { return *server.app().delivery(); }
  nlohmann::json Entries() {
    return server.client()
        .Get("/v1/sessions/" + session + "/entries", server.admin_key())
        .Json()["items"];
  }
};

TEST(Delivery, RepliesArePostedSignedAndMarkedSent) {
  Fixture f;
  Response reply = f.server.client().PostJson("/v1/sessions/" + f.session + "/entries", f.agent,
                                              {{"text", "card 4111 1111 1111 1111 noted"}});
  ASSERT_EQ(reply.status, 201);
  auto counts = f.worker().RunOnce();
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ(counts->sent, 2);  // the acknowledgment and the reply
  auto requests = f.receiver.Requests();
  ASSERT_EQ(requests.size(), 2u);
  for (const auto& r : requests) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.path, "/replies");
    EXPECT_EQ(r.headers.at("content-type"), "application/json");
    // The signature is HMAC-SHA256 over the raw body with the channel's secret.
    auto tag = crypto::HmacSha256Once(kSecret, r.body);
    ASSERT_TRUE(tag.ok());
    EXPECT_EQ(r.headers.at("x-convault-signature"), "sha256=" + absl::BytesToHexString(*tag));
    auto body = nlohmann::json::parse(r.body);
    EXPECT_EQ(body["event"], "message");
    EXPECT_EQ(body["session_id"], f.session);
    EXPECT_EQ(body["end_user"]["platform_key"], "visitor-9");
    EXPECT_EQ(r.headers.at("idempotency-key"), body["entry_id"]);
  }
  auto first = nlohmann::json::parse(requests[0].body);
  auto second = nlohmann::json::parse(requests[1].body);
  EXPECT_EQ(first["text"], "Recorded.");
  EXPECT_EQ(second["text"], "card ***************1111 noted");  // what was stored, masked
  auto entries = f.Entries();
  EXPECT_EQ(entries[1]["delivery_status"], "sent");
  EXPECT_EQ(entries[2]["delivery_status"], "sent");
  // Nothing is sent twice.
  EXPECT_EQ(f.worker().RunOnce()->sent, 0);
  EXPECT_EQ(f.receiver.Requests().size(), 2u);
}

TEST(Delivery, FailuresAreRetriedWithBackoffThenDelivered) {
  Fixture f;
  f.receiver.RespondWith({503, 500, 200});
  ASSERT_EQ(f.worker().RunOnce()->retried, 1);
  EXPECT_EQ(f.Entries()[1]["delivery_status"], "failed");
  // Not due again before the backoff (at least 1 s for the first retry).
  EXPECT_EQ(f.worker().RunOnce()->retried, 0);
  EXPECT_EQ(f.receiver.Requests().size(), 1u);
  f.server.clock().Advance(absl::Seconds(3));
  EXPECT_EQ(f.worker().RunOnce()->retried, 1);
  f.server.clock().Advance(absl::Seconds(5));
  EXPECT_EQ(f.worker().RunOnce()->sent, 1);
  EXPECT_EQ(f.receiver.Requests().size(), 3u);
  EXPECT_EQ(f.Entries()[1]["delivery_status"], "sent");
}

TEST(Delivery, PermanentRefusalsAndExhaustedRetriesAreDeadLettered) {
  {
    Fixture f;
    f.receiver.RespondWith({400});
    EXPECT_EQ(f.worker().RunOnce()->dead_lettered, 1);
    EXPECT_EQ(f.Entries()[1]["delivery_status"], "dead_lettered");
  }
  {
    Fixture f;
    f.receiver.RespondWith({500});
    int dead = 0;
    for (int i = 0; i < 12 && dead == 0; ++i) {
      dead = f.worker().RunOnce()->dead_lettered;
      f.server.clock().Advance(absl::Hours(1));
    }
    EXPECT_EQ(dead, 1);
    EXPECT_EQ(f.receiver.Requests().size(), 8u);  // max_attempts
    EXPECT_EQ(f.Entries()[1]["delivery_status"], "dead_lettered");
  }
  {
    Fixture f(/*with_secret=*/false);  // nothing to sign with: never sent unsigned
    EXPECT_EQ(f.worker().RunOnce()->dead_lettered, 1);
    EXPECT_TRUE(f.receiver.Requests().empty());
  }
}

TEST(Delivery, ReceiveOnlyChannelsStoreRepliesDeadLetteredAndQueueNothing) {
  Fixture f(/*with_secret=*/true, /*with_outbound_url=*/false);
  auto& c = f.server.client();
  // The acknowledgment is in the transcript, dead-lettered from the start.
  auto entries = f.Entries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1]["actor_type"], "system");
  EXPECT_EQ(entries[1]["delivery_status"], "dead_lettered");
  Response reply = c.PostJson("/v1/sessions/" + f.session + "/entries", f.agent, {{"text", "hi"}});
  ASSERT_EQ(reply.status, 201) << reply.body;
  EXPECT_EQ(reply.Json()["delivery_status"], "dead_lettered");
  // Nothing was queued: the worker finds nothing to claim.
  auto counts = f.worker().RunOnce();
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ(counts->sent + counts->retried + counts->dead_lettered, 0);
  EXPECT_TRUE(f.receiver.Requests().empty());

  // Given a way out, the next reply is queued and sent.
  nlohmann::json way_out = {{"outbound_url", f.receiver.Url("/replies")}};
  Response patched = c.Send("PATCH", "/v1/channels/" + f.channel, f.server.admin_key(),
                            way_out.dump(), {{"Content-Type", "application/json"}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  reply = c.PostJson("/v1/sessions/" + f.session + "/entries", f.agent, {{"text", "again"}});
  ASSERT_EQ(reply.status, 201) << reply.body;
  EXPECT_EQ(reply.Json()["delivery_status"], "queued");
  EXPECT_EQ(f.worker().RunOnce()->sent, 1);
  ASSERT_EQ(f.receiver.Requests().size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(f.receiver.Requests()[0].body)["text"], "again");
}

TEST(Delivery, BackoffGrowsAndStaysWithinItsBounds) {
  Fixture f;
  DeliveryWorker& w = f.worker();
  for (int attempt = 0; attempt < 20; ++attempt) {
    absl::Duration full = absl::Seconds(2);
    for (int i = 0; i < attempt && full < absl::Minutes(30); ++i) full *= 2;
    if (full > absl::Minutes(30)) full = absl::Minutes(30);
    absl::Duration d = w.Backoff(attempt);
    EXPECT_GE(d, full / 2) << attempt;
    EXPECT_LT(d, full) << attempt;
  }
}

}  // namespace
}  // namespace convault
