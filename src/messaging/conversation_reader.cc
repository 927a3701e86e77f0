#include "messaging/conversation_reader.h"

#include <algorithm>
#include <deque>
#include <future>

#include "common/json_text.h"
#include "common/time_format.h"
#include "messaging/ingest.h"
#include "nlohmann/json.hpp"

namespace convault {

std::optional<std::string> ConversationReader::Open(crypto::FieldCipher::SubjectOpener& opener,
                                                    const std::string& tenant,
                                                    std::string_view type, const std::string& id,
                                                    std::string_view field,
                                                    const std::string& subject,
                                                    const std::string& sealed) {
  if (sealed.empty()) return std::nullopt;
  auto plain = opener.Open({tenant, type, id, field, subject}, sealed);
  if (!plain.ok()) return std::nullopt;  // erased, or not ours: shown as absent
  return std::move(*plain);
}

absl::StatusOr<OpenedEndUser> ConversationReader::EndUser(std::string_view tenant_id,
                                                          std::string_view end_user_id) {
  auto user = store_.GetEndUser(tenant_id, end_user_id);
  if (!user.ok()) return user.status();
  OpenedEndUser out{*user, {}, {}, {}};
  const std::string& t = user->tenant_id;
  const std::string& id = user->id;
  auto opener = cipher_.OpenerFor(t, id);
  out.platform_key = Open(opener, t, "end_user", id, "platform_key", id, user->platform_key_sealed);
  out.name = Open(opener, t, "end_user", id, "name", id, user->name_sealed);
  out.profile_picture_url =
      Open(opener, t, "end_user", id, "profile_picture_url", id, user->profile_picture_url_sealed);
  return out;
}

absl::StatusOr<OpenedEndUser> ConversationReader::FindEndUser(const Channel& channel,
                                                              std::string_view platform_key,
                                                              std::string_view region,
                                                              uint64_t token) {
  auto wanted = NormalizePlatformKey(channel.type, platform_key, region);
  if (!wanted.ok()) return absl::NotFoundError("no such end user");
  auto match = MatchEndUser(store_, cipher_, channel, *wanted, token, region);
  if (!match.ok()) return match.status();
  if (!match->end_user_id.empty()) return EndUser(channel.tenant_id, match->end_user_id);
  return absl::NotFoundError("no such end user");
}

void AppendEntryJson(JsonText& j, const OpenedEntry& o) {
  const Entry& e = o.entry;
  // The payload was written by us and sealed (authenticated): embedded as is.
  // The redactions column is not sealed: embedded once it parses.
  bool redactions_ok = e.redactions == "{}" || e.redactions == "[]" ||
                       (!e.redactions.empty() && nlohmann::json::accept(e.redactions));
  // Members in the order nlohmann::json (a std::map) writes them.
  j.BeginObject()
      .Key("actor_name")
      .OptionalString(o.actor_name)
      .Key("actor_type")
      .String(ActorTypeName(e.actor))
      .Key("created_at")
      .Time(e.created_at)
      .Key("delivery_status")
      .String(DeliveryStatusName(e.delivery_status))
      .Key("direction")
      .String(e.direction == Direction::kInbound ? "inbound" : "outbound")
      .Key("id")
      .String(e.id)
      .Key("message_id");
  if (e.external_id.empty()) {
    j.Null();
  } else {
    j.String(e.external_id);
  }
  j.Key("payload");
  if (o.payload_json && !o.payload_json->empty()) {
    j.Raw(*o.payload_json);
  } else {
    j.Null();
  }
  j.Key("redactions");
  if (redactions_ok) {
    j.Raw(e.redactions);
  } else {
    j.Raw("{}");
  }
  j.Key("rule_set_version")
      .Int(e.rule_set_version)
      .Key("seq")
      .Int(e.seq)
      .Key("text")
      .OptionalString(o.text)
      .EndObject();
}

absl::Status ConversationReader::ForEachEntry(
    const Session& session, const std::function<absl::Status(const OpenedEntry&)>& fn) {
  // Entries the session had when it was read are fetched as seq ranges
  // (after, after + kPage]: seq values are distinct, so a range holds at most
  // kPage rows and ranges never overlap. Two ranges are read and opened
  // ahead on other threads while `fn` handles this one (exports: reading and
  // writing overlap on two cores; bench/privacy). Entries appended since are
  // read after them, a page at a time.
  constexpr int kPage = 500;
  auto range = [this, &session](int64_t after) -> absl::StatusOr<std::vector<OpenedEntry>> {
    auto rows = store_.ListEntries(session.tenant_id, session.id, after, kPage);
    if (!rows.ok()) return rows.status();
    std::vector<OpenedEntry> out;
    out.reserve(rows->size());
    auto opener = cipher_.OpenerFor(session.tenant_id, session.end_user_id);
    for (Entry& e : *rows) {
      if (e.seq <= after + kPage) out.push_back(OpenEntry(std::move(e), opener));
    }
    return out;
  };
  const int64_t known = session.next_seq - 1;
  int64_t next_after = 0;
  int64_t last = 0;
  std::deque<std::future<absl::StatusOr<std::vector<OpenedEntry>>>> ahead;
  auto launch = [&] {
    ahead.push_back(std::async(std::launch::async, range, next_after));
    next_after += kPage;
  };
  while (next_after < known && ahead.size() < 2) launch();
  while (!ahead.empty()) {
    auto page = ahead.front().get();
    ahead.pop_front();
    if (next_after < known) launch();
    if (!page.ok()) return page.status();  // the others are waited for as they go
    for (const OpenedEntry& o : *page) {
      last = o.entry.seq;
      absl::Status s = fn(o);
      if (!s.ok()) return s;
    }
  }
  int64_t after = std::max(known, last);
  while (true) {
    auto page = store_.ListEntries(session.tenant_id, session.id, after, kPage);
    if (!page.ok()) return page.status();
    if (page->empty()) return absl::OkStatus();
    for (Entry& e : *page) {
      after = e.seq;
      absl::Status s = fn(OpenEntry(std::move(e)));
      if (!s.ok()) return s;
    }
  }
}

absl::StatusOr<std::vector<OpenedEntry>> ConversationReader::Entries(const Session& session,
                                                                     int64_t after_seq, int limit) {
  auto entries = store_.ListEntries(session.tenant_id, session.id, after_seq, limit);
  if (!entries.ok()) return entries.status();
  std::vector<OpenedEntry> out;
  out.reserve(entries->size());
  auto opener = cipher_.OpenerFor(session.tenant_id, session.end_user_id);
  for (Entry& e : *entries) out.push_back(OpenEntry(std::move(e), opener));
  return out;
}

OpenedEntry ConversationReader::OpenEntry(Entry entry) {
  auto opener = cipher_.OpenerFor(entry.tenant_id, entry.end_user_id);
  return OpenEntry(std::move(entry), opener);
}

OpenedEntry ConversationReader::OpenEntry(Entry entry, crypto::FieldCipher::SubjectOpener& opener) {
  OpenedEntry o{std::move(entry), {}, {}, {}};
  const Entry& x = o.entry;
  o.actor_name =
      Open(opener, x.tenant_id, "entry", x.id, "actor_name", x.end_user_id, x.actor_name_sealed);
  o.text = Open(opener, x.tenant_id, "entry", x.id, "message", x.end_user_id, x.message_sealed);
  o.payload_json =
      Open(opener, x.tenant_id, "entry", x.id, "payload", x.end_user_id, x.payload_sealed);
  return o;
}

absl::StatusOr<std::vector<OpenedParticipant>> ConversationReader::Participants(
    const Session& session) {
  auto rows = store_.ListParticipants(session.tenant_id, session.id);
  if (!rows.ok()) return rows.status();
  std::vector<OpenedParticipant> out;
  auto opener = cipher_.OpenerFor(session.tenant_id, session.end_user_id);
  for (Participant& p : *rows) {
    OpenedParticipant o{std::move(p), {}};
    o.display_name = Open(opener, session.tenant_id, "participant", o.participant.id,
                          "display_name", session.end_user_id, o.participant.display_name_sealed);
    out.push_back(std::move(o));
  }
  return out;
}

absl::StatusOr<std::vector<OpenedContext>> ConversationReader::Context(const Session& session) {
  auto rows = store_.ListContext(session.tenant_id, session.id);
  if (!rows.ok()) return rows.status();
  std::vector<OpenedContext> out;
  auto opener = cipher_.OpenerFor(session.tenant_id, session.end_user_id);
  const std::string& t = session.tenant_id;
  const std::string& subject = session.end_user_id;
  for (const ContextEntry& c : *rows) {
    out.push_back({c.id, Open(opener, t, "context_entry", c.id, "key", subject, c.key_sealed),
                   Open(opener, t, "context_entry", c.id, "value", subject, c.value_sealed)});
  }
  return out;
}

}  // namespace convault
