#pragma once

#include "api/router.h"
#include "messaging/channel_service.h"

namespace convault {

// /v1/channels (role admin; API.md "Channels and settings"):
//   POST /            -> 201 channel (credentials write-only; never returned)
//   GET  /            -> {items, next_cursor}
//   GET, PATCH, DELETE /{id}
// A channel shows hipaa_eligible (derived from its type), credentials_set (the
// names of the secrets it holds), and where its messages arrive: inbound_url
// for byoc, webhook_url for the platforms.
class ChannelsHandler {
 public:
  explicit ChannelsHandler(ChannelService& channels) : channels_(channels) {}
  void Register(Router& router);

 private:
  absl::StatusOr<HttpResponse> Create(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> List(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Get(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Patch(const RequestContext& ctx);
  absl::StatusOr<HttpResponse> Delete(const RequestContext& ctx);

  ChannelService& channels_;
};

}  // namespace convault
