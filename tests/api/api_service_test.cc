// The dispatcher alone, on a memory store: errors never leak internals and
// a throwing library never takes the server down.
#include "api/api_service.h"

#include <stdexcept>

#include "gtest/gtest.h"
#include "store/memory/memory_store.h"
#include "support/http_client.h"

namespace convault {
namespace {

class ApiServiceTest : public ::testing::Test {
 protected:
  ApiServiceTest() : auth_(store_), service_(router_, auth_, metrics_, ids_) {
    router_.Add(
        {"GET", "/throws", true, {}, [](const RequestContext&) -> absl::StatusOr<HttpResponse> {
           throw std::runtime_error("secret detail");
         }});
    router_.Add(
        {"GET", "/fails", true, {}, [](const RequestContext&) -> absl::StatusOr<HttpResponse> {
           return absl::InternalError("database file /var/x is corrupt");
         }});
  }
  HttpResponse Get(const std::string& path) {
    HttpRequest r;
    r.method = "GET";
    r.path = path;
    r.target = path;
    return service_.Handle(r);
  }
  std::string Header(const HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }

  MemoryStore store_;
  Authenticator auth_;
  Router router_;
  MetricsRegistry metrics_;
  SequentialIdGenerator ids_;
  ApiService service_;
};

TEST_F(ApiServiceTest, AThrowingHandlerAnswers500AndTheServiceGoesOn) {
  HttpResponse r = Get("/throws");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_EQ(r.body.find("secret detail"), std::string::npos);
  EXPECT_EQ(Get("/throws").status, 500);
}

TEST_F(ApiServiceTest, ServerErrorsHideTheirMessage) {
  HttpResponse r = Get("/fails");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("/var/x"), std::string::npos);
  EXPECT_NE(r.body.find("\"code\":\"internal\""), std::string::npos);
}

TEST_F(ApiServiceTest, EveryResponseCarriesARequestId) {
  for (std::string path : {"/throws", "/fails", "/nowhere"}) {
    EXPECT_FALSE(Header(Get(path), "X-Request-Id").empty()) << path;
  }
  EXPECT_FALSE(Header(service_.Reject(413, "payload_too_large", "big"), "X-Request-Id").empty());
}

TEST_F(ApiServiceTest, MetricsCountRequestsByRoutePatternAndStatus) {
  Get("/fails");
  Get("/nowhere/at/all");
  std::string text = metrics_.RenderPrometheus();
  EXPECT_NE(
      text.find("convault_http_requests_total{route=\"/fails\",method=\"GET\",status=\"500\"} 1"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("route=\"unmatched\""), std::string::npos);
  EXPECT_EQ(text.find("/nowhere"), std::string::npos);
  EXPECT_NE(text.find("convault_http_requests_in_flight 0"), std::string::npos);
}

}  // namespace
}  // namespace convault
