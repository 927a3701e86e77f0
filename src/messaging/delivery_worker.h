#pragma once

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "messaging/channel_service.h"
#include "messaging/conversation_reader.h"
#include "messaging/sender_registry.h"
#include "store/store.h"

namespace convault {

// Sends the outbox (docs/messaging.md "Delivery"): claims due rows with a
// lease, opens the entry, hands it to the channel type's sender, and records
// the outcome: sent; failed and due again after an exponential backoff with
// jitter; or dead-lettered after max_attempts or a permanent error.
// Delivery is at least once: a crash between the platform's answer and the
// record sends again after the lease; receivers deduplicate on entry_id.
// Thread safety: RunOnce may run on several threads or processes at once.
class DeliveryWorker {
 public:
  struct Options {
    int batch = 64;
    absl::Duration lease = absl::Minutes(2);
    int max_attempts = 8;
    absl::Duration base_backoff = absl::Seconds(2);
    absl::Duration max_backoff = absl::Minutes(30);
  };
  struct Counts {
    int sent = 0;
    int retried = 0;
    int dead_lettered = 0;
  };

  // `senders` outlives this worker.
  DeliveryWorker(Store& store, ChannelService& channels, ConversationReader& reader,
                 const SenderRegistry& senders, Clock& clock, Options options);
  DeliveryWorker(Store& store, ChannelService& channels, ConversationReader& reader,
                 const SenderRegistry& senders, Clock& clock)
      : DeliveryWorker(store, channels, reader, senders, clock, Options{}) {}

  // One batch of due rows.
  absl::StatusOr<Counts> RunOnce();

  // The delay before attempt `attempts + 1`: base * 2^attempts, at most max,
  // then scaled by a random factor in [0.5, 1).
  absl::Duration Backoff(int attempts) const;

 private:
  // OK, Unavailable (retry) or another error (permanent).
  absl::Status Deliver(const OutboxItem& item);

  Store& store_;
  ChannelService& channels_;
  ConversationReader& reader_;
  const SenderRegistry& senders_;
  Clock& clock_;
  Options options_;
};

}  // namespace convault
