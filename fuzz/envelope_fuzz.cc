// Stored ciphertexts are read back from disk and backups: opening arbitrary
// bytes must fail cleanly, never crash or open.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "crypto/aead.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static convault::crypto::AesGcmAead* aead =
      convault::crypto::AesGcmAead::Create(convault::SecretBytes(std::string(32, 'k')), 1)
          ->release();
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)convault::crypto::EnvelopeKeyId(bytes);
  if (aead->Decrypt(bytes, "ad").ok()) __builtin_trap();  // a forgery opened
  return 0;
}
