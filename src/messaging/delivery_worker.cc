#include "messaging/delivery_worker.h"

#include <random>

#include "common/log.h"
#include "common/status.h"
#include "common/strings.h"

namespace convault {

DeliveryWorker::DeliveryWorker(Store& store, ChannelService& channels, ConversationReader& reader,
                               const SenderRegistry& senders, Clock& clock, Options options)
    : store_(store),
      channels_(channels),
      reader_(reader),
      senders_(senders),
      clock_(clock),
      options_(options) {}

absl::Duration DeliveryWorker::Backoff(int attempts) const {
  absl::Duration d = options_.base_backoff;
  for (int i = 0; i < attempts && d < options_.max_backoff; ++i) d *= 2;
  if (d > options_.max_backoff) d = options_.max_backoff;
  thread_local std::mt19937_64 rng{std::random_device{}()};
  double factor = 0.5 + 0.5 * std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  return d * factor;
}

absl::Status DeliveryWorker::Deliver(const OutboxItem& item) {
  auto channel = store_.GetChannel(item.tenant_id, item.channel_id);
  if (absl::IsNotFound(channel.status())) return absl::FailedPreconditionError("channel removed");
  if (!channel.ok()) return absl::UnavailableError("channel not readable");
  // Queued before the channel lost its way out (an outbound_url removed).
  CV_RETURN_IF_ERROR(senders_.CanDeliver(*channel));
  ChannelSender* sender = senders_.Find(channel->type);
  auto session = store_.GetSession(item.tenant_id, item.session_id);
  if (!session.ok()) return absl::FailedPreconditionError("session not found");
  auto stored = store_.GetEntry(item.tenant_id, item.entry_id);
  if (absl::IsNotFound(stored.status())) return absl::FailedPreconditionError("entry not found");
  if (!stored.ok()) return absl::UnavailableError("entry not readable");
  OpenedEntry entry = reader_.OpenEntry(std::move(*stored));
  auto user = reader_.EndUser(item.tenant_id, session->end_user_id);
  if (!user.ok() || !user->platform_key.has_value()) {
    return absl::FailedPreconditionError("the end user's address is gone (erased)");
  }
  auto credentials = channels_.OpenCredentials(*channel);
  if (!credentials.ok()) return absl::UnavailableError("credentials not readable");
  OutboundMessage m;
  m.entry_id = entry.entry.id;
  m.session_id = session->id;
  m.platform_key = Sensitive<std::string>(*user->platform_key);
  if (entry.text) m.text = Sensitive<std::string>(*entry.text);
  if (entry.payload_json) m.payload_json = Sensitive<std::string>(*entry.payload_json);
  m.sent_at = entry.entry.created_at;
  return sender->Send(*channel, *credentials, m);
}

absl::StatusOr<DeliveryWorker::Counts> DeliveryWorker::RunOnce() {
  Counts counts;
  absl::Time now = clock_.Now();
  auto claimed = store_.ClaimOutbox(now, options_.lease, options_.batch);
  if (!claimed.ok()) return claimed.status();
  for (const OutboxItem& item : *claimed) {
    absl::Status s = Deliver(item);
    absl::Status recorded;
    if (s.ok()) {
      recorded = store_.FinishDelivery(item, DeliveryStatus::kSent);
      ++counts.sent;
    } else if (absl::IsUnavailable(s) && item.attempts + 1 < options_.max_attempts) {
      recorded = store_.RetryDelivery(item, now + Backoff(item.attempts));
      ++counts.retried;
    } else {
      recorded = store_.FinishDelivery(item, DeliveryStatus::kDeadLettered);
      ++counts.dead_lettered;
      log::Warn("delivery", "dead_lettered",
                {{"tenant", StdSv(item.tenant_id)},
                 {"entry", StdSv(item.entry_id)},
                 {"attempts", item.attempts + 1},
                 {"error", StdSv(s.message())}});
    }
    if (!recorded.ok()) return recorded;
  }
  return counts;
}

}  // namespace convault
