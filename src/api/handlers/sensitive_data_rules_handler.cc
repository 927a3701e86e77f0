#include "api/handlers/sensitive_data_rules_handler.h"

#include "api/api_service.h"
#include "api/json.h"

namespace convault {

void SensitiveDataRulesHandler::Register(Router& router) {
  RoleSet admin{Role::kAdmin};
  router.Add({"GET", "/v1/sensitive-data-rules/detectors", false, admin,
              [this](const RequestContext& c) { return Detectors(c); }});
  router.Add({"POST", "/v1/sensitive-data-rules/preview", false, admin,
              [this](const RequestContext& c) { return Preview(c); }});
}

absl::StatusOr<HttpResponse> SensitiveDataRulesHandler::Detectors(const RequestContext&) {
  Json items = Json::array();
  for (const auto& d : redact::BuiltinDetectors()) {
    items.push_back({{"id", std::string(d->id())}, {"description", std::string(d->description())}});
  }
  return JsonResponse(200, {{"items", std::move(items)}});
}

absl::StatusOr<HttpResponse> SensitiveDataRulesHandler::Preview(const RequestContext& ctx) {
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return body.status();
  JsonFields fields(*body);
  fields.RejectUnknown({"text", "actor_type", "channel_id"});
  auto text = fields.RequiredString("text", 0, 64 * 1024);
  auto actor = fields.OptionalString("actor_type", 1, 16);
  auto channel = fields.OptionalString("channel_id", 1, 64);
  redact::RedactionScope scope;
  if (actor.has_value()) {
    if (*actor == "end_user") {
      scope.actor = ActorType::kEndUser;
    } else if (*actor == "agent") {
      scope.actor = ActorType::kAgent;
    } else if (*actor == "bot") {
      scope.actor = ActorType::kBot;
    } else if (*actor == "system") {
      scope.actor = ActorType::kSystem;
    } else {
      fields.AddError("actor_type", "must be end_user, agent, bot or system");
    }
  }
  CV_RETURN_IF_ERROR(fields.Finish());
  if (channel.has_value()) scope.channel_id = *channel;
  auto result = defaults_->Redact(*text, scope);
  if (!result.ok()) return result.status();
  Json findings = Json::array();
  for (const auto& f : result->findings) {
    findings.push_back({{"rule_id", f.rule_id},
                        {"detector", f.detector},
                        {"start", f.start},
                        {"end", f.end},
                        {"action", std::string(redact::ActionName(f.action))}});
  }
  return JsonResponse(200, {{"text", result->text}, {"findings", std::move(findings)}});
}

}  // namespace convault
