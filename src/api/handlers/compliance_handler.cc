#include "api/handlers/compliance_handler.h"

#include "api/api_service.h"
#include "api/json.h"
#include "model/schema.h"
#include "redact/policy.h"

namespace convault {

void ComplianceHandler::Register(Router& router) {
  router.Add({"GET", "/v1/compliance", false, RoleSet{Role::kAdmin, Role::kAuditor},
              [this](const RequestContext& c) { return Get(c); }});
}

absl::StatusOr<HttpResponse> ComplianceHandler::Get(const RequestContext& ctx) {
  const std::string& tenant = ctx.principal->tenant_id;
  auto settings = store_.GetSettings(tenant);
  if (!settings.ok()) return settings.status();
  Json channels = Json::array();
  bool all_eligible = true;
  ListOptions options;
  options.limit = 500;
  while (true) {
    auto page = store_.ListChannels(tenant, options);
    if (!page.ok()) return page.status();
    for (const Channel& c : page->items) {
      bool eligible = HipaaEligible(c.type, c.hipaa_attested);
      if (c.enabled && !eligible) all_eligible = false;
      channels.push_back(
          {{"id", c.id},
           {"name", c.name},
           {"type", std::string(ChannelTypeName(c.type))},
           {"enabled", c.enabled},
           {"hipaa_eligible", eligible},
           {"retention_days",
            c.retention_days > 0 ? c.retention_days : settings->default_retention_days},
           {"consent_required_level", c.consent.required_level},
           {"acknowledgment_enabled", c.acknowledgment.enabled}});
    }
    if (!page->next_cursor) break;
    options.after = *page->next_cursor;
  }
  int personal = 0, encrypted = 0;
  Json unencrypted = Json::array();
  for (const FieldClass& f : SchemaRegistry()) {
    bool is_personal = false;
    for (std::string_view c : f.categories)
      is_personal |= (c == "pii" || c == "phi" || c == "pci" || c == "credential");
    if (!is_personal) continue;
    ++personal;
    if (f.encrypted) {
      ++encrypted;
    } else {
      unencrypted.push_back(std::string(f.object) + "." + std::string(f.field));
    }
  }
  auto compiled = rules_.Current(tenant);
  if (!compiled.ok()) return compiled.status();
  auto rule_set = store_.GetRuleSet(tenant);
  if (!rule_set.ok()) return rule_set.status();
  Json rules = Json::array();
  for (const SensitiveDataRule& r : rule_set->rules) {
    if (!r.enabled) continue;
    rules.push_back({{"id", r.id},
                     {"name", r.name},
                     {"detector", r.detector.empty() ? Json(nullptr) : Json(r.detector)},
                     {"custom_pattern", r.detector.empty()},
                     {"action", std::string(redact::ActionName(r.action))},
                     {"priority", r.priority}});
  }
  auto keys = rotator_.Status();
  if (!keys.ok()) return keys.status();
  Json out = {
      {"hipaa_mode", settings->hipaa_mode},
      {"hipaa",
       {{"all_enabled_channels_eligible", all_eligible},
        {"state",
         settings->hipaa_mode ? (all_eligible ? "enforced" : "violation") : "not_enabled"}}},
      {"channels", std::move(channels)},
      {"encryption",
       {{"personal_fields", personal},
        {"encrypted_personal_fields", encrypted},
        {"coverage", personal == 0 ? 1.0 : static_cast<double>(encrypted) / personal},
        {"unencrypted_personal_fields", std::move(unencrypted)},
        {"key_provider", keys->provider},
        {"kek_version", keys->current_version}}},
      {"sensitive_data_rules", {{"rule_set_version", rule_set->version}, {"active", rules}}},
      {"retention",
       {{"default_retention_days", settings->default_retention_days},
        {"erase_due_days", settings->erase_due_days}}}};
  return JsonResponse(200, out);
}

}  // namespace convault
