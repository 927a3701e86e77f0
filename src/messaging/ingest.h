#pragma once

#include <optional>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/ids.h"
#include "crypto/blind_index.h"
#include "crypto/field_cipher.h"
#include "messaging/inbound_message.h"
#include "messaging/ingest_cache.h"
#include "messaging/rule_service.h"
#include "messaging/sender_registry.h"
#include "model/channel.h"
#include "store/store.h"

namespace convault {

// The pipeline every channel shares for a customer's message
// (ARCHITECTURE.md "one inbound message"; docs/messaging.md):
//  1. idempotency on the platform message id;
//  2. the end user by the blind index of the normalized platform key
//     (candidates opened and compared), created when new;
//  3. the open session of (channel, end user), created when none;
//  4. text, payload strings and context values masked with the tenant's rules
//     for (channel, end_user);
//  5. every personal field sealed under the end user's DEK; blind-index tokens
//     for the platform key, the name, and emails and phone numbers in the text
//     and context values;
//  6. on a session's first customer message, the channel's acknowledgment as a
//     system entry queued for delivery (stored dead-lettered when the channel
//     cannot deliver: SenderRegistry::CanDeliver);
//  7. one CommitInbound (group commit); the answer only after it.
// A concurrent writer that makes the view stale (Aborted) is retried.
// Thread safety: safe for concurrent use.
class IngestPipeline {
 public:
  // `senders` outlives this pipeline.
  IngestPipeline(Store& store, crypto::FieldCipher& cipher, crypto::BlindIndexer& blind,
                 RuleService& rules, const SenderRegistry& senders, Clock& clock, IdGenerator& ids);

  // InvalidArgument for a platform key that does not normalize;
  // FailedPrecondition for a disabled channel.
  absl::StatusOr<IngestResult> Ingest(const Channel& channel, const InboundMessage& message);

  static constexpr const char* kPlatformKeyIndex = "end_user.platform_key";
  static constexpr const char* kNameIndex = "end_user.name";
  static constexpr const char* kEmailIndex = "identifier.email";
  static constexpr const char* kPhoneIndex = "identifier.phone";
  // Values of context keys an admin classified as identifier "id".
  static constexpr const char* kContextIdIndex = "identifier.context_id";
  // Full (untruncated) keyed hashes of the platform keys on the suppression list.
  static constexpr const char* kSuppressionIndex = "suppression.platform_key";

 private:
  // `use_known`: start from what the sender's last message found.
  absl::StatusOr<IngestResult> Attempt(const Channel& channel, const InboundMessage& message,
                                       const std::string& region, bool use_known);

  Store& store_;
  crypto::FieldCipher& cipher_;
  crypto::BlindIndexer& blind_;
  RuleService& rules_;
  const SenderRegistry& senders_;
  Clock& clock_;
  IdGenerator& ids_;
  std::shared_ptr<const redact::Policy> identifiers_;  // email and phone, to index
  IngestCache known_{65536};
};

// The end user of `channel` whose platform key normalizes to `normalized_key`,
// found among the candidates of its blind-index token (each opened and
// compared); `compared` lists every end user of the channel under the token.
struct EndUserMatch {
  std::string end_user_id;  // empty: none
  std::vector<std::string> compared;
  // Of the matched end user:
  std::string locale;
  bool processing_restricted = false;
};
absl::StatusOr<EndUserMatch> MatchEndUser(Store& store, crypto::FieldCipher& cipher,
                                          const Channel& channel, std::string_view normalized_key,
                                          uint64_t token, std::string_view region);

// Where the normalized value of a blind-index entry is sealed (under the
// subject's DEK): the index name stands in for the object type.
inline crypto::FieldContext IndexValueField(const BlindIndexEntry& e) {
  return {e.tenant_id, e.index_name, e.object_id, e.field, e.subject_id};
}

// An end user's platform key, opened and normalized as the index reads it;
// empty when it no longer opens (their key was destroyed) or does not normalize.
std::optional<std::string> OpenPlatformKey(crypto::FieldCipher& cipher, const EndUser& user,
                                           const Channel& channel, std::string_view region);

// The platform key as the index reads it: E.164 on phone-number channels
// (sms, whatsapp), else trimmed and lower-cased.
absl::StatusOr<std::string> NormalizePlatformKey(ChannelType type, std::string_view key,
                                                 std::string_view region);

}  // namespace convault
