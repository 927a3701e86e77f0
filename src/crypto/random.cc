#include "crypto/random.h"

#include <openssl/rand.h>

namespace convault::crypto {

absl::StatusOr<SecretBytes> SecureRandomBytes(size_t size) {
  SecretBytes out(size);
  if (size > 0 && RAND_bytes(out.mutable_data(), static_cast<int>(size)) != 1) {
    return absl::InternalError("the system random generator failed");
  }
  return out;
}

}  // namespace convault::crypto
