// Bearer tokens as presented by clients.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "crypto/api_key_token.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view token(reinterpret_cast<const char*>(data), size);
  auto parsed = convault::crypto::ParseApiKeyToken(token);
  if (parsed.ok() && parsed->key_id.rfind("key_", 0) != 0) __builtin_trap();
  return 0;
}
