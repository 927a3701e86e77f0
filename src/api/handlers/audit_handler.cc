#include "api/handlers/audit_handler.h"

#include "absl/strings/numbers.h"
#include "api/api_service.h"
#include "api/json.h"
#include "common/strings.h"
#include "common/time_format.h"

namespace convault {
namespace {

const RoleSet kAuditors{Role::kAuditor};

Json RecordJson(const AuditRecord& r) {
  Json detail = Json::parse(r.detail, nullptr, false);
  return {{"seq", r.seq},
          {"at", FormatRfc3339(r.at)},
          {"actor", r.actor},
          {"roles", r.roles},
          {"action", r.action},
          {"object_type", r.object_type},
          {"object_id", r.object_id.empty() ? Json(nullptr) : Json(r.object_id)},
          {"subject_hash", r.subject_hash.empty() ? Json(nullptr) : Json(r.subject_hash)},
          {"purpose", r.purpose},
          {"outcome", r.outcome},
          {"detail", detail.is_discarded() ? Json::object() : detail},
          {"prev_hash", r.prev_hash},
          {"hash", r.hash}};
}

}  // namespace

void AuditHandler::Register(Router& router) {
  router.Add({"GET", "/v1/audit", false, kAuditors,
              [this](const RequestContext& c) { return List(c); }, false});
  router.Add({"GET", "/v1/audit/verify", false, kAuditors,
              [this](const RequestContext& c) { return Verify(c); }, false});
}

absl::StatusOr<HttpResponse> AuditHandler::List(const RequestContext& ctx) {
  int64_t after = 0;
  int limit = 100;
  std::vector<FieldError> errors;
  if (auto v = QueryParam(ctx.request.query, "after_seq")) {
    if (!absl::SimpleAtoi(Sv(*v), &after) || after < 0) {
      errors.push_back({"after_seq", "must be a non-negative integer"});
    }
  }
  if (auto v = QueryParam(ctx.request.query, "limit")) {
    if (!absl::SimpleAtoi(Sv(*v), &limit) || limit < 1 || limit > 1000) {
      errors.push_back({"limit", "must be an integer from 1 to 1000"});
    }
  }
  if (!errors.empty()) return InvalidFields(errors);
  auto records = store_.ListAudit(ctx.principal->tenant_id, after, limit);
  if (!records.ok()) return records.status();
  Json items = Json::array();
  for (const AuditRecord& r : *records) items.push_back(RecordJson(r));
  Json out = {{"items", std::move(items)}, {"next_after_seq", nullptr}};
  if (static_cast<int>(records->size()) == limit) out["next_after_seq"] = records->back().seq;
  return JsonResponse(200, out);
}

absl::StatusOr<HttpResponse> AuditHandler::Verify(const RequestContext& ctx) {
  auto v = audit_.Verify(ctx.principal->tenant_id);
  if (!v.ok()) return v.status();
  Json out = {{"valid", v->valid}, {"records", v->records}, {"head", v->head}};
  if (!v->valid) {
    out["first_bad_seq"] = v->first_bad;
    out["problem"] = v->problem;
  }
  return JsonResponse(200, out);
}

}  // namespace convault
