#include "api/handlers/end_users_handler.h"

#include "api/api_service.h"
#include "api/json.h"
#include "api/subject_access.h"
#include "common/status.h"
#include "common/time_format.h"
#include "messaging/ingest.h"
#include "messaging/masking.h"

namespace convault {
namespace {

const RoleSet kReaders{Role::kAgent, Role::kAdmin, Role::kPrivacyOfficer};

Json Optional(const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); }

Json EndUserJson(const OpenedEndUser& o) {
  const EndUser& u = o.end_user;
  return {{"id", u.id},
          {"channel_id", u.channel_id},
          {"platform_key", Optional(o.platform_key)},
          {"name", Optional(o.name)},
          {"profile_picture_url", Optional(o.profile_picture_url)},
          {"locale", u.locale.empty() ? Json(nullptr) : Json(u.locale)},
          {"has_initial_response_sent", u.has_initial_response_sent},
          {"processing_restricted", u.processing_restricted},
          {"legal_hold", u.legal_hold},
          {"created_at", FormatRfc3339(u.created_at)}};
}

}  // namespace

void EndUsersHandler::Register(Router& router) {
  router.Add({"GET", "/v1/end-users/{id}", false, kReaders,
              [this](const RequestContext& c) { return Get(c); }});
  router.Add({"GET", "/v1/end-users", false, kReaders,
              [this](const RequestContext& c) { return Find(c); }});
}

absl::StatusOr<HttpResponse> EndUsersHandler::Get(const RequestContext& ctx) {
  const std::string& id = ctx.param("id");
  if (!IsWellFormedId(id, "eu")) return absl::NotFoundError("no such end user");
  auto user = reader_.EndUser(ctx.principal->tenant_id, id);
  if (absl::IsNotFound(user.status())) return absl::NotFoundError("no such end user");
  if (!user.ok()) return user.status();
  CV_RETURN_IF_ERROR(CheckSubjectAccess(ctx, user->end_user));
  return JsonResponse(200, EndUserJson(*user));
}

absl::StatusOr<HttpResponse> EndUsersHandler::Find(const RequestContext& ctx) {
  auto key = QueryParam(ctx.request.query, "platform_key");
  auto channel_id = QueryParam(ctx.request.query, "channel_id");
  std::vector<FieldError> errors;
  if (!key || key->empty() || key->size() > 256) {
    errors.push_back({"platform_key", "is required (1 to 256 bytes)"});
  }
  if (!channel_id || channel_id->empty()) errors.push_back({"channel_id", "is required"});
  if (!errors.empty()) return InvalidFields(errors);
  Json items = Json::array();
  auto channel = channels_.Get(ctx.principal->tenant_id, *channel_id);
  if (absl::IsNotFound(channel.status())) return JsonResponse(200, {{"items", std::move(items)}});
  if (!channel.ok()) return channel.status();
  auto region = ChannelRegion(store_, *channel);
  if (!region.ok()) return region.status();
  auto normalized = NormalizePlatformKey(channel->type, *key, *region);
  if (normalized.ok()) {
    auto token =
        blind_.Token(ctx.principal->tenant_id, IngestPipeline::kPlatformKeyIndex, *normalized);
    if (!token.ok()) return token.status();
    auto user = reader_.FindEndUser(*channel, *key, *region, *token);
    if (user.ok()) {
      CV_RETURN_IF_ERROR(CheckSubjectAccess(ctx, user->end_user));
      items.push_back(EndUserJson(*user));
    }
    if (!user.ok() && !absl::IsNotFound(user.status())) return user.status();
  }
  return JsonResponse(200, {{"items", std::move(items)}});
}

}  // namespace convault
