#include <set>

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
  EXPECT_EQ(j["findings"][0]["rule_id"], "rule_default_credit_card");
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

}  // namespace
}  // namespace convault
