#include "gtest/gtest.h"
#include "support/problem_matchers.h"
#include "support/softhsm.h"
#include "support/temp_dir.h"
#include "support/test_server.h"

namespace convault {
namespace {

using testing::ExpectProblem;
using testing::Response;
using testing::TestServer;

TEST(KeysApi, ShowsVersionsAndCountsButNoKeyMaterial) {
  TestServer server;
  ASSERT_TRUE(server.app()
                  .field_cipher()
                  .Seal({server.tenant_id(), "entry", "ent_1", "message", "eu_1"}, "x")
                  .ok());
  Response r = server.client().Get("/v1/keys", server.admin_key());
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.Json();
  EXPECT_EQ(j["provider"], "file");
  EXPECT_EQ(j["current_version"], 1);
  ASSERT_EQ(j["versions"].size(), 1u);
  EXPECT_EQ(j["versions"][0]["state"], "active");
  EXPECT_EQ(j["versions"][0]["wrapped_keys"], 1);
  EXPECT_EQ(j["tenant_wrapped_keys"], 1);
  EXPECT_EQ(r.body.find("wrapped\""), std::string::npos);
}

TEST(KeysApi, OperatorRotatesAndTheJobDrainsTheOldVersion) {
  TestServer server([](Config& c) { c.keys.destroy_grace_seconds = 0; });
  auto& cipher = server.app().field_cipher();
  crypto::FieldContext ctx{server.tenant_id(), "entry", "ent_1", "message", "eu_1"};
  std::string sealed = *cipher.Seal(ctx, "before rotation");
  Response r = server.client().Send("POST", "/v1/keys/rotate", server.admin_key());
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(r.Json()["current_version"], 2);
  ASSERT_TRUE(server.app().RunKeyJobsOnce().ok());
  auto j = server.client().Get("/v1/keys", server.admin_key()).Json();
  EXPECT_EQ(j["current_version"], 2);
  ASSERT_EQ(j["versions"].size(), 2u);
  EXPECT_EQ(j["versions"][0]["state"], "destroyed");
  EXPECT_EQ(j["versions"][1]["state"], "active");
  // The subject's DEK and the tenant's index key (root of the audit key: the
  // rotation was audited).
  EXPECT_EQ(j["versions"][1]["wrapped_keys"], 2);
  EXPECT_EQ(*cipher.Open(ctx, sealed), "before rotation");
}

TEST(KeysApi, OnlyTheOperatorRotatesAndOnlyAdminsLook) {
  TestServer server;
  auto [tenant_b, admin_b] = server.CreateTenant("beta");
  ExpectProblem(server.client().Send("POST", "/v1/keys/rotate", admin_b), 403, "forbidden");
  auto j = server.client().Get("/v1/keys", admin_b).Json();
  EXPECT_FALSE(j["versions"][0].contains("wrapped_keys"));
  EXPECT_EQ(j["tenant_wrapped_keys"], 1);  // its index key, root of its audit key
  auto [id, agent] = server.CreateKey(server.admin_key(), {"agent", "privacy_officer"});
  ExpectProblem(server.client().Get("/v1/keys", agent), 403, "forbidden");
  ExpectProblem(server.client().Send("POST", "/v1/keys/rotate", agent), 403, "forbidden");
  ExpectProblem(server.client().Send("POST", "/v1/keys/rotate", server.admin_key(), "{\"x\":1}",
                                     {{"Content-Type", "application/json"}}),
                400, "invalid_request");
  EXPECT_EQ(server.client().Get("/v1/keys", server.admin_key()).Json()["current_version"], 1);
}

TEST(KeysApi, ServesWithAnHsmProviderAndRotatesInside) {
  testing::TempDir hsm;
  ASSERT_TRUE(testing::OpenSoftHsmProvider(hsm.path()).ok());  // initializes the token
  TestServer server([](Config& c) {
    c.keys.provider = testing::SoftHsmUri();
    c.keys.destroy_grace_seconds = 0;
  });
  crypto::FieldContext ctx{server.tenant_id(), "end_user", "eu_1", "name", "eu_1"};
  std::string sealed = *server.app().field_cipher().Seal(ctx, "Jane Canary");
  auto j = server.client().Get("/v1/keys", server.admin_key()).Json();
  EXPECT_EQ(j["provider"], "pkcs11");
  ASSERT_EQ(server.client().Send("POST", "/v1/keys/rotate", server.admin_key()).status, 202);
  ASSERT_TRUE(server.app().RunKeyJobsOnce().ok());
  j = server.client().Get("/v1/keys", server.admin_key()).Json();
  EXPECT_EQ(j["current_version"], 2);
  EXPECT_EQ(j["versions"][0]["state"], "destroyed");
  EXPECT_EQ(*server.app().field_cipher().Open(ctx, sealed), "Jane Canary");
}

TEST(KeysApi, ABadHsmUriStopsTheStartWithTheFieldNamed) {
  Config config;
  testing::TempDir dir;
  config.data_dir = dir.path();
  config.keys.provider = "pkcs11:module=/nonexistent.so;token=t;pin=1234";
  FakeClock clock;
  SequentialIdGenerator ids;
  auto app = App::Open(config, clock, ids);
  ASSERT_FALSE(app.ok());
  EXPECT_NE(std::string(app.status().message()).find("keys.provider"), std::string::npos);
  EXPECT_EQ(std::string(app.status().message()).find("1234"), std::string::npos);
}

}  // namespace
}  // namespace convault
