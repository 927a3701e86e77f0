#pragma once

#include <string>
#include <vector>

#include "absl/time/time.h"

namespace convault {

// A data-subject request (PRIVACY.md sections 3-5): what a privacy officer
// asked for one end user, and what came of it.
struct PrivacyRequest {
  std::string id;  // "prq_..."
  std::string tenant_id;
  std::string type;    // erase | export | restrict | lift_restriction
  std::string status;  // pending | completed | rejected | failed
  std::string end_user_id;
  std::string reason_sealed;  // the officer's words, sealed under the tenant DEK
  std::string requested_by;   // API key id
  std::string result;         // JSON (the erasure certificate, export manifest, rejection reason)
  absl::Time created_at;
  absl::Time due_at;
  absl::Time completed_at = absl::InfinitePast();  // InfinitePast until done
};

// What one erasure removed, per object type.
struct ErasureCounts {
  int64_t end_users = 0;
  int64_t sessions = 0;
  int64_t entries = 0;
  int64_t participants = 0;
  int64_t context_entries = 0;
  int64_t transcripts = 0;
  int64_t tokens = 0;
  int64_t outbox = 0;
  int64_t consent_records = 0;
  int64_t index_entries = 0;
  int64_t inbound_records = 0;
  int64_t idempotent_responses = 0;  // kept Idempotency-Key answers about the subject
};

// One batch of the retention sweep (PRIVACY.md section 7).
struct RetentionBatch {
  ErasureCounts deleted;  // end_users stays 0: emptied end users are erased separately
  std::vector<std::string> emptied_end_users;  // no session left after this batch
};

}  // namespace convault
