#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"

namespace convault {

// Values are stored: never renumber.
enum class SessionStatus : int { kNew = 1, kWaiting = 2, kActive = 3, kInactive = 4, kEnded = 5 };
std::string_view SessionStatusName(SessionStatus status);
std::optional<SessionStatus> ParseSessionStatus(std::string_view name);

// One conversation of an end user on a channel (DATA-MODEL.md session). At most
// one session per (channel, end user) is not ended (a unique index).
struct Session {
  std::string id;  // "ses_..."
  std::string tenant_id;
  std::string channel_id;
  std::string end_user_id;
  SessionStatus status = SessionStatus::kNew;
  absl::Time started_at;
  absl::Time last_activity_at;
  absl::Time ended_at = absl::InfinitePast();  // InfinitePast while not ended
  std::string end_reason;                      // "agent", "inactivity", "api", ...
  int64_t next_seq = 1;
};

}  // namespace convault
