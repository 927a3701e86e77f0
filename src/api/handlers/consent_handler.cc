#include "api/handlers/consent_handler.h"

#include <set>

#include "absl/strings/escaping.h"
#include "api/api_service.h"
#include "api/json.h"
#include "api/subject_access.h"
#include "common/status.h"
#include "common/strings.h"
#include "common/time_format.h"
#include "messaging/consent.h"

namespace convault {
namespace {

crypto::FieldContext EvidenceField(const ConsentRecord& r) {
  return {r.tenant_id, "consent_record", r.id, "evidence", r.end_user_id};
}

}  // namespace

void ConsentHandler::Register(Router& router) {
  router.Add({"GET", "/v1/end-users/{id}/consent", false, RoleSet{Role::kPrivacyOfficer},
              [this](const RequestContext& c) { return Current(c); }});
  router.Add({"POST", "/v1/end-users/{id}/consent", false,
              RoleSet{Role::kPrivacyOfficer, Role::kAdmin},
              [this](const RequestContext& c) { return Append(c); }});
  router.Add({"GET", "/v1/end-users/{id}/consent/history", false, RoleSet{Role::kPrivacyOfficer},
              [this](const RequestContext& c) { return History(c); }});
}

absl::StatusOr<EndUser> ConsentHandler::Load(const RequestContext& ctx) {
  const std::string& id = ctx.param("id");
  if (!IsWellFormedId(id, "eu")) return absl::NotFoundError("no such end user");
  ctx.audit_subject = id;
  auto user = store_.GetEndUser(ctx.principal->tenant_id, id);
  if (absl::IsNotFound(user.status())) return absl::NotFoundError("no such end user");
  return user;
}

absl::StatusOr<HttpResponse> ConsentHandler::Current(const RequestContext& ctx) {
  auto user = Load(ctx);
  if (!user.ok()) return user.status();
  auto ledger = store_.ListConsent(ctx.principal->tenant_id, user->id);
  if (!ledger.ok()) return ledger.status();
  // Every (channel, purpose) the ledger mentions, and messaging on the end user's channel.
  std::set<std::pair<std::string, std::string>> keys = {{user->channel_id, "messaging"}};
  for (const ConsentRecord& r : *ledger) {
    keys.insert({r.channel_id.empty() ? user->channel_id : r.channel_id, r.purpose});
  }
  Json items = Json::array();
  for (const auto& [channel, purpose] : keys) {
    ConsentState s = CurrentConsent(*ledger, channel, purpose, clock_.Now());
    items.push_back({{"channel_id", channel},
                     {"purpose", purpose},
                     {"status", s.status},
                     {"source", s.source.empty() ? Json(nullptr) : Json(s.source)},
                     {"captured_at", s.captured_at == absl::InfinitePast()
                                         ? Json(nullptr)
                                         : Json(FormatRfc3339(s.captured_at))}});
  }
  return JsonResponse(200, {{"items", std::move(items)}});
}

absl::StatusOr<HttpResponse> ConsentHandler::Append(const RequestContext& ctx) {
  auto user = Load(ctx);
  if (!user.ok()) return user.status();
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return body.status();
  JsonFields f(*body);
  f.RejectUnknown({"purpose", "status", "source", "evidence", "channel_id"});
  auto purpose = f.RequiredString("purpose", 1, 32);
  if (purpose && !IsConsentPurpose(*purpose)) {
    f.AddError("purpose",
               "must be messaging, marketing, transcript_storage, analytics or bot_processing");
  }
  auto status = f.RequiredString("status", 1, 32);
  if (status && !IsConsentStatus(*status)) {
    f.AddError("status", "must be opted_in, opted_out, implicit or double_opted_in");
  }
  auto source = f.OptionalString("source", 1, 32);
  if (source && !IsConsentSource(*source)) {
    f.AddError("source", "must be keyword, api, web_form, acknowledgment or import");
  }
  auto channel_id = f.OptionalString("channel_id", 1, 100);
  if (channel_id && !store_.GetChannel(ctx.principal->tenant_id, *channel_id).ok()) {
    f.AddError("channel_id", "is not a channel of this tenant");
  }
  const Json* evidence = f.OptionalObject("evidence");
  std::string evidence_text = evidence != nullptr ? DumpJson(*evidence) : "";
  if (evidence_text.size() > 4096) f.AddError("evidence", "must be at most 4096 bytes of JSON");
  CV_RETURN_IF_ERROR(f.Finish());
  ConsentRecord r;
  r.id = ids_.NewId("con");
  r.tenant_id = ctx.principal->tenant_id;
  r.end_user_id = user->id;
  r.channel_id = channel_id.value_or("");
  r.purpose = *purpose;
  r.status = *status;
  r.source = source.value_or("api");
  r.captured_at = clock_.Now();
  r.effective_from = r.captured_at;
  r.evidence = "{}";
  if (!evidence_text.empty()) {
    // Evidence may name the person (a form, an address): sealed like their other data.
    auto sealed = cipher_.Seal(EvidenceField(r), evidence_text);
    if (!sealed.ok()) return sealed.status();
    r.evidence = DumpJson(Json{{"sealed", absl::Base64Escape(*sealed)}});
  }
  CV_RETURN_IF_ERROR(store_.AppendConsent(r));
  return JsonResponse(201,
                      {{"id", r.id},
                       {"end_user_id", r.end_user_id},
                       {"channel_id", r.channel_id.empty() ? Json(nullptr) : Json(r.channel_id)},
                       {"purpose", r.purpose},
                       {"status", r.status},
                       {"source", r.source},
                       {"evidence", evidence != nullptr ? *evidence : Json::object()},
                       {"captured_at", FormatRfc3339(r.captured_at)}});
}

absl::StatusOr<HttpResponse> ConsentHandler::History(const RequestContext& ctx) {
  auto user = Load(ctx);
  if (!user.ok()) return user.status();
  auto ledger = store_.ListConsent(ctx.principal->tenant_id, user->id);
  if (!ledger.ok()) return ledger.status();
  Json items = Json::array();
  for (const ConsentRecord& r : *ledger) {
    Json evidence = Json::parse(r.evidence, nullptr, false);
    if (evidence.is_discarded()) evidence = Json::object();
    if (evidence.contains("sealed") && evidence["sealed"].is_string()) {
      std::string raw;
      Json opened = nullptr;  // null when the key is gone
      if (absl::Base64Unescape(evidence["sealed"].get<std::string>(), &raw)) {
        auto text = cipher_.Open(EvidenceField(r), raw);
        if (text.ok()) opened = Json::parse(*text, nullptr, false);
        if (opened.is_discarded()) opened = nullptr;
      }
      evidence = opened;
    }
    items.push_back({{"id", r.id},
                     {"channel_id", r.channel_id.empty() ? Json(nullptr) : Json(r.channel_id)},
                     {"purpose", r.purpose},
                     {"status", r.status},
                     {"source", r.source},
                     {"evidence", evidence},
                     {"captured_at", FormatRfc3339(r.captured_at)},
                     {"effective_from", FormatRfc3339(r.effective_from)}});
  }
  return JsonResponse(200, {{"items", std::move(items)}});
}

}  // namespace convault
