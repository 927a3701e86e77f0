#pragma once

#include <string>

#include "gtest/gtest.h"
#include "support/http_client.h"

namespace convault::testing {

// Checks the problem+json shape of API.md: content type, type, title,
// status, detail, code, and the request id that matches X-Request-Id.
inline void ExpectProblem(const Response& r, int status, const std::string& code) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/problem+json") << r.body;
  auto j = r.Json();
  ASSERT_TRUE(j.is_object()) << r.body;
  EXPECT_EQ(j.value("status", 0), status);
  EXPECT_EQ(j.value("code", ""), code) << r.body;
  EXPECT_EQ(j.value("type", ""), "urn:convault:problem:" + code);
  EXPECT_FALSE(j.value("title", "").empty());
  EXPECT_FALSE(j.value("detail", "").empty());
  EXPECT_FALSE(r.Header("x-request-id").empty());
  EXPECT_EQ(j.value("request_id", ""), r.Header("x-request-id"));
}

}  // namespace convault::testing
