#include "api/handlers/privacy_search_handler.h"

#include "api/api_service.h"
#include "api/json.h"
#include "common/status.h"

namespace convault {

void PrivacySearchHandler::Register(Router& router) {
  router.Add({"GET", "/v1/privacy/search", false, RoleSet{Role::kPrivacyOfficer},
              [this](const RequestContext& c) { return Search(c); }});
}

absl::StatusOr<HttpResponse> PrivacySearchHandler::Search(const RequestContext& ctx) {
  auto q = QueryParam(ctx.request.query, "q");
  if (!q.has_value()) return InvalidFields({{"q", "is required (1 to 256 bytes)"}});
  auto hits = search_.Search(ctx.principal->tenant_id, *q);
  if (!hits.ok()) return hits.status();
  Json items = Json::array();
  for (const privacy::SearchHit& h : *hits) {
    Json item = {
        {"object", h.object}, {"id", h.id}, {"field", h.field}, {"end_user_id", h.end_user_id}};
    if (!h.session_id.empty()) item["session_id"] = h.session_id;
    items.push_back(std::move(item));
  }
  ctx.audit_detail = Json({{"hits", hits->size()}}).dump();
  return JsonResponse(200, {{"items", std::move(items)}});
}

}  // namespace convault
