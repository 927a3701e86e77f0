#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace convault {

// One record of a tenant's audit log (PRIVACY.md section 8). Records are
// chained: `hash` covers every other field and `prev_hash`, so changing,
// deleting or reordering one breaks the chain (docs/formats/audit-log.md).
// Holds no message text, names or numbers: subjects appear only as a keyed
// hash.
struct AuditRecord {
  std::string tenant_id;
  int64_t seq = 0;  // 1, 2, ... per tenant; assigned by the store
  absl::Time at;
  std::string actor;   // the API key id, or "system" / "cli"
  std::string roles;   // the actor's roles, comma-separated
  std::string action;  // "GET /v1/end-users/{id}", "privacy.erase", ...
  std::string object_type;
  std::string object_id;
  std::string subject_hash;  // keyed hash of the end user id; empty when none
  std::string purpose;
  std::string outcome;    // "ok", "denied", "not_found", "error", "rejected", ...
  std::string detail;     // JSON without personal data (counts, ids)
  std::string prev_hash;  // hex; 64 zeros for the first record
  std::string hash;       // hex
};

}  // namespace convault
