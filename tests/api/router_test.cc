#include "api/router.h"

#include "gtest/gtest.h"

namespace convault {
namespace {

absl::StatusOr<HttpResponse> Ok(const RequestContext&) { return HttpResponse{}; }

TEST(Router, MatchesLiteralAndParameterSegments) {
  Router r;
  r.Add({"GET", "/v1/api-keys", false, {Role::kAdmin}, Ok});
  r.Add({"GET", "/v1/api-keys/{id}", false, {Role::kAdmin}, Ok});
  r.Add({"DELETE", "/v1/api-keys/{id}", false, {Role::kAdmin}, Ok});
  auto m = r.Find("GET", "/v1/api-keys/key_1");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/v1/api-keys/{id}");
  EXPECT_EQ(m.params.at("id"), "key_1");
  EXPECT_EQ(r.Find("GET", "/v1/api-keys").route->pattern, "/v1/api-keys");
}

TEST(Router, ReportsAllowedMethodsWhenOnlyThePathMatches) {
  Router r;
  r.Add({"GET", "/v1/api-keys/{id}", false, {Role::kAdmin}, Ok});
  r.Add({"DELETE", "/v1/api-keys/{id}", false, {Role::kAdmin}, Ok});
  auto m = r.Find("PUT", "/v1/api-keys/x");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"GET", "DELETE"}));
}

TEST(Router, EmptySegmentsAndExtraSegmentsDoNotMatch) {
  Router r;
  r.Add({"GET", "/v1/api-keys/{id}", false, {Role::kAdmin}, Ok});
  EXPECT_EQ(r.Find("GET", "/v1/api-keys/").route, nullptr);
  EXPECT_EQ(r.Find("GET", "/v1/api-keys/a/b").route, nullptr);
  EXPECT_EQ(r.Find("GET", "/v1//a").route, nullptr);
  EXPECT_TRUE(r.Find("GET", "/v1/api-keys/a/b").allowed.empty());
}

}  // namespace
}  // namespace convault
