#pragma once

#include <map>

#include "absl/status/status.h"
#include "messaging/channel_sender.h"
#include "model/channel.h"

namespace convault {

// The channel senders of this build, by channel type, and whether a channel
// can be delivered to at all. Replies to a channel that cannot (no sender for
// its type, or a sender that refuses the channel itself: a byoc channel
// without an outbound_url) are stored dead-lettered instead of queued: no
// outbox row, no delivery attempt (docs/messaging.md "Delivery").
// Thread safety: Set before use; afterwards safe for concurrent reads.
class SenderRegistry final {
 public:
  // REQUIRES: before the first Find or CanDeliver. `sender` outlives this.
  void Set(ChannelType type, ChannelSender* sender) { senders_[type] = sender; }

  // nullptr: none for this type.
  ChannelSender* Find(ChannelType type) const;

  // OK, or FailedPrecondition with the permanent reason nothing can be sent.
  absl::Status CanDeliver(const Channel& channel) const;

 private:
  std::map<ChannelType, ChannelSender*> senders_;
};

}  // namespace convault
