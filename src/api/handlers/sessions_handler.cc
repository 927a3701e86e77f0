#include "api/handlers/sessions_handler.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "api/api_service.h"
#include "api/json.h"
#include "api/message_fields.h"
#include "api/pagination.h"
#include "api/subject_access.h"
#include "common/log.h"
#include "common/status.h"
#include "common/strings.h"
#include "common/time_format.h"

namespace convault {
namespace {

const RoleSet kReaders{Role::kAgent, Role::kBot, Role::kAdmin, Role::kPrivacyOfficer};

absl::Status NotFound() { return absl::NotFoundError("no such session"); }

Json Optional(const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); }

Json SessionJson(const Session& s) {
  return {{"id", s.id},
          {"channel_id", s.channel_id},
          {"end_user_id", s.end_user_id},
          {"status", std::string(SessionStatusName(s.status))},
          {"started_at", FormatRfc3339(s.started_at)},
          {"last_activity_at", FormatRfc3339(s.last_activity_at)},
          {"ended_at",
           s.status == SessionStatus::kEnded ? Json(FormatRfc3339(s.ended_at)) : Json(nullptr)},
          {"end_reason", s.end_reason.empty() ? Json(nullptr) : Json(s.end_reason)}};
}

}  // namespace

void SessionsHandler::Register(Router& router) {
  router.Add({"GET", "/v1/sessions", false, kReaders,
              [this](const RequestContext& c) { return List(c); }});
  router.Add({"GET", "/v1/sessions/{id}", false, kReaders,
              [this](const RequestContext& c) { return Get(c); }});
  router.Add({"GET", "/v1/sessions/{id}/entries", false, kReaders,
              [this](const RequestContext& c) { return Entries(c); }});
  router.Add({"GET", "/v1/sessions/{id}/context", false, kReaders,
              [this](const RequestContext& c) { return Context(c); }});
  router.Add({"POST", "/v1/sessions/{id}/entries", false, RoleSet{Role::kAgent, Role::kBot},
              [this](const RequestContext& c) { return Post(c); }});
  router.Add({"POST", "/v1/sessions/{id}/end", false, RoleSet{Role::kAgent, Role::kAdmin},
              [this](const RequestContext& c) { return End(c); }});
  router.Add({"GET", "/v1/sessions/{id}/transcript", false, kReaders,
              [this](const RequestContext& c) { return GetTranscript(c); }});
}

absl::StatusOr<Session> SessionsHandler::Load(const RequestContext& ctx) {
  const std::string& id = ctx.param("id");
  if (!IsWellFormedId(id, "ses")) return NotFound();
  auto session = store_.GetSession(ctx.principal->tenant_id, id);
  if (absl::IsNotFound(session.status())) return NotFound();
  if (!session.ok()) return session.status();
  absl::Status access = CheckSubjectAccess(store_, ctx, session->end_user_id);
  if (absl::IsNotFound(access)) return NotFound();
  if (!access.ok()) return access;
  return session;
}

absl::StatusOr<HttpResponse> SessionsHandler::List(const RequestContext& ctx) {
  auto options = ParseListOptions(ctx.request, "ses");
  if (!options.ok()) return options.status();
  SessionFilter filter;
  std::vector<FieldError> errors;
  std::string_view query = ctx.request.query;
  if (auto v = QueryParam(query, "channel_id")) filter.channel_id = *v;
  if (auto v = QueryParam(query, "end_user_id")) filter.end_user_id = *v;
  if (auto v = QueryParam(query, "status")) {
    filter.status = ParseSessionStatus(*v);
    if (!filter.status)
      errors.push_back({"status", "must be new, waiting, active, inactive or ended"});
  }
  if (auto v = QueryParam(query, "since")) {
    auto t = ParseRfc3339(*v);
    if (t.ok()) {
      filter.since = *t;
    } else {
      errors.push_back({"since", "must be an RFC 3339 time"});
    }
  }
  if (!errors.empty()) return InvalidFields(errors);
  auto page = store_.ListSessions(ctx.principal->tenant_id, filter, *options);
  if (!page.ok()) return page.status();
  Json items = Json::array();
  for (const Session& s : page->items) items.push_back(SessionJson(s));
  Json out = {{"items", std::move(items)}, {"next_cursor", nullptr}};
  if (page->next_cursor) out["next_cursor"] = *page->next_cursor;
  return JsonResponse(200, out);
}

absl::StatusOr<HttpResponse> SessionsHandler::Get(const RequestContext& ctx) {
  auto session = Load(ctx);
  if (!session.ok()) return session.status();
  auto participants = reader_.Participants(*session);
  if (!participants.ok()) return participants.status();
  Json out = SessionJson(*session);
  Json people = Json::array();
  for (const OpenedParticipant& p : *participants) {
    people.push_back({{"id", p.participant.id},
                      {"role", std::string(ActorTypeName(p.participant.role))},
                      {"display_name", Optional(p.display_name)},
                      {"joined_at", FormatRfc3339(p.participant.joined_at)}});
  }
  out["participants"] = std::move(people);
  return JsonResponse(200, out);
}

