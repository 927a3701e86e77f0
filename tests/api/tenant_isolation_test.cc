// Two tenants; every endpoint so far. A key sees and changes only its own
// tenant, and another tenant's ids answer 404 exactly like missing ones.
#include "gtest/gtest.h"
#include "support/problem_matchers.h"
#include "support/test_server.h"

namespace convault {
namespace {

using testing::ExpectProblem;
using testing::Response;
using testing::TestServer;

TEST(TenantIsolation, KeysOfOneTenantCannotSeeOrTouchAnother) {
  TestServer server;
  auto& c = server.client();
  auto [tenant_b, admin_b] = server.CreateTenant("beta");
  auto [a_key_id, a_key] = server.CreateKey(server.admin_key(), {"agent"});
  auto [b_key_id, b_key] = server.CreateKey(admin_b, {"agent"});

  // Lists hold only the caller's tenant's keys.
  auto list_a = c.Get("/v1/api-keys", server.admin_key()).Json();
  auto list_b = c.Get("/v1/api-keys", admin_b).Json();
  for (const auto& item : list_a["items"]) EXPECT_NE(item["id"], b_key_id);
  for (const auto& item : list_b["items"]) EXPECT_NE(item["id"], a_key_id);
  EXPECT_EQ(list_a["items"].size(), 2u);
  EXPECT_EQ(list_b["items"].size(), 2u);

  // Another tenant's id is 404 for GET and DELETE, the same answer as a missing id.
  Response foreign = c.Get("/v1/api-keys/" + b_key_id, server.admin_key());
  ExpectProblem(foreign, 404, "not_found");
  Response missing = c.Get("/v1/api-keys/key_doesnotexist0000000", server.admin_key());
  EXPECT_EQ(foreign.Json()["detail"], missing.Json()["detail"]);
  ExpectProblem(c.Send("DELETE", "/v1/api-keys/" + b_key_id, server.admin_key()), 404, "not_found");
  EXPECT_EQ(c.Get("/v1/api-keys/" + b_key_id, admin_b).status, 200);

  // A cursor from another tenant's list does not reveal its keys.
  auto paged = c.Get("/v1/api-keys?limit=1&cursor=" + b_key_id, server.admin_key()).Json();
  for (const auto& item : paged["items"]) EXPECT_NE(item["id"], b_key_id);

  // Keys created by B's admin belong to B.
  Response created = c.PostJson("/v1/api-keys", admin_b, {{"name", "b2"}, {"roles", {"bot"}}});
  ASSERT_EQ(created.status, 201);
  std::string new_id = created.Json()["id"];
  ExpectProblem(c.Get("/v1/api-keys/" + new_id, server.admin_key()), 404, "not_found");
  EXPECT_EQ(c.Get("/v1/api-keys/" + new_id, admin_b).status, 200);

  // The public operational endpoints answer both alike and carry no tenant data.
  EXPECT_EQ(c.Get("/healthz").status, 200);
  EXPECT_EQ(c.Get("/readyz").status, 200);
  std::string metrics = c.Get("/metrics").body;
  EXPECT_EQ(metrics.find(tenant_b), std::string::npos);
  EXPECT_EQ(metrics.find(server.tenant_id()), std::string::npos);
}

}  // namespace
}  // namespace convault
