#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "model/sensitive_data_rule.h"

namespace convault {

// Values are stored: never renumber.
enum class Direction : int { kInbound = 1, kOutbound = 2 };
enum class DeliveryStatus : int {
  kNone = 0,  // inbound entries
  kQueued = 1,
  kSent = 2,
  kFailed = 3,  // retrying
  kDeadLettered = 4,
};
std::string_view ActorTypeName(ActorType actor);
std::string_view DeliveryStatusName(DeliveryStatus status);

// One message or event in a session (DATA-MODEL.md entry). The personal fields
// hold sealed bytes under the end user's DEK; the text was masked first.
struct Entry {
  std::string id;  // "ent_..."
  std::string tenant_id;
  std::string session_id;
  std::string end_user_id;  // the subject of the sealed fields
  int64_t seq = 0;
  absl::Time created_at;
  Direction direction = Direction::kInbound;
  ActorType actor = ActorType::kEndUser;
  std::string actor_name_sealed;
  std::string message_sealed;
  std::string payload_sealed;
  std::string entry_payload_sealed;
  std::string external_id;  // the platform's message id (inbound)
  DeliveryStatus delivery_status = DeliveryStatus::kNone;
  std::string redactions;  // JSON {"credit_card": 1}: counts per detector, never values
  int64_t rule_set_version = 0;
};

// A pre-chat form field or custom detail sent with a conversation.
struct ContextEntry {
  std::string id;  // "ctx_..."
  std::string tenant_id;
  std::string session_id;
  std::string key_sealed;
  std::string value_sealed;
};

// A member of a session: the end user, an agent, a bot, the system.
struct Participant {
  std::string id;  // "par_..."
  std::string tenant_id;
  std::string session_id;
  ActorType role = ActorType::kEndUser;
  std::string display_name_sealed;
  absl::Time joined_at;
};

// A message waiting for delivery to the platform (the outbox).
struct OutboxItem {
  std::string id;  // "out_..."
  std::string tenant_id;
  std::string channel_id;
  std::string session_id;
  std::string entry_id;
  int attempts = 0;
  absl::Time next_attempt_at;
  absl::Time created_at;
};

}  // namespace convault
