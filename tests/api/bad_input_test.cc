// Hostile and malformed input gets a clear problem+json answer, never a
// crash, and never changes what is stored.
#include <string>

#include "gtest/gtest.h"
#include "support/problem_matchers.h"
#include "support/test_server.h"

namespace convault {
namespace {

using testing::ExpectProblem;
using testing::RawConnection;
using testing::Response;
using testing::TestServer;

class BadInput : public ::testing::Test {
 protected:
  BadInput()
      : server_([](Config& c) {
          c.http.max_body_bytes = 4096;
          c.http.max_header_bytes = 2048;
          c.http.header_timeout_ms = 300;
        }) {}

  Response Post(const std::string& body, const std::string& content_type = "application/json") {
    return server_.client().Send("POST", "/v1/api-keys", server_.admin_key(), body,
                                 {{"Content-Type", content_type}});
  }
  size_t KeyCount() {
    return server_.client()
        .Get("/v1/api-keys?limit=500", server_.admin_key())
        .Json()["items"]
        .size();
  }
  std::vector<std::string> ErrorFields(const Response& r) {
    std::vector<std::string> out;
    nlohmann::json j = r.Json();
    for (const auto& e : j["errors"]) out.push_back(e["field"]);
    return out;
  }

  TestServer server_;
};

TEST_F(BadInput, MalformedJsonIsInvalidRequest) {
  size_t before = KeyCount();
  for (std::string body : {"", "{", "{\"name\": }", "[1,2", "nul", "{\"name\":\"a\",}",
                           "\"just a string\"", "[]", "42", "{\"a\":1}{\"b\":2}"}) {
    ExpectProblem(Post(body), 400, "invalid_request");
  }
  EXPECT_EQ(KeyCount(), before);
}

TEST_F(BadInput, InvalidUtf8IsRefused) {
  ExpectProblem(Post("{\"name\":\"\xff\xfe\",\"roles\":[\"bot\"]}"), 400, "invalid_request");
  ExpectProblem(Post("{\"name\":\"\xc3\",\"roles\":[\"bot\"]}"), 400, "invalid_request");
  ExpectProblem(Post("{\"name\":\"\xed\xa0\x80\",\"roles\":[\"bot\"]}"), 400, "invalid_request");
}

TEST_F(BadInput, DeepNestingIsRefusedWithoutRecursion) {
  std::string deep(2000, '[');
  ExpectProblem(Post(deep), 400, "invalid_request");
  std::string nested =
      "{\"name\":\"a\",\"roles\":" + std::string(40, '[') + std::string(40, ']') + "}";
  ExpectProblem(Post(nested), 400, "invalid_request");
}

TEST_F(BadInput, WrongTypesNameEachField) {
  Response r = Post(R"({"name": 12, "roles": "admin"})");
  ExpectProblem(r, 400, "invalid_request");
  EXPECT_EQ(ErrorFields(r), (std::vector<std::string>{"name", "roles"}));
  r = Post(R"({"name": "ok", "roles": ["admin", 7, "root"]})");
  ExpectProblem(r, 400, "invalid_request");
  EXPECT_EQ(ErrorFields(r), (std::vector<std::string>{"roles[1]", "roles[2]"}));
  r = Post(R"({"name": "ok", "roles": []})");
  EXPECT_EQ(ErrorFields(r), (std::vector<std::string>{"roles"}));
  r = Post(R"({"name": "", "roles": ["bot"]})");
  EXPECT_EQ(ErrorFields(r), (std::vector<std::string>{"name"}));
  r = Post(R"({"name": "tab\there", "roles": ["bot"]})");
  EXPECT_EQ(ErrorFields(r), (std::vector<std::string>{"name"}));
  r = Post(R"({"roles": ["bot"]})");
  EXPECT_EQ(ErrorFields(r), (std::vector<std::string>{"name"}));
}

TEST_F(BadInput, HugeNumbersAreWrongTypesNotCrashes) {
  Response r = Post(R"({"name": 1e999999, "roles": ["bot"]})");
  EXPECT_EQ(r.status, 400);
  r = Post(R"({"name": 123456789012345678901234567890, "roles": ["bot"]})");
  ExpectProblem(r, 400, "invalid_request");
}

TEST_F(BadInput, UnknownFieldsAreRefusedByName) {
  Response r = Post(R"({"name": "x", "roles": ["bot"], "tenant_id": "ten_other"})");
  ExpectProblem(r, 400, "invalid_request");
  EXPECT_EQ(ErrorFields(r), (std::vector<std::string>{"tenant_id"}));
}

TEST_F(BadInput, NonJsonContentTypeIsUnsupported) {
  ExpectProblem(Post(R"({"name":"x","roles":["bot"]})", "text/plain"), 415,
                "unsupported_media_type");
  EXPECT_EQ(Post(R"({"name":"x","roles":["bot"]})", "application/json; charset=utf-8").status, 201);
}

TEST_F(BadInput, OversizedBodyIs413AndStoresNothing) {
  size_t before = KeyCount();
  std::string big = R"({"name":")" + std::string(8000, 'a') + R"(","roles":["bot"]})";
  ExpectProblem(Post(big), 413, "payload_too_large");
  // Declared but not sent: refused from the header alone.
  RawConnection raw(server_.port());
  raw.Send(
      "POST /v1/api-keys HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Authorization: Bearer " +
      server_.admin_key() + "\r\nContent-Length: 100000000\r\n\r\n{");
  ExpectProblem(RawConnection::ParseResponse(raw.ReadAll()), 413, "payload_too_large");
  EXPECT_EQ(KeyCount(), before);
}

TEST_F(BadInput, OversizedHeadersAre431) {
  RawConnection raw(server_.port());
  raw.Send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n");
  ExpectProblem(RawConnection::ParseResponse(raw.ReadAll()), 431, "headers_too_large");
}

TEST_F(BadInput, SlowHeadersTimeOutWith408) {
  RawConnection raw(server_.port());
  raw.Send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ");
  // The server answers once its header deadline passes, and closes.
  ExpectProblem(RawConnection::ParseResponse(raw.ReadAll()), 408, "request_timeout");
  EXPECT_EQ(server_.client().Get("/healthz").status, 200);
}

TEST_F(BadInput, GarbageRequestLineIs400) {
  RawConnection raw(server_.port());
  raw.Send("HELLO THERE\r\n\r\n");
  ExpectProblem(RawConnection::ParseResponse(raw.ReadAll()), 400, "invalid_request");
  RawConnection raw2(server_.port());
  raw2.Send("GET /healthz HTTP/1.1\r\nBad Header\r\n\r\n");
  ExpectProblem(RawConnection::ParseResponse(raw2.ReadAll()), 400, "invalid_request");
}

TEST_F(BadInput, UnknownRoutesAre404AndWrongMethods405) {
  ExpectProblem(server_.client().Get("/v1/nothing-here", server_.admin_key()), 404, "not_found");
  ExpectProblem(server_.client().Get("/"), 404, "not_found");
  ExpectProblem(server_.client().Get("/v1/api-keys/a/b", server_.admin_key()), 404, "not_found");
  Response r = server_.client().Send("PUT", "/v1/api-keys", server_.admin_key(), "{}");
  ExpectProblem(r, 405, "method_not_allowed");
  EXPECT_EQ(r.Header("allow"), "POST, GET");
  r = server_.client().Send("POST", "/healthz");
  ExpectProblem(r, 405, "method_not_allowed");
}

TEST_F(BadInput, MissingOrBadBearerTokensAre401) {
  auto& c = server_.client();
  Response r = c.Get("/v1/api-keys");
  ExpectProblem(r, 401, "unauthenticated");
  EXPECT_EQ(r.Header("www-authenticate"), "Bearer realm=\"convault\"");
  std::string forged = server_.admin_key();
  forged.back() = forged.back() == '0' ? '1' : '0';
  for (const std::string& header :
       {std::string("Basic dXNlcjpwYXNz"), std::string("Bearer"), std::string("Bearer "),
        std::string("Bearer nonsense"), "Bearer " + forged,
        "Bearer cvk_aaaaaaaaaaaaaaaaaaaa_" + std::string(64, '0'),
        "Token " + server_.admin_key()}) {
    ExpectProblem(c.Send("GET", "/v1/api-keys", "", "", {{"Authorization", header}}), 401,
                  "unauthenticated");
  }
  // The error never echoes the presented token.
  Response echoed = c.Send("GET", "/v1/api-keys", "", "", {{"Authorization", "Bearer " + forged}});
  EXPECT_EQ(echoed.body.find(forged.substr(25)), std::string::npos);
}

TEST_F(BadInput, MalformedIdsAreNotFound) {
  for (const std::string& id :
       std::vector<std::string>{"..", "key_%00", "key_AAAA", "ten_abc", std::string(300, 'k')}) {
    ExpectProblem(server_.client().Get("/v1/api-keys/" + id, server_.admin_key()), 404,
                  "not_found");
  }
}

TEST_F(BadInput, KeepAliveSurvivesErrors) {
  auto& c = server_.client();
  ExpectProblem(Post("{"), 400, "invalid_request");
  EXPECT_EQ(c.Get("/healthz").status, 200);
  EXPECT_EQ(server_.app().store().CheckReady().ok(), true);
}

}  // namespace
}  // namespace convault
