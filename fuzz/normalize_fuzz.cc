// Identifiers from customers (phone numbers, emails, names, platform ids) are
// normalized before blind indexing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "crypto/normalize.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)convault::crypto::NormalizePhone(text, "US");
  (void)convault::crypto::NormalizeEmail(text);
  auto name = convault::crypto::NormalizeName(text);
  // Normalizing twice changes nothing.
  if (name.ok()) {
    auto again = convault::crypto::NormalizeName(*name);
    if (!again.ok() || *again != *name) __builtin_trap();
  }
  (void)convault::crypto::NormalizePlatformId(text);
  return 0;
}
