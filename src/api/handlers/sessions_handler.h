#pragma once

#include "api/router.h"
#include "messaging/conversation_reader.h"

namespace convault {

// /v1/sessions (roles agent, bot, admin, privacy_officer; API.md "Conversations"):
//   GET /                 -> {items, next_cursor}; filters channel_id, end_user_id, status, since
//   GET /{id}             -> the session with its participants
//   GET /{id}/entries     -> {items} in seq order (?after_seq=, ?limit=); texts as stored (masked)
//   GET /{id}/context     -> {items: [{id, key, value}]}
class SessionsHandler {
 public:
  SessionsHandler(Store& store, ConversationReader& reader) : store_(store), reader_(reader) {}
  void Register(Router& router);

 private:
  absl::StatusOr<HttpResponse> List(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Get(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Entries(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Context(const RequestContext& ctx);
  absl::StatusOr<Session> Load(const RequestContext& ctx);

  Store& store_;
  ConversationReader& reader_;
};

}  // namespace convault
