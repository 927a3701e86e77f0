#pragma once

#include <string>

#include "absl/time/time.h"
#include "model/role.h"

namespace convault {

// An API key as stored: never the plaintext, only SHA-256 of its secret part.
// The plaintext token is "cvk_<id suffix>_<64 hex chars>"; see crypto/api_key_token.h.
struct ApiKey {
  std::string id;         // "key_..."
  std::string tenant_id;  // owner
  std::string name;       // operator-chosen label, not personal data
  RoleSet roles;
  std::string secret_hash;  // 32 bytes, SHA-256 of the secret
  absl::Time created_at;
};

}  // namespace convault
