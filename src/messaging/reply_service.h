#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/ids.h"
#include "common/sensitive.h"
#include "crypto/field_cipher.h"
#include "messaging/conversation_reader.h"
#include "messaging/rule_service.h"
#include "messaging/sender_registry.h"
#include "store/store.h"

namespace convault {

// An agent's or a bot's message into a session (POST /v1/sessions/{id}/entries).
struct Reply {
  ActorType actor = ActorType::kAgent;  // kAgent or kBot
  std::optional<Sensitive<std::string>> text;
  std::optional<Sensitive<std::string>> payload_json;
  std::optional<Sensitive<std::string>> actor_name;
};

// Stores replies: masked with the tenant's rules for (channel, agent or bot),
// sealed under the end user's DEK, queued in the outbox for the delivery
// worker (stored dead-lettered when the channel cannot deliver:
// SenderRegistry::CanDeliver), the session made active. Thread safety: safe for concurrent use.
class ReplyService {
 public:
  // `senders` outlives this service.
  ReplyService(Store& store, crypto::FieldCipher& cipher, RuleService& rules,
               ConversationReader& reader, const SenderRegistry& senders, Clock& clock,
               IdGenerator& ids)
      : store_(store),
        cipher_(cipher),
        rules_(rules),
        reader_(reader),
        senders_(senders),
        clock_(clock),
        ids_(ids) {}

  // NotFound (session); FailedPrecondition "session_ended".
  absl::StatusOr<OpenedEntry> Send(std::string_view tenant_id, std::string_view session_id,
                                   const Reply& reply);

 private:
  Store& store_;
  crypto::FieldCipher& cipher_;
  RuleService& rules_;
  ConversationReader& reader_;
  const SenderRegistry& senders_;
  Clock& clock_;
  IdGenerator& ids_;
};

// Moves idle sessions to inactive and ends those inactive for the channel's
// session_end_hours, for every channel of every tenant (on the injected clock).
class SessionSweeper {
 public:
  SessionSweeper(Store& store, Clock& clock) : store_(store), clock_(clock) {}
  absl::StatusOr<SweepCounts> RunOnce();

 private:
  Store& store_;
  Clock& clock_;
};

}  // namespace convault
