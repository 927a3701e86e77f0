#include "api/handlers/privacy_requests_handler.h"

#include "absl/strings/str_join.h"
#include "api/api_service.h"
#include "api/json.h"
#include "api/pagination.h"
#include "common/status.h"
#include "common/time_format.h"

namespace convault {
namespace {

const RoleSet kOfficers{Role::kPrivacyOfficer};

privacy::Requester Who(const RequestContext& ctx, const std::string& roles) {
  std::string_view purpose = ctx.request.Header("x-convault-purpose").value_or("privacy_request");
  return {ctx.principal->key_id, roles, purpose};
}

}  // namespace

void PrivacyRequestsHandler::Register(Router& router) {
  router.Add({"POST", "/v1/privacy/requests", false, kOfficers,
              [this](const RequestContext& c) { return Create(c); }});
  router.Add({"GET", "/v1/privacy/requests", false, kOfficers,
              [this](const RequestContext& c) { return List(c); }});
  router.Add({"GET", "/v1/privacy/requests/{id}", false, kOfficers,
              [this](const RequestContext& c) { return Get(c); }});
  router.Add({"GET", "/v1/privacy/requests/{id}/export", false, kOfficers,
              [this](const RequestContext& c) { return Download(c); }});
}

Json PrivacyRequestJson(privacy::PrivacyService& privacy, const PrivacyRequest& r) {
  Json result = Json::parse(r.result, nullptr, false);
  if (result.is_discarded()) result = Json::object();
  if (result.contains("legal_hold") && result["legal_hold"].is_object()) {
    auto reason = privacy.LegalHoldReason(r.tenant_id, r.end_user_id);
    result["legal_hold"]["reason"] = reason.ok() ? Json(*reason) : Json(nullptr);
  }
  std::string reason = privacy.OpenReason(r);
  return {{"id", r.id},
          {"type", r.type},
          {"status", r.status},
          {"end_user_id", r.end_user_id},
          {"reason", reason.empty() ? Json(nullptr) : Json(reason)},
          {"requested_by", r.requested_by},
          {"created_at", FormatRfc3339(r.created_at)},
          {"due_at", FormatRfc3339(r.due_at)},
          {"completed_at", r.completed_at == absl::InfinitePast()
                               ? Json(nullptr)
                               : Json(FormatRfc3339(r.completed_at))},
          {"result", std::move(result)}};
}

absl::StatusOr<HttpResponse> PrivacyRequestsHandler::Create(const RequestContext& ctx) {
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return body.status();
  JsonFields f(*body);
  f.RejectUnknown({"type", "end_user_id", "reason"});
  auto type = f.RequiredString("type", 1, 32);
  if (type && *type != "erase" && *type != "export" && *type != "restrict" &&
      *type != "lift_restriction") {
    f.AddError("type", "must be erase, export, restrict or lift_restriction");
  }
  auto end_user_id = f.RequiredString("end_user_id", 1, 100);
  auto reason = f.OptionalString("reason", 0, 2000);
  CV_RETURN_IF_ERROR(f.Finish());
  ctx.audit_subject = *end_user_id;
  if (!IsWellFormedId(*end_user_id, "eu")) return absl::NotFoundError("no such end user");
  std::string roles = absl::StrJoin(ctx.principal->roles.Names(), ",");
  auto request = privacy_.Submit(ctx.principal->tenant_id, *type, *end_user_id, reason.value_or(""),
                                 Who(ctx, roles));
  if (!request.ok()) return request.status();
  ctx.audit_detail = Json({{"request_id", request->id}, {"status", request->status}}).dump();
  HttpResponse res = JsonResponse(202, PrivacyRequestJson(privacy_, *request));
  res.headers.emplace_back("Location", "/v1/privacy/requests/" + request->id);
  return res;
}

absl::StatusOr<HttpResponse> PrivacyRequestsHandler::List(const RequestContext& ctx) {
  auto options = ParseListOptions(ctx.request, "prq");
  if (!options.ok()) return options.status();
  // ?end_user_id=: one subject's requests (an index; PRIVACY.md section 3).
  std::optional<std::string> end_user_id = QueryParam(ctx.request.query, "end_user_id");
  if (end_user_id && !IsWellFormedId(*end_user_id, "eu")) {
    return InvalidFields({{"end_user_id", "must be an end user id (eu_...)"}});
  }
  if (end_user_id) ctx.audit_subject = *end_user_id;
  auto page = end_user_id
                  ? store_.ListPrivacyRequestsOf(ctx.principal->tenant_id, *end_user_id, *options)
                  : store_.ListPrivacyRequests(ctx.principal->tenant_id, *options);
  if (!page.ok()) return page.status();
  Json items = Json::array();
  for (const PrivacyRequest& r : page->items) items.push_back(PrivacyRequestJson(privacy_, r));
  Json out = {{"items", std::move(items)}, {"next_cursor", nullptr}};
  if (page->next_cursor) out["next_cursor"] = *page->next_cursor;
  return JsonResponse(200, out);
}

absl::StatusOr<PrivacyRequest> PrivacyRequestsHandler::Load(const RequestContext& ctx) {
  const std::string& id = ctx.param("id");
  if (!IsWellFormedId(id, "prq")) return absl::NotFoundError("no such privacy request");
  auto request = store_.GetPrivacyRequest(ctx.principal->tenant_id, id);
  if (absl::IsNotFound(request.status())) return absl::NotFoundError("no such privacy request");
  if (request.ok()) ctx.audit_subject = request->end_user_id;
  return request;
}

absl::StatusOr<HttpResponse> PrivacyRequestsHandler::Download(const RequestContext& ctx) {
  auto request = Load(ctx);
  if (!request.ok()) return request.status();
  if (request->type != "export" || request->status != "completed") {
    return absl::NotFoundError("this request has no export to download");
  }
  if (clock_.Now() >= request->completed_at + privacy::ExportService::kLifetime) {
    return WithCode(absl::NotFoundError("the export has expired and was deleted"),
                    "export_expired");
  }
  auto source = exports_.Open(*request);
  if (absl::IsNotFound(source.status())) {
    return WithCode(absl::NotFoundError("the export is no longer available"), "export_expired");
  }
  if (!source.ok()) return source.status();
  HttpResponse res;
  res.status = 200;
  res.content_type = "application/json";
  res.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"" + request->id + ".json\"");
  res.stream = std::move(*source);
  return res;
}

absl::StatusOr<HttpResponse> PrivacyRequestsHandler::Get(const RequestContext& ctx) {
  auto request = Load(ctx);
  if (!request.ok()) return request.status();
  return JsonResponse(200, PrivacyRequestJson(privacy_, *request));
}

}  // namespace convault
