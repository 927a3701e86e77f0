#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace convault {

// Outbound HTTP for channel senders.
class HttpClient {
 public:
  struct Request {
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    absl::Duration timeout = absl::Seconds(10);
  };
  virtual ~HttpClient() = default;
  // POSTs and returns the response status; Unavailable on a network error or
  // timeout. Never logs or returns the body.
  virtual absl::StatusOr<int> Post(const Request& request) = 0;
};

// libcurl, one easy handle per thread (kept-alive connections are reused).
class CurlHttpClient final : public HttpClient {
 public:
  CurlHttpClient();
  absl::StatusOr<int> Post(const Request& request) override;
};

// The Status a channel sender reports for an HTTP answer: OK for 2xx;
// Unavailable (retry) for 408, 429 and 5xx; FailedPrecondition otherwise.
absl::Status StatusForHttp(int code);

}  // namespace convault
