#pragma once

#include "api/router.h"
#include "crypto/blind_index.h"
#include "messaging/channel_service.h"
#include "messaging/conversation_reader.h"

namespace convault {

// /v1/end-users (roles agent, admin, privacy_officer):
//   GET /{id}                              -> the end user, personal fields opened
//   GET /?platform_key=&channel_id=        -> {items: [end user]} (exact, through the blind index)
class EndUsersHandler {
 public:
  EndUsersHandler(Store& store, ChannelService& channels, ConversationReader& reader,
                  crypto::BlindIndexer& blind)
      : store_(store), channels_(channels), reader_(reader), blind_(blind) {}
  void Register(Router& router);

 private:
  absl::StatusOr<HttpResponse> Get(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Find(const RequestContext& ctx);

  Store& store_;
  ChannelService& channels_;
  ConversationReader& reader_;
  crypto::BlindIndexer& blind_;
};

}  // namespace convault
