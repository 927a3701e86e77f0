#include "messaging/sender_registry.h"

namespace convault {

ChannelSender* SenderRegistry::Find(ChannelType type) const {
  auto it = senders_.find(type);
  return it == senders_.end() ? nullptr : it->second;
}

absl::Status SenderRegistry::CanDeliver(const Channel& channel) const {
  const ChannelSender* sender = Find(channel.type);
  if (sender == nullptr) {
    return absl::FailedPreconditionError("no sender for this channel type in this build");
  }
  return sender->CanDeliver(channel);
}

}  // namespace convault
