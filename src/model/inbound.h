#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "model/blind_index_entry.h"
#include "model/consent_record.h"
#include "model/end_user.h"
#include "model/entry.h"
#include "model/session.h"
#include "model/token_row.h"

namespace convault {

// What an inbound message id was answered with: kept so that a repeat of the
// same platform message id gets the same answer and stores nothing.
struct InboundRecord {
  std::string tenant_id;
  std::string channel_id;
  std::string external_id;
  std::string entry_id;
  std::string session_id;
  std::string end_user_id;
  std::string acknowledgment_entry_id;  // empty when none was sent
  std::string redactions;               // JSON [{"detector": ..., "count": ...}]
};

// Everything one inbound message writes, committed in one transaction
// (Store::CommitInbound).
struct InboundWrite {
  InboundRecord record;
  // The end user: created with this message, or an existing one.
  std::optional<EndUser> new_end_user;
  // The caller resolved the end user by comparing the end users of this
  // channel indexed under this platform-key token. When this message creates
  // the end user and the store holds another one under the token that the
  // caller did not compare (a concurrent first message), the commit is
  // Aborted. A message to an existing end user is not checked: the caller
  // matched that end user's platform key exactly, and every end user is
  // created through this check, so another one under the token has another
  // key (tokens are truncated: docs/formats/field-ciphertext.md).
  std::string platform_key_index;
  uint64_t platform_key_token = 0;
  std::vector<std::string> compared_end_users;
  // An end user found before the commit (not new): what the caller decided
  // on. The commit is Aborted when the end user is gone or these differ (a
  // restriction since, or a view the caller kept from an earlier message).
  struct SeenEndUser {
    bool processing_restricted = false;
    std::string locale;
  };
  std::optional<SeenEndUser> seen_end_user;
  // The session: created with this message (with `session_status`), or the
  // open one, which the store makes `waiting` unless it is `active` (from
  // the status it holds, not the caller's).
  std::optional<Session> new_session;
  SessionStatus session_status = SessionStatus::kWaiting;
  absl::Time activity_at;
  std::vector<Entry> entries;  // in order; the store assigns seq
  std::vector<ContextEntry> context;
  std::vector<Participant> participants;
  std::vector<BlindIndexEntry> index_entries;
  std::vector<OutboxItem> outbox;
  std::vector<ConsentRecord> consent;
  std::vector<TokenRow> tokens;
  // Set has_initial_response_sent on the existing end user (a new one comes with it set).
  bool mark_initial_response_sent = false;
};

struct InboundCommit {
  InboundRecord record;
  bool duplicate = false;
};

// Entries an agent, a bot or the system adds to an open session, with their
// outbox rows (Store::AppendEntries).
struct EntriesWrite {
  std::string tenant_id;
  std::string session_id;
  std::vector<Entry> entries;  // the store assigns seq
  std::vector<Participant> participants;
  std::vector<OutboxItem> outbox;
  std::vector<TokenRow> tokens;
  std::optional<SessionStatus> session_status;  // unchanged when unset
  absl::Time activity_at;
};

// What a sweep of one channel changed.
struct SweepCounts {
  int64_t made_inactive = 0;
  int64_t ended = 0;
};

// Filters of GET /v1/sessions.
struct SessionFilter {
  std::string channel_id;
  std::string end_user_id;
  std::optional<SessionStatus> status;
  absl::Time since = absl::InfinitePast();  // last activity at or after
};

}  // namespace convault
