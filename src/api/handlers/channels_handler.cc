#include "api/handlers/channels_handler.h"

#include "absl/strings/match.h"
#include "api/api_service.h"
#include "api/json.h"
#include "api/pagination.h"
#include "common/status.h"
#include "common/time_format.h"
#include "messaging/consent.h"

namespace convault {
namespace {

absl::Status NotFound() { return absl::NotFoundError("no such channel"); }

Json ChannelJson(const Channel& c) {
  bool byoc = c.type == ChannelType::kByoc;
  Json out = {
      {"id", c.id},
      {"type", std::string(ChannelTypeName(c.type))},
      {"name", c.name},
      {"address", c.address},
      {"region", c.region.empty() ? Json(nullptr) : Json(c.region)},
      {"credentials_set", c.credential_names},
      {"acknowledgment",
       {{"enabled", c.acknowledgment.enabled},
        {"text", c.acknowledgment.text},
        {"locales", c.acknowledgment.locales},
        {"version", c.acknowledgment.version}}},
      {"consent",
       {{"required_level", c.consent.required_level},
        {"opt_out_keywords", c.consent.opt_out_keywords},
        {"opt_in_keywords", c.consent.opt_in_keywords},
        {"help_keywords", c.consent.help_keywords},
        {"replies", c.consent.replies}}},
      {"session_inactivity_minutes", c.session_inactivity_minutes},
      {"session_end_hours", c.session_end_hours},
      {"retention_days", c.retention_days},
      {"api_base_url", c.api_base_url.empty() ? Json(nullptr) : Json(c.api_base_url)},
      {"hipaa_eligible", HipaaEligible(c.type, c.hipaa_attested)},
      {"enabled", c.enabled},
      {"created_at", FormatRfc3339(c.created_at)},
      {"updated_at", FormatRfc3339(c.updated_at)},
  };
  if (byoc) {
    out["inbound_url"] = "/v1/channels/" + c.id + "/inbound";
    out["outbound_url"] = c.outbound_url.empty() ? Json(nullptr) : Json(c.outbound_url);
    out["hipaa_attested"] = c.hipaa_attested;
  } else {
    out["webhook_url"] = "/webhooks/" + c.id;
  }
  return out;
}

bool IsHttpUrl(const std::string& url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

bool IsRegion(const std::string& r) {
  return r.size() == 2 && r[0] >= 'A' && r[0] <= 'Z' && r[1] >= 'A' && r[1] <= 'Z';
}

// Reads the writable fields of a channel from `body` onto `c` (create: all,
// PATCH: those present). Credentials go to `credentials`.
absl::Status ReadChannel(const Json& body, bool create, Channel* c,
                         std::optional<ChannelCredentials>* credentials) {
  JsonFields f(body);
  f.RejectUnknown({"type", "name", "address", "region", "credentials", "acknowledgment", "consent",
                   "session_inactivity_minutes", "session_end_hours", "retention_days",
                   "api_base_url", "outbound_url", "hipaa_attested", "enabled"});
  if (create) {
    auto type = f.RequiredString("type", 1, 32);
    if (type.has_value()) {
      auto parsed = ParseChannelType(*type);
      if (!parsed.has_value()) {
        f.AddError("type",
                   "must be web_chat, in_app, whatsapp, messenger, sms, apple_business, line or "
                   "byoc");
      } else {
        c->type = *parsed;
      }
    }
  } else if (f.Has("type")) {
    f.AddError("type", "cannot change; create another channel");
  }
  if (auto v = create ? f.RequiredString("name", 1, 200) : f.OptionalString("name", 1, 200)) {
    c->name = *v;
  }
  if (auto v = f.OptionalString("address", 0, 200)) c->address = *v;
  if (f.Has("region") && body["region"].is_null()) {
    c->region.clear();
  } else if (auto v = f.OptionalString("region", 2, 2)) {
    if (IsRegion(*v)) {
      c->region = *v;
    } else {
      f.AddError("region", "must be an ISO 3166 country code in capitals, like US or GB");
    }
  }
  if (auto v = f.OptionalStringMap("credentials", 20, 64, 4096)) {
    *credentials = ChannelCredentials(std::move(*v));
  }
  if (const Json* ack = f.OptionalObject("acknowledgment")) {
    JsonFields a(*ack, "acknowledgment");
    a.RejectUnknown({"enabled", "text", "locales"});
    if (auto v = a.OptionalBool("enabled")) c->acknowledgment.enabled = *v;
    if (auto v = a.OptionalString("text", 0, 2000)) c->acknowledgment.text = *v;
    if (auto v = a.OptionalStringMap("locales", 50, 16, 2000)) c->acknowledgment.locales = *v;
    if (c->acknowledgment.enabled && c->acknowledgment.text.empty()) {
      a.AddError("text", "is required when the acknowledgment is enabled");
    }
    f.Merge(a);
  }
  if (const Json* consent = f.OptionalObject("consent")) {
    JsonFields k(*consent, "consent");
    k.RejectUnknown(
        {"required_level", "opt_out_keywords", "opt_in_keywords", "help_keywords", "replies"});
    if (auto v = k.OptionalString("required_level", 1, 32)) {
      if (*v == "implicit" || *v == "opted_in" || *v == "double_opted_in") {
        c->consent.required_level = *v;
      } else {
        k.AddError("required_level", "must be implicit, opted_in or double_opted_in");
      }
    }
    // Carriers require STOP, START and HELP: a list may add words, never drop these.
    struct KeywordList {
      const char* field;
      const char* required;
      std::vector<std::string>* list;
    };
    for (const KeywordList& l :
         {KeywordList{"opt_out_keywords", kRequiredOptOutKeyword, &c->consent.opt_out_keywords},
          KeywordList{"opt_in_keywords", kRequiredOptInKeyword, &c->consent.opt_in_keywords},
          KeywordList{"help_keywords", kRequiredHelpKeyword, &c->consent.help_keywords}}) {
      auto v = k.OptionalStringList(l.field, 20, 32);
      if (!v) continue;
      bool has_required = false;
      for (const std::string& word : *v) {
        if (absl::EqualsIgnoreCase(word, l.required)) has_required = true;
      }
      if (!has_required) {
        k.AddError(l.field, std::string("must include ") + l.required);
      } else {
        *l.list = *v;
      }
    }
    if (auto v = k.OptionalStringMap("replies", 10, 16, 1000)) c->consent.replies = *v;
    f.Merge(k);
  }
  if (auto v = f.OptionalInt("session_inactivity_minutes", 1, 7 * 24 * 60)) {
    c->session_inactivity_minutes = static_cast<int>(*v);
  }
  if (auto v = f.OptionalInt("session_end_hours", 1, 30 * 24)) {
    c->session_end_hours = static_cast<int>(*v);
  }
  if (auto v = f.OptionalInt("retention_days", 0, 36500)) c->retention_days = static_cast<int>(*v);
  for (const char* name : {"api_base_url", "outbound_url"}) {
    std::string* field =
        std::string_view(name) == "api_base_url" ? &c->api_base_url : &c->outbound_url;
    if (f.Has(name) && body[name].is_null()) {
      field->clear();
    } else if (auto v = f.OptionalString(name, 1, 2048)) {
      if (IsHttpUrl(*v)) {
        *field = *v;
      } else {
        f.AddError(name, "must be an http:// or https:// URL");
      }
    }
  }
  if (auto v = f.OptionalBool("hipaa_attested")) c->hipaa_attested = *v;
  if (auto v = f.OptionalBool("enabled")) c->enabled = *v;
  if (c->type != ChannelType::kByoc) {
    if (f.Has("outbound_url") && !body["outbound_url"].is_null()) {
      f.AddError("outbound_url", "only byoc channels have an outbound_url");
    }
    if (f.Has("hipaa_attested"))
      f.AddError("hipaa_attested", "only byoc channels take an attestation");
  }
  return f.Finish();
}

}  // namespace

void ChannelsHandler::Register(Router& router) {
  RoleSet admin{Role::kAdmin};
  router.Add({"POST", "/v1/channels", false, admin,
              [this](const RequestContext& c) { return Create(c); }});
  router.Add(
      {"GET", "/v1/channels", false, admin, [this](const RequestContext& c) { return List(c); }});
  router.Add({"GET", "/v1/channels/{id}", false, admin,
              [this](const RequestContext& c) { return Get(c); }});
  router.Add({"PATCH", "/v1/channels/{id}", false, admin,
              [this](const RequestContext& c) { return Patch(c); }});
  router.Add({"DELETE", "/v1/channels/{id}", false, admin,
              [this](const RequestContext& c) { return Delete(c); }});
}

absl::StatusOr<HttpResponse> ChannelsHandler::Create(const RequestContext& ctx) {
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return body.status();
  Channel draft;
  std::optional<ChannelCredentials> credentials;
  CV_RETURN_IF_ERROR(ReadChannel(*body, true, &draft, &credentials));
  auto created = channels_.Create(ctx.principal->tenant_id, std::move(draft), credentials);
  if (!created.ok()) return created.status();
  HttpResponse res = JsonResponse(201, ChannelJson(*created));
  res.headers.emplace_back("Location", "/v1/channels/" + created->id);
  return res;
}

absl::StatusOr<HttpResponse> ChannelsHandler::List(const RequestContext& ctx) {
  auto options = ParseListOptions(ctx.request, "ch");
  if (!options.ok()) return options.status();
  auto page = channels_.List(ctx.principal->tenant_id, *options);
  if (!page.ok()) return page.status();
  Json items = Json::array();
  for (const Channel& c : page->items) items.push_back(ChannelJson(c));
  Json out = {{"items", std::move(items)}, {"next_cursor", nullptr}};
  if (page->next_cursor.has_value()) out["next_cursor"] = *page->next_cursor;
  return JsonResponse(200, out);
}

absl::StatusOr<HttpResponse> ChannelsHandler::Get(const RequestContext& ctx) {
  const std::string& id = ctx.param("id");
  if (!IsWellFormedId(id, "ch")) return NotFound();
  auto channel = channels_.Get(ctx.principal->tenant_id, id);
  if (absl::IsNotFound(channel.status())) return NotFound();
  if (!channel.ok()) return channel.status();
  return JsonResponse(200, ChannelJson(*channel));
}

absl::StatusOr<HttpResponse> ChannelsHandler::Patch(const RequestContext& ctx) {
  const std::string& id = ctx.param("id");
  if (!IsWellFormedId(id, "ch")) return NotFound();
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return body.status();
  auto channel = channels_.Get(ctx.principal->tenant_id, id);
  if (absl::IsNotFound(channel.status())) return NotFound();
  if (!channel.ok()) return channel.status();
  std::optional<ChannelCredentials> credentials;
  CV_RETURN_IF_ERROR(ReadChannel(*body, false, &*channel, &credentials));
  auto updated = channels_.Update(ctx.principal->tenant_id, std::move(*channel), credentials);
  if (absl::IsNotFound(updated.status())) return NotFound();
  if (!updated.ok()) return updated.status();
  return JsonResponse(200, ChannelJson(*updated));
}

absl::StatusOr<HttpResponse> ChannelsHandler::Delete(const RequestContext& ctx) {
  const std::string& id = ctx.param("id");
  if (!IsWellFormedId(id, "ch")) return NotFound();
  absl::Status s = channels_.Delete(ctx.principal->tenant_id, id);
  if (absl::IsNotFound(s)) return NotFound();
  CV_RETURN_IF_ERROR(s);
  HttpResponse res;
  res.status = 204;
  return res;
}

}  // namespace convault
