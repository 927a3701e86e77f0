#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/sensitive.h"
#include "messaging/channel_service.h"
#include "model/channel.h"

namespace convault {

// One outbound entry, opened, for a channel's sender.
struct OutboundMessage {
  std::string entry_id;
  std::string session_id;
  Sensitive<std::string> platform_key;  // the end user's address on the platform
  std::optional<Sensitive<std::string>> text;
  std::optional<Sensitive<std::string>> payload_json;
  absl::Time sent_at;
};

// Sends entries to one type of platform (channels/<type>/). Implementations
// are stateless apart from pooled connections and safe for concurrent use.
// Results: OK (the platform acknowledged); Unavailable (try again later: a
// network error, a timeout, 408, 429, 5xx); any other error is permanent and
// the entry is dead-lettered (a 4xx, a channel without its credentials).
// Errors never carry message text or credentials.
class ChannelSender {
 public:
  virtual ~ChannelSender() = default;
  virtual absl::Status Send(const Channel& channel, const ChannelCredentials& credentials,
                            const OutboundMessage& message) = 0;

  // FailedPrecondition when nothing can ever be sent to `channel` as it is
  // configured (a byoc channel without an outbound_url): its replies are
  // then stored dead-lettered, not queued. Cheap: no I/O, no credentials.
  virtual absl::Status CanDeliver(const Channel& channel) const {
    (void)channel;
    return absl::OkStatus();
  }
};

}  // namespace convault