absl::StatusOr<HttpResponse> SessionsHandler::Entries(const RequestContext& ctx) {
  auto session = Load(ctx);
  if (!session.ok()) return session.status();
  int64_t after = 0;
  int limit = 100;
  if (auto v = QueryParam(ctx.request.query, "after_seq")) {
    if (!absl::SimpleAtoi(Sv(*v), &after) || after < 0) {
      return InvalidFields({{"after_seq", "must be a non-negative integer"}});
    }
  }
  if (auto v = QueryParam(ctx.request.query, "limit")) {
    if (!absl::SimpleAtoi(Sv(*v), &limit) || limit < 1 || limit > 500) {
      return InvalidFields({{"limit", "must be an integer from 1 to 500"}});
    }
  }
  auto entries = reader_.Entries(*session, after, limit);
  if (!entries.ok()) return entries.status();
  std::string body;
  JsonText j(body);
  j.BeginObject().Key("items").BeginArray();
  for (const OpenedEntry& o : *entries) AppendEntryJson(j, o);
  j.EndArray().EndObject();
  return JsonResponse(200, std::move(body));
}

absl::StatusOr<HttpResponse> SessionsHandler::Context(const RequestContext& ctx) {
  auto session = Load(ctx);
  if (!session.ok()) return session.status();
  auto context = reader_.Context(*session);
  if (!context.ok()) return context.status();
  Json items = Json::array();
  for (const OpenedContext& c : *context) {
    items.push_back({{"id", c.id}, {"key", Optional(c.key)}, {"value", Optional(c.value)}});
  }
  return JsonResponse(200, {{"items", std::move(items)}});
}

absl::StatusOr<HttpResponse> SessionsHandler::Post(const RequestContext& ctx) {
  auto session = Load(ctx);
  if (!session.ok()) return session.status();
  const std::string& id = session->id;
  JsonLimits limits;
  limits.max_depth = options_.max_payload_depth + 1;
  auto body = ParseJsonObject(ctx.request, limits);
  if (!body.ok()) return body.status();
  JsonFields f(*body);
  f.RejectUnknown({"text", "payload", "actor_name"});
  Reply reply;
  // A key with the bot role (and not the agent role) writes as the bot.
  const RoleSet& roles = ctx.principal->roles;
  reply.actor = roles.Has(Role::kAgent) ? ActorType::kAgent : ActorType::kBot;
  reply.text = ReadMessageText(*body, f, static_cast<size_t>(options_.max_text_bytes));
  reply.payload_json = ReadMessagePayload(*body, f);
  if (!f.Has("text") && !f.Has("payload")) f.AddError("text", "text or payload is required");
  if (auto v = f.OptionalString("actor_name", 0, 200)) {
    reply.actor_name = Sensitive<std::string>(std::move(*v));
  }
  CV_RETURN_IF_ERROR(f.Finish());
  auto entry = replies_.Send(ctx.principal->tenant_id, id, reply);
  if (absl::IsNotFound(entry.status())) return NotFound();
  if (!entry.ok()) return entry.status();
  std::string text;
  JsonText j(text);
  AppendEntryJson(j, *entry);
  HttpResponse res = JsonResponse(201, std::move(text));
  res.headers.emplace_back("Location", "/v1/sessions/" + id + "/entries?after_seq=" +
                                           std::to_string(entry->entry.seq - 1) + "&limit=1");
  return res;
}

absl::StatusOr<HttpResponse> SessionsHandler::End(const RequestContext& ctx) {
  auto session = Load(ctx);
  if (!session.ok()) return session.status();
  std::string reason = ctx.principal->roles.Has(Role::kAgent) ? "agent" : "admin";
  auto ended = store_.EndSession(ctx.principal->tenant_id, session->id, clock_.Now(), reason);
  if (!ended.ok()) return ended.status();
  // Best effort now; the transcript job finalizes whatever this leaves.
  absl::Status finalized = transcripts_.Finalize(*ended);
  if (!finalized.ok()) {
    log::Warn("sessions", "transcript_deferred", {{"error", StdSv(finalized.message())}});
  }
  return JsonResponse(200, SessionJson(*ended));
}

absl::StatusOr<HttpResponse> SessionsHandler::GetTranscript(const RequestContext& ctx) {
  auto session = Load(ctx);
  if (!session.ok()) return session.status();
  std::string format = QueryParam(ctx.request.query, "format").value_or("json");
  auto rendered = transcripts_.Render(*session, format);
  if (absl::IsInvalidArgument(rendered.status())) {
    return InvalidFields({{"format", "must be json, text or html"}});
  }
  if (!rendered.ok()) return rendered.status();
  HttpResponse res;
  res.status = 200;
  res.content_type = rendered->first;
  res.body = std::move(rendered->second);
  return res;
}

}  // namespace convault
