#pragma once

#include <memory>

#include "api/auth.h"
#include "api/http_types.h"
#include "api/idempotency.h"
#include "api/json.h"
#include "api/router.h"
#include "common/ids.h"
#include "common/metrics.h"
#include "privacy/audit_log.h"

namespace convault {

// The API dispatcher the HTTP server calls: gives every request an id
// (X-Request-Id), routes it, authenticates and checks roles, runs the
// handler, turns errors into problem+json, and records one access-log line
// and the HTTP metrics. Logs hold the route pattern, never the raw path,
// query or body.
// Thread safety: Handle and Reject may be called concurrently.
class ApiService final : public HttpHandler {
 public:
  // All references must outlive the service.
  // `audit` may be null (no audit log, for unit tests of the routing).
  // `idempotency` may be null (Idempotency-Key headers are then ignored).
  ApiService(const Router& router, const Authenticator& auth, MetricsRegistry& metrics,
             IdGenerator& ids, privacy::AuditLog* audit = nullptr,
             IdempotencyKeys* idempotency = nullptr);

  HttpResponse Handle(const HttpRequest& request) override;
  HttpResponse Reject(int status, std::string_view code, std::string_view detail) override;

 private:
  HttpResponse Dispatch(const HttpRequest& request, const std::string& request_id,
                        std::string* route_label, std::string* tenant_id);
  absl::StatusOr<HttpResponse> RunHandler(const Route& route, const RequestContext& ctx);
  // Appends the audit record of an authenticated call; an error means the
  // answer must not be given.
  absl::Status Audit(const Route& route, const Principal& principal, std::string_view purpose,
                     const RequestContext* ctx, int status);
  void Finish(HttpResponse& response, std::string_view request_id, std::string_view method,
              std::string_view route, std::string_view tenant_id, double seconds);

  const Router& router_;
  const Authenticator& auth_;
  IdGenerator& ids_;
  privacy::AuditLog* audit_;
  IdempotencyKeys* idempotency_;
  MetricFamily<CounterCell>& requests_;
  MetricFamily<HistogramCell>& latency_;
  GaugeCell& in_flight_;
};

// A JSON response with the given status.
HttpResponse JsonResponse(int status, const Json& body);
// The same for a body already written as JSON text (JsonText).
HttpResponse JsonResponse(int status, std::string json_text);

}  // namespace convault
