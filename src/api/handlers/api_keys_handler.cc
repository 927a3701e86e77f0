#include "api/handlers/api_keys_handler.h"

#include "api/api_service.h"
#include "api/json.h"
#include "api/pagination.h"
#include "common/time_format.h"
#include "crypto/api_key_token.h"

namespace convault {
namespace {

Json KeyJson(const ApiKey& key) {
  return {{"id", key.id},
          {"name", key.name},
          {"roles", key.roles.Names()},
          {"created_at", FormatRfc3339(key.created_at)}};
}

absl::Status NotFound() { return absl::NotFoundError("no such api key"); }

}  // namespace

void ApiKeysHandler::Register(Router& router) {
  RoleSet admin{Role::kAdmin};
  router.Add({"POST", "/v1/api-keys", false, admin,
              [this](const RequestContext& c) { return Create(c); }, true,
              /*keeps_answer=*/false});
  router.Add(
      {"GET", "/v1/api-keys", false, admin, [this](const RequestContext& c) { return List(c); }});
  router.Add({"GET", "/v1/api-keys/{id}", false, admin,
              [this](const RequestContext& c) { return Get(c); }});
  router.Add({"DELETE", "/v1/api-keys/{id}", false, admin,
              [this](const RequestContext& c) { return Delete(c); }});
}

absl::StatusOr<HttpResponse> ApiKeysHandler::Create(const RequestContext& ctx) {
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return body.status();
  JsonFields fields(*body);
  fields.RejectUnknown({"name", "roles"});
  auto name = fields.RequiredString("name", 1, 200);
  auto role_names = fields.RequiredStringArray("roles", 16, 64);
  RoleSet roles;
  if (role_names.has_value()) {
    for (size_t i = 0; i < role_names->size(); ++i) {
      if (!(*role_names)[i].has_value()) continue;  // already reported
      auto role = ParseRole(*(*role_names)[i]);
      if (!role.has_value()) {
        fields.AddError("roles[" + std::to_string(i) + "]",
                        "must be one of admin, agent, bot, privacy_officer, auditor, integration");
      } else {
        roles.Add(*role);
      }
    }
  }
  CV_RETURN_IF_ERROR(fields.Finish());

  ApiKey key;
  key.id = ids_.NewId("key");
  key.tenant_id = ctx.principal->tenant_id;
  key.name = *name;
  key.roles = roles;
  key.created_at = clock_.Now();
  auto token = crypto::GenerateApiKeyToken(key.id);
  if (!token.ok()) return token.status();
  key.secret_hash = token->secret_hash;
  CV_RETURN_IF_ERROR(store_.CreateApiKey(key));

  Json out = KeyJson(key);
  out["key"] = std::string(token->token.Reveal());  // shown once, never stored
  HttpResponse res = JsonResponse(201, out);
  res.headers.emplace_back("Location", "/v1/api-keys/" + key.id);
  return res;
}

absl::StatusOr<HttpResponse> ApiKeysHandler::List(const RequestContext& ctx) {
  auto options = ParseListOptions(ctx.request, "key");
  if (!options.ok()) return options.status();
  auto page = store_.ListApiKeys(ctx.principal->tenant_id, *options);
  if (!page.ok()) return page.status();
  Json items = Json::array();
  for (const ApiKey& k : page->items) items.push_back(KeyJson(k));
  Json out = {{"items", std::move(items)}, {"next_cursor", nullptr}};
  if (page->next_cursor.has_value()) out["next_cursor"] = *page->next_cursor;
  return JsonResponse(200, out);
}

absl::StatusOr<HttpResponse> ApiKeysHandler::Get(const RequestContext& ctx) {
  const std::string& id = ctx.param("id");
  if (!IsWellFormedId(id, "key")) return NotFound();
  auto key = store_.GetApiKey(ctx.principal->tenant_id, id);
  if (absl::IsNotFound(key.status())) return NotFound();
  if (!key.ok()) return key.status();
  return JsonResponse(200, KeyJson(*key));
}

absl::StatusOr<HttpResponse> ApiKeysHandler::Delete(const RequestContext& ctx) {
  const std::string& id = ctx.param("id");
  if (!IsWellFormedId(id, "key")) return NotFound();
  absl::Status s = store_.DeleteApiKey(ctx.principal->tenant_id, id);
  if (absl::IsNotFound(s)) return NotFound();
  CV_RETURN_IF_ERROR(s);
  HttpResponse res;
  res.status = 204;
  return res;
}

}  // namespace convault
