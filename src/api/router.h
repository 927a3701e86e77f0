#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "api/http_types.h"
#include "model/role.h"

namespace convault {

// Who is calling: resolved from the bearer API key.
struct Principal {
  std::string tenant_id;
  std::string key_id;
  RoleSet roles;
};

// What a handler gets. `principal` is null only on public routes.
struct RequestContext {
  const HttpRequest& request;
  const Principal* principal;
  std::map<std::string, std::string, std::less<>> params;  // from {name} segments
  std::string request_id;
  // Set by handlers for the audit record (PRIVACY.md section 8): the end user
  // the request concerned and a JSON detail without personal data.
  mutable std::string audit_subject;
  mutable std::string audit_detail;

  const std::string& param(std::string_view name) const { return params.find(name)->second; }
};

using RouteHandler = std::function<absl::StatusOr<HttpResponse>(const RequestContext&)>;

struct Route {
  std::string method;   // "GET", "POST", ...
  std::string pattern;  // "/v1/api-keys/{id}"; also the route label in logs and metrics
  bool is_public = false;
  RoleSet roles;  // the caller needs at least one of these (ignored when public)
  RouteHandler handler;
  // Whether each call (allowed or denied) goes to the tenant's audit log.
  // Every authenticated route is, except high-volume ingest and the audit
  // log's own reads.
  bool audited = true;
  // Idempotency-Key (api/idempotency.h): whether a POST's answer may be kept
  // for replay; false when it holds a secret (a new API key).
  bool keeps_answer = true;
};

// Matches method and path against registered patterns. Segments are
// compared literally; "{name}" matches one non-empty segment.
// Thread safety: Add before serving; Match concurrently afterwards.
class Router {
 public:
  void Add(Route route);

  struct Match {
    const Route* route = nullptr;  // set on a full match
    std::map<std::string, std::string, std::less<>> params;
    std::vector<std::string> allowed;  // path matched, method did not
  };
  Match Find(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Compiled {
    std::vector<std::string> segments;
  };
  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
};

}  // namespace convault
