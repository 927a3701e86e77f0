#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace convault {

// Kinds of wrapped keys in the key store. Values are stored: never renumber.
enum class WrappedKeyKind : int {
  kSubjectDek = 1,      // one per end user (all of the subject's fields)
  kTenantDek = 2,       // channel credentials, staff names, tenant-level data
  kTenantIndexKey = 3,  // root of the tenant's blind-index keys
};

// A data key wrapped (encrypted) under a KEK version, as kept in keys.db.
// Identified by (tenant, kind, subject, version); the version is the key id
// written into every ciphertext envelope it makes. The key store never sees
// an unwrapped key.
struct WrappedKey {
  std::string tenant_id;
  WrappedKeyKind kind = WrappedKeyKind::kSubjectDek;
  std::string subject_id;  // end user id for subject DEKs, empty otherwise
  uint32_t version = 1;
  uint32_t kek_version = 0;
  std::string wrapped;         // opaque bytes from the key provider
  int64_t seals_reserved = 0;  // encryptions handed out under this key so far (upper bound)
  absl::Time created_at;
};

}  // namespace convault
