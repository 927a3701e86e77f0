#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "crypto/key_cache.h"
#include "crypto/key_manager.h"
#include "crypto/mac.h"

namespace convault::crypto {

// Blind indexes: searchable tokens for encrypted identifiers without the
// identifiers. Token = the first `bits` bits of HMAC-SHA256(K_index, value),
// where K_index = HKDF-SHA256(tenant index key, salt "convault-blind-index-v1",
// info = index name). The value must already be normalized (normalize.h).
// Short tokens collide on purpose: a lookup returns candidates that the caller
// decrypts and compares, and a token alone does not single out a person.
// Thread safety: safe for concurrent use.
class BlindIndexer {
 public:
  // REQUIRES: 8 <= bits <= 64.
  BlindIndexer(KeyManager& keys, Clock& clock, int bits);

  absl::StatusOr<uint64_t> Token(std::string_view tenant_id, std::string_view index,
                                 std::string_view normalized_value);
  // The whole 256-bit keyed hash as hex, for lookups that must not collide
  // (the suppression list): same per-index key, no truncation.
  absl::StatusOr<std::string> FullHash(std::string_view tenant_id, std::string_view index,
                                       std::string_view normalized_value);
  // Both from one keyed hash: the token, and the whole hash as hex.
  struct TokenAndHash {
    uint64_t token = 0;
    std::string full_hash;
  };
  absl::StatusOr<TokenAndHash> TokenAndFullHash(std::string_view tenant_id, std::string_view index,
                                                std::string_view normalized_value);
  int bits() const { return bits_; }

  // Bits for an index expected to hold about `expected_values` values: each
  // token is then shared by about two values on average (at least 16, at most 32).
  static int RecommendedBits(uint64_t expected_values);

 private:
  // The 32-byte keyed hash of `normalized_value` under the index's key.
  absl::Status Tag(std::string_view tenant_id, std::string_view index,
                   std::string_view normalized_value, HmacSha256::Tag& out);
  uint64_t Truncate(const HmacSha256::Tag& tag) const;
  absl::StatusOr<std::shared_ptr<const HmacSha256>> IndexMac(std::string_view tenant_id,
                                                             std::string_view index);
  KeyManager& keys_;
  const int bits_;
  KeyCache<const HmacSha256> macs_;
};

}  // namespace convault::crypto
