#include "api/api_service.h"

#include <chrono>
#include <typeinfo>

#include "absl/strings/str_join.h"
#include "api/json.h"
#include "api/problem.h"
#include "common/log.h"
#include "common/strings.h"

namespace convault {

HttpResponse JsonResponse(int status, const Json& body) {
  HttpResponse res;
  res.status = status;
  res.content_type = "application/json";
  res.body = DumpJson(body);
  return res;
}

ApiService::ApiService(const Router& router, const Authenticator& auth, MetricsRegistry& metrics,
                       IdGenerator& ids)
    : router_(router),
      auth_(auth),
      ids_(ids),
      requests_(metrics.AddCounter("convault_http_requests_total",
                                   "HTTP requests by route, method and status.",
                                   {"route", "method", "status"})),
      latency_(metrics.AddHistogram("convault_http_request_duration_seconds",
                                    "HTTP request latency by route.", {"route"},
                                    MetricsRegistry::LatencyBuckets())),
      in_flight_(
          metrics
              .AddGauge("convault_http_requests_in_flight", "HTTP requests being handled now.", {})
              .With({})) {}

HttpResponse ApiService::Handle(const HttpRequest& request) {
  auto start = std::chrono::steady_clock::now();
  in_flight_.Add(1);
  std::string request_id = ids_.NewId("req");
  std::string route = "unmatched";
  std::string tenant_id;
  HttpResponse response = Dispatch(request, request_id, &route, &tenant_id);
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  in_flight_.Add(-1);
  std::string_view method = route == "unmatched" ? std::string_view("-") : request.method;
  Finish(response, request_id, method, route, tenant_id, elapsed.count());
  return response;
}

HttpResponse ApiService::Reject(int status, std::string_view code, std::string_view detail) {
  std::string request_id = ids_.NewId("req");
  Problem p;
  p.status = status;
  p.code = std::string(code);
  p.detail = std::string(detail);
  HttpResponse response = RenderProblem(p, request_id);
  Finish(response, request_id, "-", "rejected", "", 0);
  return response;
}

// A library that throws (allocation failure, a JSON accessor misused) must not
// take the process down: the request fails with 500 and the server goes on.
absl::StatusOr<HttpResponse> ApiService::RunHandler(const Route& route, const RequestContext& ctx) {
  try {
    return route.handler(ctx);
  } catch (const std::exception& e) {
    return absl::InternalError(std::string("handler threw: ") + typeid(e).name());
  } catch (...) {
    return absl::InternalError("handler threw");
  }
}

HttpResponse ApiService::Dispatch(const HttpRequest& request, const std::string& request_id,
                                  std::string* route_label, std::string* tenant_id) {
  Router::Match match = router_.Find(request.method, request.path);
  if (match.route == nullptr) {
    Problem p;
    if (match.allowed.empty()) {
      p.status = 404;
      p.code = "not_found";
      p.detail = "no such resource";
    } else {
      p.status = 405;
      p.code = "method_not_allowed";
      p.detail = "this resource does not support the method";
      p.headers.emplace_back("Allow", absl::StrJoin(match.allowed, ", "));
    }
    return RenderProblem(p, request_id);
  }
  const Route& route = *match.route;
  *route_label = route.pattern;
  Principal principal;
  if (!route.is_public) {
    auto authenticated = auth_.Authenticate(request.Header("authorization"));
    if (!authenticated.ok()) {
      Problem p = ProblemFromStatus(authenticated.status());
      if (p.status == 401) p.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"convault\"");
      return RenderProblem(p, request_id);
    }
    principal = std::move(*authenticated);
    *tenant_id = principal.tenant_id;
    if (!principal.roles.HasAny(route.roles)) {
      Problem p;
      p.status = 403;
      p.code = "forbidden";
      p.detail = "the API key's roles do not allow this operation";
      return RenderProblem(p, request_id);
    }
  }
  RequestContext ctx{request, route.is_public ? nullptr : &principal, std::move(match.params),
                     request_id};
  absl::StatusOr<HttpResponse> result = RunHandler(route, ctx);
  if (!result.ok()) {
    Problem problem = ProblemFromStatus(result.status());
    if (problem.status >= 500) {
      // Status messages never hold personal data (common/status.h), so the
      // cause can be logged; the client only gets a generic detail.
      log::Error("http", "handler_error",
                 {{"request_id", request_id},
                  {"route", route.pattern},
                  {"error", StdSv(result.status().ToString())}});
    }
    return RenderProblem(problem, request_id);
  }
  return std::move(*result);
}

void ApiService::Finish(HttpResponse& response, std::string_view request_id,
                        std::string_view method, std::string_view route, std::string_view tenant_id,
                        double seconds) {
  response.headers.emplace_back("X-Request-Id", std::string(request_id));
  response.headers.emplace_back("Cache-Control", "no-store");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  std::string status = std::to_string(response.status);
  requests_.With({route, method, status}).Inc();
  latency_.With({route}).Observe(seconds);
  log::Level level = response.status >= 500 ? log::Level::kError : log::Level::kInfo;
  log::Write(level, "http", "request",
             {{"request_id", request_id},
              {"method", method},
              {"route", route},
              {"status", response.status},
              {"latency_ms", seconds * 1000.0},
              {"tenant_id", tenant_id}});
}

}  // namespace convault
