#pragma once

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "privacy/audit_log.h"
#include "privacy/privacy_service.h"
#include "store/store.h"

namespace convault::privacy {

struct RetentionCounts {
  ErasureCounts deleted;         // rows of expired sessions
  int64_t end_users_erased = 0;  // left with no session, erased as in PRIVACY.md section 3
};

// The retention sweep (PRIVACY.md section 7): for every channel of every
// tenant, sessions whose last activity is older than the channel's
// retention_days (else the tenant's default_retention_days) are deleted with
// everything in them, in batches, unless their end user is under legal hold;
// an end user left with no session is erased (key destroyed, certificate).
// Idempotent; on the injected clock; each tenant's counts go to its audit
// log (action "retention.sweep").
// Thread safety: RunOnce may be called from one thread at a time.
class RetentionSweeper {
 public:
  static constexpr int kBatch = 100;

  RetentionSweeper(Store& store, PrivacyService& privacy, AuditLog& audit, Clock& clock)
      : store_(store), privacy_(privacy), audit_(audit), clock_(clock) {}

  absl::StatusOr<RetentionCounts> RunOnce();

 private:
  Store& store_;
  PrivacyService& privacy_;
  AuditLog& audit_;
  Clock& clock_;
};

}  // namespace convault::privacy
