// Crash safety of the ingest path (issue 5, "Bad input and faults"): clients
// post inbound messages concurrently, the server is killed with SIGKILL in the
// middle, and after a restart every message that was answered 200 is there
// (a repeat of it is a duplicate) and no session is half written.
#include <signal.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "gtest/gtest.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace convault {
namespace {

using testing::ChildProcess;
using testing::HttpClient;
using testing::TempDir;

const std::string kBin = CONVAULT_BINARY;

uint16_t PortFrom(const std::string& line) {
  size_t colon = line.rfind(':', line.find(" (data"));
  return static_cast<uint16_t>(std::stoi(line.substr(colon + 1)));
}

std::string KeyFrom(const std::vector<std::string>& lines) {
  for (const auto& l : lines) {
    if (l.rfind("cvk_", 0) == 0) return l;
  }
  return "";
}

nlohmann::json Message(const std::string& id, int person) {
  return {{"message_id", id},
          {"from", {{"platform_key", "visitor-" + std::to_string(person)}}},
          {"text", "order for card 4111 1111 1111 1111, message " + id},
          {"context", {{"page", "/checkout"}}}};
}

TEST(IngestCrash, EveryAcknowledgedMessageSurvivesKillMinus9) {
  TempDir dir;
  std::string data = dir.File("data");
  std::string log = dir.File("serve.log");
  std::string admin, integration, channel;
  std::vector<std::pair<std::string, int>> acknowledged;  // message id, person
  std::mutex mu;
  {
    ChildProcess serve({kBin, "serve", "--data", data, "--listen", "127.0.0.1:0"}, log);
    std::string line = serve.WaitForLine("listening on");
    ASSERT_FALSE(line.empty());
    uint16_t port = PortFrom(line);
    admin = KeyFrom(serve.lines());
    HttpClient setup(port);
    auto ch = setup.PostJson("/v1/channels", admin,
                             {{"type", "byoc"},
                              {"name", "site"},
                              {"acknowledgment", {{"enabled", true}, {"text", "Recorded."}}}});
    ASSERT_EQ(ch.status, 201) << ch.body;
    channel = ch.Json()["id"];
    auto key = setup.PostJson("/v1/api-keys", admin, {{"name", "i"}, {"roles", {"integration"}}});
    ASSERT_EQ(key.status, 201);
    integration = key.Json()["key"];

    std::atomic<int> acks{0};
    std::atomic<bool> killed{false};
    std::vector<std::thread> clients;
    for (int t = 0; t < 4; ++t) {
      clients.emplace_back([&, t] {
        HttpClient c(port);
        for (int n = 0; !killed; ++n) {
          std::string id = "t" + std::to_string(t) + "-" + std::to_string(n);
          int person = (t * 1000 + n) % 37;  // new and returning end users
          try {
            auto r = c.PostJson("/v1/channels/" + channel + "/inbound", integration,
                                Message(id, person));
            if (r.status == 200) {
              std::lock_guard<std::mutex> lock(mu);
              acknowledged.emplace_back(id, person);
              ++acks;
            } else if (r.status == 0) {
              return;  // the server is gone
            }
          } catch (...) {
            return;
          }
        }
      });
    }
    while (acks < 300) std::this_thread::yield();
    serve.Signal(SIGKILL);  // in the middle of the load
    killed = true;
    for (auto& t : clients) t.join();
    EXPECT_EQ(serve.Wait(), 128 + SIGKILL);
  }
  ASSERT_GE(acknowledged.size(), 300u);

  ChildProcess again({kBin, "serve", "--data", data, "--listen", "127.0.0.1:0"}, log);
  std::string line = again.WaitForLine("listening on");
  ASSERT_FALSE(line.empty());
  HttpClient c(PortFrom(line));
  for (const auto& [id, person] : acknowledged) {
    auto r = c.PostJson("/v1/channels/" + channel + "/inbound", integration, Message(id, person));
    ASSERT_EQ(r.status, 200) << id << " " << r.body;
    EXPECT_TRUE(r.Json()["duplicate"].get<bool>()) << id << " was acknowledged but is missing";
  }
  // No half-written session: each has its first message and its acknowledgment, in order.
  auto sessions = c.Get("/v1/sessions?limit=500", admin).Json();
  ASSERT_FALSE(sessions["items"].empty());
  for (const auto& s : sessions["items"]) {
    auto entries =
        c.Get("/v1/sessions/" + s["id"].get<std::string>() + "/entries?limit=500", admin).Json();
    const auto& items = entries["items"];
    ASSERT_GE(items.size(), 2u) << s["id"];
    EXPECT_EQ(items[0]["actor_type"], "end_user");
    EXPECT_EQ(items[1]["actor_type"], "system");
    for (size_t i = 0; i < items.size(); ++i) EXPECT_EQ(items[i]["seq"], i + 1);
  }
  // One session per person (37 people at most).
  EXPECT_LE(sessions["items"].size(), 37u);
  again.Signal(SIGTERM);
  EXPECT_EQ(again.Wait(), 0);
}

}  // namespace
}  // namespace convault
