#include "api/problem.h"

#include "absl/strings/str_cat.h"
#include "api/json.h"
#include "boost/beast/http/status.hpp"

namespace convault {
namespace {

struct CodeStatus {
  std::string_view code;
  int status;
};

constexpr CodeStatus kCodes[] = {
    {"invalid_request", 400},
    {"unauthenticated", 401},
    {"forbidden", 403},
    {"processing_restricted", 403},
    {"not_found", 404},
    {"method_not_allowed", 405},
    {"request_timeout", 408},
    {"conflict", 409},
    {"consent_required", 409},
    {"opted_out", 409},
    {"legal_hold", 409},
    {"hipaa_channel_not_eligible", 409},
    {"last_admin_key", 409},
    {"session_ended", 409},
    {"payload_too_large", 413},
    {"unsupported_media_type", 415},
    {"rate_limited", 429},
    {"headers_too_large", 431},
    {"internal", 500},
    {"unavailable", 503},
    {"invalid_purpose", 400},
    {"audit_unavailable", 503},
    {"export_expired", 410},
    {"idempotency_key_reused", 422},
    {"idempotency_key_in_use", 409},
    {"idempotent_answer_not_kept", 409},
};

std::string_view CodeForAbsl(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return "invalid_request";
    case absl::StatusCode::kUnauthenticated:
      return "unauthenticated";
    case absl::StatusCode::kPermissionDenied:
      return "forbidden";
    case absl::StatusCode::kNotFound:
      return "not_found";
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAborted:
      return "conflict";
    case absl::StatusCode::kResourceExhausted:
      return "rate_limited";
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      return "unavailable";
    default:
      return "internal";
  }
}

}  // namespace

int HttpStatusForCode(std::string_view code) {
  for (const auto& c : kCodes) {
    if (c.code == code) return c.status;
  }
  return 500;
}

Problem ProblemFromStatus(const absl::Status& status) {
  Problem p;
  auto explicit_code = ErrorCode(status);
  p.code = explicit_code.has_value() ? *explicit_code : std::string(CodeForAbsl(status.code()));
  p.status = HttpStatusForCode(p.code);
  if (p.status >= 500) {
    p.detail = p.status == 503 ? "the service is not available right now; retry later"
                               : "an internal error occurred";
  } else {
    p.detail = std::string(status.message());
  }
  p.errors = FieldErrors(status);
  return p;
}

HttpResponse RenderProblem(const Problem& problem, std::string_view request_id) {
  Json body = {
      {"type", absl::StrCat("urn:convault:problem:", problem.code)},
      {"title", std::string(boost::beast::http::obsolete_reason(
                    static_cast<boost::beast::http::status>(problem.status)))},
      {"status", problem.status},
      {"detail", problem.detail},
      {"code", problem.code},
      {"request_id", std::string(request_id)},
  };
  if (!problem.errors.empty()) {
    Json errors = Json::array();
    for (const auto& e : problem.errors)
      errors.push_back({{"field", e.field}, {"message", e.message}});
    body["errors"] = std::move(errors);
  }
  HttpResponse res;
  res.status = problem.status;
  res.content_type = "application/problem+json";
  res.body = DumpJson(body);
  res.headers = problem.headers;
  return res;
}

}  // namespace convault
