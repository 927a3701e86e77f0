#include "api/handlers/inbound_handler.h"

#include "absl/strings/str_cat.h"
#include "api/api_service.h"
#include "api/json.h"
#include "api/message_fields.h"
#include "common/status.h"
#include "common/time_format.h"

namespace convault {

void InboundHandler::Register(Router& router) {
  // Not audited: the integration writes what the customer sent; reads of it are.
  router.Add({"POST", "/v1/channels/{id}/inbound", false, RoleSet{Role::kIntegration},
              [this](const RequestContext& c) { return Post(c); }, false});
}

absl::StatusOr<HttpResponse> InboundHandler::Post(const RequestContext& ctx) {
  const std::string& id = ctx.param("id");
  if (!IsWellFormedId(id, "ch")) return absl::NotFoundError("no such channel");
  JsonLimits limits;
  limits.max_depth = options_.max_payload_depth + 1;  // the payload sits one level down
  auto body = ParseJsonObject(ctx.request, limits);
  if (!body.ok()) return body.status();
  JsonFields f(*body);
  f.RejectUnknown({"message_id", "from", "text", "payload", "context", "sent_at"});
  InboundMessage m;
  if (auto v = f.RequiredString("message_id", 1, 256)) m.message_id = *v;
  const Json* from = f.OptionalObject("from");
  if (from == nullptr && !f.Has("from")) f.AddError("from", "is required");
  if (from != nullptr) {
    JsonFields who(*from, "from");
    who.RejectUnknown({"platform_key", "name", "profile_picture_url", "locale"});
    if (auto v = who.RequiredString("platform_key", 1, 256)) {
      m.platform_key = Sensitive<std::string>(std::move(*v));
    }
    if (auto v = who.OptionalString("name", 0, 200)) m.name = Sensitive<std::string>(std::move(*v));
    if (auto v = who.OptionalString("profile_picture_url", 0, 2048)) {
      m.profile_picture_url = Sensitive<std::string>(std::move(*v));
    }
    if (auto v = who.OptionalString("locale", 0, 35)) m.locale = *v;
    f.Merge(who);
  }
  // Message text may hold new lines and tabs; the parser already refused invalid UTF-8.
  m.text = ReadMessageText(*body, f, static_cast<size_t>(options_.max_text_bytes));
  m.payload_json = ReadMessagePayload(*body, f);
  if (!m.text.has_value() && !m.payload_json.has_value() && !f.Has("text") && !f.Has("payload")) {
    f.AddError("text", "text or payload is required");
  }
  if (auto v = f.OptionalStringMap("context", 50, 100, 4096)) {
    for (auto& [k, value] : *v) {
      m.context.emplace_back(Sensitive<std::string>(k), Sensitive<std::string>(std::move(value)));
    }
  }
  if (auto v = f.OptionalString("sent_at", 1, 40)) {
    auto t = ParseRfc3339(*v);
    if (!t.ok()) {
      f.AddError("sent_at", "must be an RFC 3339 time");
    } else {
      m.sent_at = *t;
    }
  }
  CV_RETURN_IF_ERROR(f.Finish());

  auto channel = channels_.Get(ctx.principal->tenant_id, id);
  if (absl::IsNotFound(channel.status())) return absl::NotFoundError("no such channel");
  if (!channel.ok()) return channel.status();
  auto result = ingest_.Ingest(*channel, m);
  if (absl::IsInvalidArgument(result.status())) {
    std::string why(result.status().message());
    size_t colon = why.find(": ");
    return InvalidFields({{why.substr(0, colon), why.substr(colon + 2)}});
  }
  if (!result.ok()) return result.status();
  Json redactions = Json::array();
  for (const auto& [detector, count] : result->redactions) {
    redactions.push_back({{"detector", detector}, {"count", count}});
  }
  Json out = {{"entry_id", result->entry_id},
              {"session_id", result->session_id},
              {"end_user_id", result->end_user_id},
              {"duplicate", result->duplicate},
              {"redactions", std::move(redactions)},
              {"acknowledgment_entry_id", result->acknowledgment_entry_id.empty()
                                              ? Json(nullptr)
                                              : Json(result->acknowledgment_entry_id)}};
  return JsonResponse(200, out);
}

}  // namespace convault
