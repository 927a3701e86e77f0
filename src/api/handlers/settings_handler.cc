#include "api/handlers/settings_handler.h"

#include "api/api_service.h"
#include "api/json.h"
#include "common/status.h"

namespace convault {
namespace {

Json SettingsJson(const TenantSettings& s) {
  return {{"hipaa_mode", s.hipaa_mode},
          {"default_region", s.default_region},
          {"default_retention_days", s.default_retention_days},
          {"erase_due_days", s.erase_due_days}};
}

}  // namespace

void SettingsHandler::Register(Router& router) {
  RoleSet admin{Role::kAdmin};
  router.Add(
      {"GET", "/v1/settings", false, admin, [this](const RequestContext& c) { return Get(c); }});
  router.Add({"PATCH", "/v1/settings", false, admin,
              [this](const RequestContext& c) { return Patch(c); }});
}

absl::StatusOr<HttpResponse> SettingsHandler::Get(const RequestContext& ctx) {
  auto settings = store_.GetSettings(ctx.principal->tenant_id);
  if (!settings.ok()) return settings.status();
  return JsonResponse(200, SettingsJson(*settings));
}

absl::StatusOr<HttpResponse> SettingsHandler::Patch(const RequestContext& ctx) {
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return body.status();
  auto settings = store_.GetSettings(ctx.principal->tenant_id);
  if (!settings.ok()) return settings.status();
  JsonFields f(*body);
  f.RejectUnknown({"hipaa_mode", "default_region", "default_retention_days", "erase_due_days"});
  if (auto v = f.OptionalBool("hipaa_mode")) settings->hipaa_mode = *v;
  if (auto v = f.OptionalString("default_region", 2, 2)) {
    if ((*v)[0] >= 'A' && (*v)[0] <= 'Z' && (*v)[1] >= 'A' && (*v)[1] <= 'Z') {
      settings->default_region = *v;
    } else {
      f.AddError("default_region", "must be an ISO 3166 country code in capitals, like US or GB");
    }
  }
  if (auto v = f.OptionalInt("default_retention_days", 1, 36500)) {
    settings->default_retention_days = static_cast<int>(*v);
  }
  if (auto v = f.OptionalInt("erase_due_days", 1, 90))
    settings->erase_due_days = static_cast<int>(*v);
  CV_RETURN_IF_ERROR(f.Finish());
  if (settings->hipaa_mode) {
    // Every enabled channel must be eligible before the mode can be on.
    ListOptions options;
    options.limit = 500;
    while (true) {
      auto page = store_.ListChannels(ctx.principal->tenant_id, options);
      if (!page.ok()) return page.status();
      for (const Channel& c : page->items) {
        if (c.enabled && !HipaaEligible(c.type, c.hipaa_attested)) {
          return WithCode(
              absl::FailedPreconditionError(
                  "an enabled channel is not HIPAA-eligible: disable it first (" + c.id + ")"),
              "hipaa_channel_not_eligible");
        }
      }
      if (!page->next_cursor.has_value()) break;
      options.after = *page->next_cursor;
    }
  }
  CV_RETURN_IF_ERROR(store_.PutSettings(ctx.principal->tenant_id, *settings));
  return JsonResponse(200, SettingsJson(*settings));
}

}  // namespace convault
