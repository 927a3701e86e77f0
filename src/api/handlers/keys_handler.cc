#include "api/handlers/keys_handler.h"

#include "api/api_service.h"
#include "common/time_format.h"

namespace convault {

void KeysHandler::Register(Router& router) {
  RoleSet admin{Role::kAdmin};
  router.Add({"GET", "/v1/keys", false, admin, [this](const RequestContext& c) { return Get(c); }});
  router.Add({"POST", "/v1/keys/rotate", false, admin,
              [this](const RequestContext& c) { return Rotate(c); }});
}

absl::StatusOr<bool> KeysHandler::IsOperator(const Principal& principal) {
  auto tenant = store_.GetTenant(principal.tenant_id);
  if (!tenant.ok()) return tenant.status();
  return tenant->name == kDefaultTenantName;
}

absl::StatusOr<HttpResponse> KeysHandler::Get(const RequestContext& ctx) {
  CV_ASSIGN_OR_RETURN(bool op, IsOperator(*ctx.principal));
  auto status = rotator_.Status();
  if (!status.ok()) return status.status();
  Json versions = Json::array();
  for (const auto& v : status->versions) {
    Json item = {{"version", v.version},
                 {"state", std::string(crypto::KekStateName(v.state))},
                 {"created_at", FormatRfc3339(v.created_at)},
                 {"changed_at", FormatRfc3339(v.changed_at)}};
    if (op) {
      auto it = status->wrapped_keys.find(v.version);
      item["wrapped_keys"] = it == status->wrapped_keys.end() ? 0 : it->second;
    }
    versions.push_back(std::move(item));
  }
  auto mine = key_store_.CountWrappedKeys(ctx.principal->tenant_id);
  if (!mine.ok()) return mine.status();
  return JsonResponse(200, {{"provider", status->provider},
                            {"current_version", status->current_version},
                            {"versions", std::move(versions)},
                            {"tenant_wrapped_keys", *mine}});
}

absl::StatusOr<HttpResponse> KeysHandler::Rotate(const RequestContext& ctx) {
  CV_ASSIGN_OR_RETURN(bool op, IsOperator(*ctx.principal));
  if (!op) {
    return absl::PermissionDeniedError(
        "KEK rotation is for the operator (an admin of the default tenant)");
  }
  if (!ctx.request.body.empty()) {
    auto body = ParseJsonObject(ctx.request);
    if (!body.ok()) return body.status();
    JsonFields fields(*body);
    fields.RejectUnknown({});
    CV_RETURN_IF_ERROR(fields.Finish());
  }
  auto version = rotator_.Rotate();
  if (!version.ok()) return version.status();
  if (wake_jobs_) wake_jobs_();
  HttpResponse res = JsonResponse(
      202, {{"current_version", *version}, {"status", "rewrapping"}, {"location", "/v1/keys"}});
  res.headers.emplace_back("Location", "/v1/keys");
  return res;
}

}  // namespace convault
