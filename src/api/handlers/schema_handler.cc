#include "api/handlers/schema_handler.h"

#include <map>

#include "api/api_service.h"
#include "api/json.h"
#include "common/status.h"
#include "common/time_format.h"
#include "model/schema.h"

namespace convault {
namespace {

const RoleSet kReaders{Role::kAdmin, Role::kPrivacyOfficer};

bool IsContextKeyName(std::string_view key) {
  if (key.empty() || key.size() > 100) return false;
  for (char c : key) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

Json ContextKeyJson(const ContextKeyClass& k) {
  return {{"key", k.key},
          {"sensitivity", k.sensitivity},
          {"categories", k.categories},
          {"identifier", k.identifier.empty() ? Json(nullptr) : Json(k.identifier)},
          {"encrypted", true},
          {"search", k.identifier.empty() ? "identifiers" : "blind_index"},
          {"updated_at", FormatRfc3339(k.updated_at)}};
}

}  // namespace

void SchemaHandler::Register(Router& router) {
  router.Add(
      {"GET", "/v1/schema", false, kReaders, [this](const RequestContext& c) { return Get(c); }});
  router.Add({"PUT", "/v1/schema/context-keys/{key}", false, kReaders,
              [this](const RequestContext& c) { return PutContextKey(c); }});
}

absl::StatusOr<HttpResponse> SchemaHandler::Get(const RequestContext& ctx) {
  std::map<std::string, Json> objects;
  for (const FieldClass& f : SchemaRegistry()) {
    Json categories = Json::array();
    for (std::string_view c : f.categories) categories.push_back(std::string(c));
    objects[std::string(f.object)].push_back(
        {{"field", std::string(f.field)},
         {"sensitivity", std::string(f.sensitivity)},
         {"categories", std::move(categories)},
         {"encrypted", f.encrypted},
         {"key", f.key.empty() ? Json(nullptr) : Json(std::string(f.key))},
         {"search", std::string(f.search)}});
  }
  Json out = {{"objects", Json::array()}, {"context_keys", Json::array()}};
  for (auto& [name, fields] : objects) {
    out["objects"].push_back({{"name", name}, {"fields", std::move(fields)}});
  }
  auto keys = store_.ListContextKeyClasses(ctx.principal->tenant_id);
  if (!keys.ok()) return keys.status();
  for (const ContextKeyClass& k : *keys) out["context_keys"].push_back(ContextKeyJson(k));
  return JsonResponse(200, out);
}

absl::StatusOr<HttpResponse> SchemaHandler::PutContextKey(const RequestContext& ctx) {
  const std::string& key = ctx.param("key");
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return body.status();
  JsonFields f(*body);
  f.RejectUnknown({"sensitivity", "categories", "identifier"});
  if (!IsContextKeyName(key)) {
    f.AddError("key", "must be 1 to 100 characters of A-Z, a-z, 0-9, _, - and .");
  }
  ContextKeyClass k;
  k.tenant_id = ctx.principal->tenant_id;
  k.key = key;
  k.updated_at = clock_.Now();
  if (auto v = f.RequiredString("sensitivity", 1, 32)) {
    if (IsSensitivity(*v)) {
      k.sensitivity = *v;
    } else {
      f.AddError("sensitivity", "must be public, internal, confidential or restricted");
    }
  }
  if (auto v = f.OptionalStringList("categories", 4, 16)) {
    for (const std::string& c : *v) {
      if (!IsCategory(c)) f.AddError("categories", "each must be pii, phi, pci or credential");
    }
    k.categories = *v;
  }
  if (f.Has("identifier") && !(*body)["identifier"].is_null()) {
    if (auto v = f.OptionalString("identifier", 1, 16)) {
      if (*v == "email" || *v == "phone" || *v == "id") {
        k.identifier = *v;
      } else {
        f.AddError("identifier", "must be email, phone, id or null");
      }
    }
  }
  CV_RETURN_IF_ERROR(f.Finish());
  CV_RETURN_IF_ERROR(store_.PutContextKeyClass(k));
  return JsonResponse(200, ContextKeyJson(k));
}

}  // namespace convault
