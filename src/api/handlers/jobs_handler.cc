#include "api/handlers/jobs_handler.h"

#include "api/api_service.h"
#include "api/json.h"
#include "common/time_format.h"

namespace convault {

Json JobsHandler::JobJson(const Job& j) {
  return {{"id", j.id},
          {"kind", j.kind},
          {"status", j.status},
          {"scanned", j.scanned},
          {"changed", j.changed},
          {"rule_set_version", j.target_version},
          {"error", j.error.empty() ? Json(nullptr) : Json(j.error)},
          {"created_at", FormatRfc3339(j.created_at)},
          {"updated_at", FormatRfc3339(j.updated_at)}};
}

void JobsHandler::Register(Router& router) {
  router.Add({"GET", "/v1/jobs/{id}", false, RoleSet{Role::kAdmin, Role::kPrivacyOfficer},
              [this](const RequestContext& c) { return Get(c); }});
}

absl::StatusOr<HttpResponse> JobsHandler::Get(const RequestContext& ctx) {
  const std::string& id = ctx.param("id");
  if (!IsWellFormedId(id, "job")) return absl::NotFoundError("no such job");
  auto job = store_.GetJob(ctx.principal->tenant_id, id);
  if (absl::IsNotFound(job.status())) return absl::NotFoundError("no such job");
  if (!job.ok()) return job.status();
  return JsonResponse(200, JobJson(*job));
}

}  // namespace convault
