#pragma once

#include "api/router.h"
#include "config/config.h"
#include "messaging/channel_service.h"
#include "messaging/ingest.h"

namespace convault {

// POST /v1/channels/{id}/inbound (role integration): the generic and
// Bring-Your-Own-Channel ingest (API.md "Messages in").
//   {message_id, from: {platform_key, name?, profile_picture_url?, locale?},
//    text?, payload?, context?: {k: v}, sent_at?}
//   -> 200 {entry_id, session_id, end_user_id, duplicate, redactions, acknowledgment_entry_id}
// The answer comes after the commit; a repeated message_id answers the same ids.
class InboundHandler {
 public:
  InboundHandler(ChannelService& channels, IngestPipeline& ingest, const MessagingOptions& options)
      : channels_(channels), ingest_(ingest), options_(options) {}
  void Register(Router& router);

 private:
  absl::StatusOr<HttpResponse> Post(const RequestContext& ctx);

  ChannelService& channels_;
  IngestPipeline& ingest_;
  MessagingOptions options_;
};

}  // namespace convault
