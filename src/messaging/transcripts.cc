#include "messaging/transcripts.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/strings.h"
#include "common/time_format.h"

namespace convault {
namespace {

using Json = nlohmann::json;

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Str(const Json& v) { return v.is_string() ? v.get<std::string>() : ""; }

const std::string* StrPtr(const Json& v) {
  return v.is_string() ? v.get_ptr<const std::string*>() : nullptr;
}

}  // namespace

void AppendTranscriptTextHeading(std::string& out, std::string_view session_id,
                                 std::string_view started_at, const std::string* ended_at) {
  absl::StrAppend(&out, "Transcript of session ", Sv(session_id), "\nStarted: ", Sv(started_at),
                  "\n");
  if (ended_at != nullptr) absl::StrAppend(&out, "Ended: ", *ended_at, "\n");
  out += "\n";
}

void AppendTranscriptTextLine(std::string& out, std::string_view at, std::string_view actor_type,
                              const std::string* actor_name, const std::string* text) {
  absl::StrAppend(&out, Sv(at), "  ", Sv(actor_type));
  if (actor_name != nullptr) absl::StrAppend(&out, " (", *actor_name, ")");
  absl::StrAppend(&out, ": ", text != nullptr ? Sv(*text) : absl::string_view("[no text]"), "\n");
}

absl::StatusOr<Json> TranscriptService::Build(const Session& session) {
  auto entries = reader_.Entries(session, 0, 1 << 30);
  if (!entries.ok()) return entries.status();
  Json items = Json::array();
  for (const OpenedEntry& o : *entries) {
    const Entry& e = o.entry;
    Json payload = nullptr;
    if (o.payload_json) payload = Json::parse(*o.payload_json, nullptr, false);
    if (payload.is_discarded()) payload = nullptr;
    items.push_back({{"seq", e.seq},
                     {"at", FormatRfc3339(e.created_at)},
                     {"direction", e.direction == Direction::kInbound ? "inbound" : "outbound"},
                     {"actor_type", std::string(ActorTypeName(e.actor))},
                     {"actor_name", o.actor_name ? Json(*o.actor_name) : Json(nullptr)},
                     {"text", o.text ? Json(*o.text) : Json(nullptr)},
                     {"payload", std::move(payload)}});
  }
  bool ended = session.status == SessionStatus::kEnded;
  return Json{{"format_version", 1},
              {"session_id", session.id},
              {"channel_id", session.channel_id},
              {"end_user_id", session.end_user_id},
              {"started_at", FormatRfc3339(session.started_at)},
              {"ended_at", ended ? Json(FormatRfc3339(session.ended_at)) : Json(nullptr)},
              {"final", ended},
              {"generated_at", FormatRfc3339(clock_.Now())},
              {"entries", std::move(items)}};
}

absl::StatusOr<Json> TranscriptService::Document(const Session& session) {
  auto stored = store_.GetTranscript(session.tenant_id, session.id);
  if (stored.ok()) {
    auto plain =
        cipher_.Open({session.tenant_id, "transcript", session.id, "body", session.end_user_id},
                     stored->body_sealed);
    if (!plain.ok()) return plain.status();
    Json doc = Json::parse(*plain, nullptr, false);
    if (doc.is_discarded()) return absl::InternalError("transcript does not parse");
    return doc;
  }
  if (!absl::IsNotFound(stored.status())) return stored.status();
  return Build(session);
}

absl::Status TranscriptService::Finalize(const Session& session) {
  if (session.status != SessionStatus::kEnded) {
    return absl::FailedPreconditionError("the session has not ended");
  }
  auto doc = Build(session);
  if (!doc.ok()) return doc.status();
  std::string plain = doc->dump();
  Transcript t;
  t.tenant_id = session.tenant_id;
  t.session_id = session.id;
  t.generated_at = clock_.Now();
  auto body = cipher_.Seal(
      {session.tenant_id, "transcript", session.id, "body", session.end_user_id}, plain);
  if (!body.ok()) return body.status();
  // No internal notes exist yet: the supervisor body is the same document.
  auto supervisor = cipher_.Seal(
      {session.tenant_id, "transcript", session.id, "supervisor_body", session.end_user_id}, plain);
  if (!supervisor.ok()) return supervisor.status();
  t.body_sealed = std::move(*body);
  t.supervisor_body_sealed = std::move(*supervisor);
  return store_.PutTranscript(t);
}

absl::StatusOr<int> TranscriptService::RunOnce() {
  auto pending = store_.ListEndedWithoutTranscript(100);
  if (!pending.ok()) return pending.status();
  int done = 0;
  for (const Session& s : *pending) {
    absl::Status f = Finalize(s);
    if (f.ok()) {
      ++done;
    } else if (ErrorCode(f) != "key_destroyed") {  // erased: nothing left to seal
      return f;
    }
  }
  return done;
}

absl::StatusOr<std::pair<std::string, std::string>> TranscriptService::Render(
    const Session& session, std::string_view format) {
  if (format != "json" && format != "text" && format != "html") {
    return absl::InvalidArgumentError("format: must be json, text or html");
  }
  auto doc = Document(session);
  if (!doc.ok()) return doc.status();
  if (format == "json") return std::make_pair(std::string("application/json"), doc->dump());
  if (format == "text") {
    std::string out;
    AppendTranscriptTextHeading(out, Str((*doc)["session_id"]), Str((*doc)["started_at"]),
                                StrPtr((*doc)["ended_at"]));
    for (const Json& e : (*doc)["entries"]) {
      AppendTranscriptTextLine(out, Str(e["at"]), Str(e["actor_type"]), StrPtr(e["actor_name"]),
                               StrPtr(e["text"]));
    }
    return std::make_pair(std::string("text/plain; charset=utf-8"), out);
  }
  std::string out =
      absl::StrCat("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Transcript ",
                   HtmlEscape(Str((*doc)["session_id"])),
                   "</title></head><body>\n<h1>Transcript</h1>\n<p>Session ",
                   HtmlEscape(Str((*doc)["session_id"])), ", started ",
                   HtmlEscape(Str((*doc)["started_at"])), "</p>\n<ol>\n");
  for (const Json& e : (*doc)["entries"]) {
    absl::StrAppend(&out, "<li class=\"", HtmlEscape(Str(e["actor_type"])), "\"><time>",
                    HtmlEscape(Str(e["at"])), "</time> <b>", HtmlEscape(Str(e["actor_type"])));
    if (e["actor_name"].is_string())
      absl::StrAppend(&out, " (", HtmlEscape(Str(e["actor_name"])), ")");
    absl::StrAppend(&out, "</b>: ", HtmlEscape(e["text"].is_string() ? Str(e["text"]) : ""),
                    "</li>\n");
  }
  out += "</ol>\n</body></html>\n";
  return std::make_pair(std::string("text/html; charset=utf-8"), out);
}

}  // namespace convault
