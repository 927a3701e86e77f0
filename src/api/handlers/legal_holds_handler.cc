#include "api/handlers/legal_holds_handler.h"

#include "absl/strings/str_join.h"
#include "api/api_service.h"
#include "api/json.h"
#include "common/status.h"
#include "common/time_format.h"

namespace convault {
namespace {

const RoleSet kOfficers{Role::kPrivacyOfficer};

absl::Status NoSuchEndUser() { return absl::NotFoundError("no such end user"); }

}  // namespace

void LegalHoldsHandler::Register(Router& router) {
  router.Add({"PUT", "/v1/end-users/{id}/legal-hold", false, kOfficers,
              [this](const RequestContext& c) { return Put(c); }});
  router.Add({"GET", "/v1/end-users/{id}/legal-hold", false, kOfficers,
              [this](const RequestContext& c) { return Get(c); }});
  router.Add({"DELETE", "/v1/end-users/{id}/legal-hold", false, kOfficers,
              [this](const RequestContext& c) { return Delete(c); }});
}

absl::StatusOr<HttpResponse> LegalHoldsHandler::Put(const RequestContext& ctx) {
  const std::string& id = ctx.param("id");
  if (!IsWellFormedId(id, "eu")) return NoSuchEndUser();
  ctx.audit_subject = id;
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return body.status();
  JsonFields f(*body);
  f.RejectUnknown({"reason"});
  auto reason = f.RequiredString("reason", 1, 2000);
  CV_RETURN_IF_ERROR(f.Finish());
  std::string roles = absl::StrJoin(ctx.principal->roles.Names(), ",");
  absl::Status placed = privacy_.PlaceLegalHold(ctx.principal->tenant_id, id, *reason,
                                                {ctx.principal->key_id, roles, ""});
  if (absl::IsNotFound(placed)) return NoSuchEndUser();
  if (!placed.ok()) return placed;
  return Get(ctx);
}

absl::StatusOr<HttpResponse> LegalHoldsHandler::Get(const RequestContext& ctx) {
  const std::string& id = ctx.param("id");
  if (!IsWellFormedId(id, "eu")) return NoSuchEndUser();
  ctx.audit_subject = id;
  auto hold = store_.GetLegalHold(ctx.principal->tenant_id, id);
  if (absl::IsNotFound(hold.status())) return absl::NotFoundError("no legal hold on this end user");
  if (!hold.ok()) return hold.status();
  auto reason = privacy_.LegalHoldReason(ctx.principal->tenant_id, id);
  return JsonResponse(200, {{"end_user_id", id},
                            {"legal_hold", true},
                            {"reason", reason.ok() ? Json(*reason) : Json(nullptr)},
                            {"placed_by", hold->placed_by},
                            {"placed_at", FormatRfc3339(hold->placed_at)}});
}

absl::StatusOr<HttpResponse> LegalHoldsHandler::Delete(const RequestContext& ctx) {
  const std::string& id = ctx.param("id");
  if (!IsWellFormedId(id, "eu")) return NoSuchEndUser();
  ctx.audit_subject = id;
  absl::Status lifted = privacy_.LiftLegalHold(ctx.principal->tenant_id, id, {});
  if (absl::IsNotFound(lifted)) return absl::NotFoundError("no legal hold on this end user");
  if (!lifted.ok()) return lifted;
  HttpResponse res;
  res.status = 204;
  return res;
}

}  // namespace convault
