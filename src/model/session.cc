#include "model/session.h"

#include "model/entry.h"

namespace convault {
namespace {

constexpr std::string_view kStatuses[] = {"", "new", "waiting", "active", "inactive", "ended"};

}  // namespace

std::string_view SessionStatusName(SessionStatus status) {
  int i = static_cast<int>(status);
  return i >= 1 && i <= 5 ? kStatuses[i] : "unknown";
}

std::optional<SessionStatus> ParseSessionStatus(std::string_view name) {
  for (int i = 1; i <= 5; ++i) {
    if (kStatuses[i] == name) return static_cast<SessionStatus>(i);
  }
  return std::nullopt;
}

std::string_view ActorTypeName(ActorType actor) {
  switch (actor) {
    case ActorType::kEndUser:
      return "end_user";
    case ActorType::kAgent:
      return "agent";
    case ActorType::kBot:
      return "bot";
    case ActorType::kSystem:
      return "system";
  }
  return "unknown";
}

std::string_view DeliveryStatusName(DeliveryStatus status) {
  switch (status) {
    case DeliveryStatus::kNone:
      return "none";
    case DeliveryStatus::kQueued:
      return "queued";
    case DeliveryStatus::kSent:
      return "sent";
    case DeliveryStatus::kFailed:
      return "failed";
    case DeliveryStatus::kDeadLettered:
      return "dead_lettered";
  }
  return "unknown";
}

}  // namespace convault
