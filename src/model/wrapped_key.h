#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace convault {

// Kinds of wrapped keys in the key store. Values are stored: never renumber.
enum class WrappedKeyKind : int {
  kSubjectDek = 1,
  kTenantDek = 2,
  kTenantIndexKey = 3,
};

// A data key wrapped (encrypted) under a KEK version, as kept in keys.db.
// The key store never sees an unwrapped key.
struct WrappedKey {
  std::string tenant_id;
  std::string key_id;  // "dek_..." unique within the tenant
  WrappedKeyKind kind = WrappedKeyKind::kSubjectDek;
  std::string subject_id;  // end user id for subject DEKs, empty otherwise
  uint32_t kek_version = 0;
  std::string wrapped;  // opaque bytes from the crypto component
  absl::Time created_at;
};

}  // namespace convault
