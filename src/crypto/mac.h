#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/secret.h"

typedef struct evp_mac_ctx_st EVP_MAC_CTX;

namespace convault::crypto {

// HMAC-SHA256 under one key, with the keyed state computed once: each Compute
// duplicates the prepared context instead of re-keying (blind indexes and
// webhook signatures call this per message).
// Thread safety: Compute may be called concurrently.
class HmacSha256 {
 public:
  static absl::StatusOr<std::unique_ptr<HmacSha256>> Create(const SecretBytes& key);
  ~HmacSha256();
  HmacSha256(const HmacSha256&) = delete;
  HmacSha256& operator=(const HmacSha256&) = delete;

  // The 32-byte tag of `message`.
  absl::StatusOr<std::string> Compute(std::string_view message) const;
  // Constant-time check of a tag, possibly truncated (at least 16 bytes).
  bool Verify(std::string_view message, std::string_view tag) const;

 private:
  explicit HmacSha256(EVP_MAC_CTX* keyed) : keyed_(keyed) {}
  EVP_MAC_CTX* keyed_;
};

// One-shot HMAC-SHA256 (keys of any length).
absl::StatusOr<std::string> HmacSha256Once(std::string_view key, std::string_view message);

// HKDF-SHA256 (RFC 5869): `size` bytes, at most 255 * 32.
absl::StatusOr<SecretBytes> HkdfSha256(std::string_view ikm, std::string_view salt,
                                       std::string_view info, size_t size);

}  // namespace convault::crypto
