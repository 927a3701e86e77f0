#pragma once

#include "api/router.h"
#include "common/clock.h"
#include "config/config.h"
#include "messaging/conversation_reader.h"
#include "messaging/reply_service.h"
#include "messaging/transcripts.h"

namespace convault {

// /v1/sessions (roles agent, bot, admin, privacy_officer; API.md "Conversations"):
//   GET /                 -> {items, next_cursor}; filters channel_id, end_user_id, status, since
//   GET /{id}             -> the session with its participants
//   GET /{id}/entries     -> {items} in seq order (?after_seq=, ?limit=); texts as stored (masked)
//   GET /{id}/context     -> {items: [{id, key, value}]}
//   POST /{id}/entries    -> (agent, bot) {text?, payload?, actor_name?} -> 201 entry as stored,
//                            queued for delivery; 409 session_ended
//   POST /{id}/end        -> (agent, admin) the session, ended (transcript finalized); 409
//   session_ended GET /{id}/transcript  -> ?format=json (default), text or html
class SessionsHandler {
 public:
  SessionsHandler(Store& store, ConversationReader& reader, ReplyService& replies,
                  TranscriptService& transcripts, Clock& clock, MessagingOptions options = {})
      : store_(store),
        reader_(reader),
        replies_(replies),
        transcripts_(transcripts),
        clock_(clock),
        options_(options) {}
  void Register(Router& router);

 private:
  absl::StatusOr<HttpResponse> List(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Get(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Entries(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Context(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Post(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> End(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> GetTranscript(const RequestContext& ctx);
  absl::StatusOr<Session> Load(const RequestContext& ctx);

  Store& store_;
  ConversationReader& reader_;
  ReplyService& replies_;
  TranscriptService& transcripts_;
  Clock& clock_;
  MessagingOptions options_;
};

}  // namespace convault
