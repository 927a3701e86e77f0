#include "api/api_service.h"

#include <chrono>
#include <typeinfo>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "api/json.h"
#include "api/problem.h"
#include "common/log.h"
#include "common/strings.h"

namespace convault {
namespace {

// The purpose recorded when the caller names none (X-Convault-Purpose).
std::string_view DefaultPurpose(RoleSet roles) {
  if (roles.Has(Role::kPrivacyOfficer)) return "privacy_request";
  if (roles.Has(Role::kAuditor)) return "audit";
  if (roles.Has(Role::kAdmin)) return "administration";
  if (roles.Has(Role::kAgent)) return "customer_service";
  if (roles.Has(Role::kBot)) return "automation";
  return "integration";
}

bool IsPurpose(std::string_view p) {
  if (p.empty() || p.size() > 64) return false;
  for (char c : p) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.')) {
      return false;
    }
  }
  return true;
}

std::string_view Outcome(int status) {
  if (status < 400) return "ok";
  if (status == 401 || status == 403) return "denied";
  if (status == 404) return "not_found";
  if (status < 500) return "refused";
  return "error";
}

}  // namespace

HttpResponse JsonResponse(int status, const Json& body) {
  HttpResponse res;
  res.status = status;
  res.content_type = "application/json";
  res.body = DumpJson(body);
  return res;
}

HttpResponse JsonResponse(int status, std::string json_text) {
  HttpResponse res;
  res.status = status;
  res.content_type = "application/json";
  res.body = std::move(json_text);
  return res;
}

ApiService::ApiService(const Router& router, const Authenticator& auth, MetricsRegistry& metrics,
                       IdGenerator& ids, privacy::AuditLog* audit, IdempotencyKeys* idempotency)
    : router_(router),
      auth_(auth),
      ids_(ids),
      audit_(audit),
      idempotency_(idempotency),
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
  std::string_view purpose;
  if (!route.is_public) {
    auto authenticated = auth_.Authenticate(request.Header("authorization"));
    if (!authenticated.ok()) {
      Problem p = ProblemFromStatus(authenticated.status());
      if (p.status == 401) p.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"convault\"");
      return RenderProblem(p, request_id);
    }
    principal = std::move(*authenticated);
    *tenant_id = principal.tenant_id;
    std::string_view named = request.Header("x-convault-purpose").value_or("");
    if (!named.empty() && !IsPurpose(named)) {
      Problem p;
      p.status = 400;
      p.code = "invalid_purpose";
      p.detail = "X-Convault-Purpose must be 1 to 64 characters of a-z, 0-9, _, - and .";
      return RenderProblem(p, request_id);
    }
    purpose = named.empty() ? DefaultPurpose(principal.roles) : named;
    if (!principal.roles.HasAny(route.roles)) {
      Problem p;
      p.status = 403;
      p.code = "forbidden";
      p.detail = "the API key's roles do not allow this operation";
      absl::Status audited = Audit(route, principal, purpose, nullptr, p.status);
      if (!audited.ok()) return RenderProblem(ProblemFromStatus(audited), request_id);
      return RenderProblem(p, request_id);
    }
  }
  RequestContext ctx{
      request, route.is_public ? nullptr : &principal, std::move(match.params), request_id, "", ""};
  absl::StatusOr<HttpResponse> result;
  std::optional<std::string_view> idempotency_key = request.Header("idempotency-key");
  if (idempotency_ != nullptr && idempotency_key.has_value() && route.method == "POST" &&
      !route.is_public) {
    result = idempotency_->Run(
        principal, *idempotency_key, request, route.keeps_answer,
        [&] { return RunHandler(route, ctx); }, ctx.audit_subject);
  } else {
    result = RunHandler(route, ctx);
  }
  if (!route.is_public) {
    int status = result.ok() ? result->status : ProblemFromStatus(result.status()).status;
    absl::Status audited = Audit(route, principal, purpose, &ctx, status);
    if (!audited.ok()) {
      // No audit record, no answer: the data must not leave unrecorded.
      log::Error("http", "audit_failed",
                 {{"request_id", request_id}, {"error", StdSv(audited.ToString())}});
      Problem p;
      p.status = 503;
      p.code = "audit_unavailable";
      p.detail = "the audit log could not record this request; try again";
      return RenderProblem(p, request_id);
    }
  }
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

absl::Status ApiService::Audit(const Route& route, const Principal& principal,
                               std::string_view purpose, const RequestContext* ctx, int status) {
  if (audit_ == nullptr || !route.audited) return absl::OkStatus();
  std::string action = absl::StrCat(route.method, " ", route.pattern);
  std::string roles = absl::StrJoin(principal.roles.Names(), ",");
  std::string_view object_id;
  if (ctx != nullptr) {
    auto id = ctx->params.find("id");
    if (id != ctx->params.end()) object_id = id->second;
  }
  // The object type is the resource of the pattern: "/v1/end-users/{id}" -> "end-users".
  std::string_view pattern = route.pattern;
  std::string_view object_type = pattern.substr(0, pattern.find("/{"));
  object_type = object_type.substr(object_type.rfind('/') + 1);
  privacy::AuditEvent e;
  e.tenant_id = principal.tenant_id;
  e.actor = principal.key_id;
  e.roles = roles;
  e.action = action;
  e.object_type = object_type;
  e.object_id = object_id;
  e.subject_id = ctx != nullptr ? std::string_view(ctx->audit_subject) : std::string_view();
  e.purpose = purpose;
  e.outcome = Outcome(status);
  e.detail = ctx != nullptr && !ctx->audit_detail.empty() ? std::string_view(ctx->audit_detail)
                                                          : std::string_view("{}");
  return audit_->Append(e).status();
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
