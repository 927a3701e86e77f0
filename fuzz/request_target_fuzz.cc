// Request targets: routing and list query parameters.
#include <cstddef>
#include <cstdint>
#include <string>

#include "api/pagination.h"
#include "api/router.h"

namespace {
absl::StatusOr<convault::HttpResponse> Ok(const convault::RequestContext&) {
  return convault::HttpResponse{};
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static convault::Router* router = [] {
    auto* r = new convault::Router();
    r->Add({"GET", "/v1/api-keys", false, {convault::Role::kAdmin}, Ok});
    r->Add({"GET", "/v1/api-keys/{id}", false, {convault::Role::kAdmin}, Ok});
    r->Add({"DELETE", "/v1/api-keys/{id}", false, {convault::Role::kAdmin}, Ok});
    return r;
  }();
  std::string target(reinterpret_cast<const char*>(data), size);
  convault::HttpRequest request;
  size_t q = target.find('?');
  request.path = target.substr(0, q);
  if (q != std::string::npos) request.query = target.substr(q + 1);
  auto match = router->Find("GET", request.path);
  if (match.route != nullptr && match.route->pattern == "/v1/api-keys/{id}" &&
      match.params.at("id").empty()) {
    __builtin_trap();
  }
  (void)convault::ParseListOptions(request, "key");
  return 0;
}
