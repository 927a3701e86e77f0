#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/secret.h"

namespace convault::crypto {

// HMAC-SHA256 under one key, with the keyed state computed once: the SHA-256
// states after the inner and outer padded key blocks are kept, and each
// computation starts from copies of them (plain structs: no context is
// created, allocated or re-keyed per call; blind indexes and the audit chain
// call this per message). The kept states are zeroized on destruction, the
// copies after each computation.
// Thread safety: Compute, ComputeInto and Verify may be called concurrently.
class HmacSha256 {
 public:
  using Tag = std::array<uint8_t, 32>;

  static absl::StatusOr<std::unique_ptr<HmacSha256>> Create(const SecretBytes& key);
  ~HmacSha256();
  HmacSha256(const HmacSha256&) = delete;
  HmacSha256& operator=(const HmacSha256&) = delete;

  // The 32-byte tag of `message`.
  absl::StatusOr<std::string> Compute(std::string_view message) const;
  // The same, into `out`, without allocating.
  void ComputeInto(std::string_view message, Tag& out) const;
  // Constant-time check of a tag, possibly truncated (at least 16 bytes).
  bool Verify(std::string_view message, std::string_view tag) const;

 private:
  struct Keyed;
  explicit HmacSha256(std::unique_ptr<Keyed> keyed);
  std::unique_ptr<Keyed> keyed_;
};

// One-shot HMAC-SHA256 (keys of any length).
absl::StatusOr<std::string> HmacSha256Once(std::string_view key, std::string_view message);

// HKDF-SHA256 (RFC 5869): `size` bytes, at most 255 * 32.
absl::StatusOr<SecretBytes> HkdfSha256(std::string_view ikm, std::string_view salt,
                                       std::string_view info, size_t size);

}  // namespace convault::crypto
