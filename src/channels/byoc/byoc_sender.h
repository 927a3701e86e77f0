#pragma once

#include "channels/http_client.h"
#include "messaging/channel_sender.h"

namespace convault {

// Bring-Your-Own-Channel delivery (docs/formats/byoc-outbound.md): a POST of
// {event: "message", entry_id, session_id, end_user: {platform_key}, text,
// payload, sent_at} to the channel's outbound_url, signed with HMAC-SHA256
// over the raw body with credentials.signing_secret as
// "X-Convault-Signature: sha256=<hex>", with "Idempotency-Key: <entry_id>".
class ByocSender final : public ChannelSender {
 public:
  explicit ByocSender(HttpClient& http) : http_(http) {}
  absl::Status Send(const Channel& channel, const ChannelCredentials& credentials,
                    const OutboundMessage& message) override;
  // A channel without an outbound_url is receive-only.
  absl::Status CanDeliver(const Channel& channel) const override;

  // The body and its signature header value, as sent (for tests and docs).
  static std::string Body(const OutboundMessage& message);

 private:
  HttpClient& http_;
};

}  // namespace convault
