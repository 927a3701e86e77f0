#pragma once

#include <cstddef>
#include <cstdint>

namespace convault::crypto {

// Random nonces from a pooled CSPRNG: each thread keeps a buffer of OpenSSL
// RAND_bytes output and refills it in bulk, so sealing a field never calls
// RAND_bytes itself. After fork() every pool is discarded (a pthread_atfork
// handler bumps a generation), so parent and child never hand out the same
// bytes. 96-bit random nonces with a DEK retired before 2^31 seals keep the
// collision probability under 2^-32 (NIST SP 800-38D, 8.3).
// Thread safety: Fill may be called from any thread.
class NonceSource {
 public:
  static constexpr size_t kNonceSize = 12;
  // Writes kNonceSize random bytes.
  static void Fill(uint8_t* out);
  // Bytes drawn from OpenSSL so far by this process (for tests and metrics).
  static uint64_t refills();
};

}  // namespace convault::crypto
