#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "crypto/key_manager.h"
#include "crypto/mac.h"
#include "store/store.h"

namespace convault::privacy {

// What happened, for one audit record. `subject_id` (an end user id) is
// stored only as a keyed hash. No field may hold message text, names or
// numbers.
struct AuditEvent {
  std::string_view tenant_id;
  std::string_view actor;  // API key id, or "system" / "cli"
  std::string_view roles;
  std::string_view action;
  std::string_view object_type;
  std::string_view object_id;
  std::string_view subject_id;
  std::string_view purpose;
  std::string_view outcome;
  std::string_view detail = "{}";  // JSON, no personal data
};

struct AuditVerification {
  bool valid = true;
  int64_t records = 0;
  std::string head;       // hash of the last record (64 zeros when empty)
  int64_t first_bad = 0;  // seq of the first record that does not verify
  std::string problem;    // why, when not valid
};

// The tenant's append-only audit log (PRIVACY.md section 8,
// docs/formats/audit-log.md). Each record's hash is HMAC-SHA256 under the
// tenant's audit key over every field and the previous record's hash, so an
// edit, a deletion or a reordering in the database breaks the chain, and the
// chain cannot be recomputed without the key. The audit key and the subject
// hash key are derived (HKDF) from the tenant's index key in the key store.
// Thread safety: all methods may be called concurrently.
class AuditLog {
 public:
  AuditLog(Store& store, crypto::KeyManager& keys, Clock& clock)
      : store_(store), keys_(keys), clock_(clock) {}

  absl::StatusOr<AuditRecord> Append(const AuditEvent& event);
  // The keyed hash recorded for an end user id (32 hex characters).
  absl::StatusOr<std::string> SubjectHash(std::string_view tenant_id, std::string_view subject_id);
  // Reads the whole chain of a tenant and checks every link.
  absl::StatusOr<AuditVerification> Verify(std::string_view tenant_id);
  // An HMAC-SHA256 signature (hex) under the tenant's audit key, for
  // documents the server vouches for (erasure certificates).
  absl::StatusOr<std::string> Sign(std::string_view tenant_id, std::string_view document);
  absl::StatusOr<bool> CheckSignature(std::string_view tenant_id, std::string_view document,
                                      std::string_view signature_hex);

  // The bytes a record's hash covers (length-prefixed fields).
  static std::string Canonical(const AuditRecord& record);

 private:
  struct TenantKeys {
    std::unique_ptr<crypto::HmacSha256> chain;
    std::unique_ptr<crypto::HmacSha256> subject;
    std::unique_ptr<crypto::HmacSha256> sign;
  };
  absl::StatusOr<std::shared_ptr<const TenantKeys>> KeysOf(std::string_view tenant_id);

  Store& store_;
  crypto::KeyManager& keys_;
  Clock& clock_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::shared_ptr<const TenantKeys>> tenants_ ABSL_GUARDED_BY(mu_);
};

}  // namespace convault::privacy
