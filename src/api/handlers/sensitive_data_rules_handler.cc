#include "api/handlers/sensitive_data_rules_handler.h"

#include "absl/strings/match.h"
#include "api/api_service.h"
#include "api/handlers/jobs_handler.h"
#include "api/json.h"
#include "common/status.h"
#include "common/strings.h"
#include "redact/rules_json.h"

namespace convault {
namespace {

absl::Status NotFound() { return absl::NotFoundError("no such rule"); }

// "field: reason" from the rule parser -> a field error.
absl::Status FieldProblem(const absl::Status& s) {
  if (!absl::IsInvalidArgument(s)) return s;
  std::string_view m = StdSv(s.message());
  size_t colon = m.find(": ");
  if (colon == std::string_view::npos) return InvalidFields({{"body", std::string(m)}});
  return InvalidFields({{std::string(m.substr(0, colon)), std::string(m.substr(colon + 2))}});
}

// A rule the engine refuses -> the field it is about, with the engine's reason.
absl::Status RuleProblem(const absl::Status& s, const SensitiveDataRule& rule) {
  if (!absl::IsInvalidArgument(s)) return s;
  std::string why(s.message());
  std::string field = !rule.pattern.empty() ? "pattern" : "detector";
  if (absl::StrContains(why, "mask_char")) field = "mask_char";
  return InvalidFields({{field, why}});
}

HttpResponse WithVersion(HttpResponse res, int64_t version) {
  res.headers.emplace_back("X-Rule-Set-Version", std::to_string(version));
  return res;
}

absl::StatusOr<SensitiveDataRule> ParseRule(const Json& body, SensitiveDataRule rule) {
  absl::Status s = redact::ApplyRuleFields(body, "", /*allow_id=*/false, &rule);
  if (!s.ok()) return FieldProblem(s);
  s = redact::CheckRuleShape(rule, "");
  if (!s.ok()) return FieldProblem(s);
  return rule;
}

}  // namespace

void SensitiveDataRulesHandler::Register(Router& router) {
  RoleSet admin{Role::kAdmin};
  router.Add({"GET", "/v1/sensitive-data-rules/detectors", false, admin,
              [this](const RequestContext& c) { return Detectors(c); }});
  router.Add({"POST", "/v1/sensitive-data-rules/preview", false, admin,
              [this](const RequestContext& c) { return Preview(c); }});
  if (reapply_ != nullptr) {
    router.Add({"POST", "/v1/sensitive-data-rules/reapply", false, admin,
                [this](const RequestContext& c) { return Reapply(c); }});
  }
  router.Add({"GET", "/v1/sensitive-data-rules", false, admin,
              [this](const RequestContext& c) { return List(c); }});
  router.Add({"POST", "/v1/sensitive-data-rules", false, admin,
              [this](const RequestContext& c) { return Create(c); }});
  router.Add({"GET", "/v1/sensitive-data-rules/{id}", false, admin,
              [this](const RequestContext& c) { return Get(c); }});
  router.Add({"PATCH", "/v1/sensitive-data-rules/{id}", false, admin,
              [this](const RequestContext& c) { return Patch(c); }});
  router.Add({"DELETE", "/v1/sensitive-data-rules/{id}", false, admin,
              [this](const RequestContext& c) { return Delete(c); }});
}

absl::StatusOr<HttpResponse> SensitiveDataRulesHandler::Detectors(const RequestContext&) {
  Json items = Json::array();
  for (const auto& d : redact::BuiltinDetectors()) {
    items.push_back({{"id", std::string(d->id())}, {"description", std::string(d->description())}});
  }
  return JsonResponse(200, {{"items", std::move(items)}});
}

absl::StatusOr<HttpResponse> SensitiveDataRulesHandler::List(const RequestContext& ctx) {
  auto set = rules_.List(ctx.principal->tenant_id);
  if (!set.ok()) return set.status();
  Json items = Json::array();
  for (const SensitiveDataRule& r : set->rules) items.push_back(redact::RuleToJson(r));
  return WithVersion(JsonResponse(200, {{"items", std::move(items)}, {"version", set->version}}),
                     set->version);
}

absl::StatusOr<HttpResponse> SensitiveDataRulesHandler::Create(const RequestContext& ctx) {
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return body.status();
  SensitiveDataRule defaults;
  defaults.name = "custom rule";
  auto rule = ParseRule(*body, defaults);
  if (!rule.ok()) return rule.status();
  if (!body->contains("name")) {
    rule->name = rule->detector.empty() ? "custom rule" : rule->detector;
  }
  auto created = rules_.Create(ctx.principal->tenant_id, *rule);
  if (!created.ok()) return RuleProblem(created.status(), *rule);
  auto current = rules_.Current(ctx.principal->tenant_id);
  HttpResponse res = JsonResponse(201, redact::RuleToJson(*created));
  res.headers.emplace_back("Location", "/v1/sensitive-data-rules/" + created->id);
  return current.ok() ? WithVersion(std::move(res), current->version) : res;
}

absl::StatusOr<HttpResponse> SensitiveDataRulesHandler::Get(const RequestContext& ctx) {
  const std::string& id = ctx.param("id");
  if (!IsWellFormedId(id, "rule")) return NotFound();
  auto rule = rules_.Get(ctx.principal->tenant_id, id);
  if (!rule.ok()) return rule.status();
  return JsonResponse(200, redact::RuleToJson(*rule));
}

absl::StatusOr<HttpResponse> SensitiveDataRulesHandler::Patch(const RequestContext& ctx) {
  const std::string& id = ctx.param("id");
  if (!IsWellFormedId(id, "rule")) return NotFound();
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return body.status();
  auto stored = rules_.Get(ctx.principal->tenant_id, id);
  if (!stored.ok()) return stored.status();
  auto rule = ParseRule(*body, *stored);
  if (!rule.ok()) return rule.status();
  auto updated = rules_.Update(ctx.principal->tenant_id, *rule);
  if (!updated.ok()) return RuleProblem(updated.status(), *rule);
  auto current = rules_.Current(ctx.principal->tenant_id);
  HttpResponse res = JsonResponse(200, redact::RuleToJson(*updated));
  return current.ok() ? WithVersion(std::move(res), current->version) : res;
}

absl::StatusOr<HttpResponse> SensitiveDataRulesHandler::Delete(const RequestContext& ctx) {
  const std::string& id = ctx.param("id");
  if (!IsWellFormedId(id, "rule")) return NotFound();
  CV_RETURN_IF_ERROR(rules_.Delete(ctx.principal->tenant_id, id));
  HttpResponse res;
  res.status = 204;
  auto current = rules_.Current(ctx.principal->tenant_id);
  return current.ok() ? WithVersion(std::move(res), current->version) : res;
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
  auto current = rules_.Current(ctx.principal->tenant_id);
  if (!current.ok()) return current.status();
  // Tokens in a preview are numbered; nothing is sealed or stored.
  auto result = current->policy->Redact(*text, scope);
  if (!result.ok()) return result.status();
  Json findings = Json::array();
  for (const auto& f : result->findings) {
    findings.push_back({{"rule_id", f.rule_id},
                        {"detector", f.detector},
                        {"start", f.start},
                        {"end", f.end},
                        {"action", std::string(redact::ActionName(f.action))}});
  }
  return WithVersion(JsonResponse(200, {{"text", result->text},
                                        {"findings", std::move(findings)},
                                        {"version", current->version}}),
                     current->version);
}

absl::StatusOr<HttpResponse> SensitiveDataRulesHandler::Reapply(const RequestContext& ctx) {
  auto job = reapply_->Start(ctx.principal->tenant_id);
  if (!job.ok()) return job.status();
  HttpResponse res = JsonResponse(202, JobsHandler::JobJson(*job));
  res.headers.emplace_back("Location", "/v1/jobs/" + job->id);
  return res;
}

}  // namespace convault
