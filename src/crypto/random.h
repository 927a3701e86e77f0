#pragma once

#include <cstddef>

#include "absl/status/statusor.h"
#include "common/secret.h"

namespace convault::crypto {

// `size` bytes from OpenSSL's CSPRNG. For key material and credentials, not
// for per-field nonces (those come from the pooled generator of the AEAD).
absl::StatusOr<SecretBytes> SecureRandomBytes(size_t size);

}  // namespace convault::crypto
