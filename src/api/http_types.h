#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/body_source.h"

namespace convault {

// A complete HTTP request as the transport read it. Header names are lower case.
struct HttpRequest {
  std::string method;
  std::string target;  // as sent: path and query
  std::string path;
  std::string query;  // without '?'
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool keep_alive = true;

  // The first header named `lower_name`, if any.
  std::optional<std::string_view> Header(std::string_view lower_name) const {
    for (const auto& [k, v] : headers) {
      if (k == lower_name) return std::string_view(v);
    }
    return std::nullopt;
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type;  // empty: no body
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the body comes from here instead of `body`.
  std::shared_ptr<BodySource> stream;
};

// What the transport calls. Implemented by the API dispatcher.
// Thread safety: both methods are called concurrently from handler threads.
class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  // Answers a complete, well-formed request.
  virtual HttpResponse Handle(const HttpRequest& request) = 0;
  // Answers a request the transport refused before it was complete
  // (status 400, 408, 413, 431); `code` is the problem code.
  virtual HttpResponse Reject(int status, std::string_view code, std::string_view detail) = 0;
};

}  // namespace convault
