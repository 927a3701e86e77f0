#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/secret.h"

typedef struct evp_cipher_ctx_st EVP_CIPHER_CTX;

namespace convault::crypto {

// The ciphertext envelope (docs/formats/field-ciphertext.md):
//   version(1) = 1 | alg(1) = 1 (AES-256-GCM) | key_id(4, big endian) | nonce(12)
//   | ciphertext | tag(16)
// The 6 header bytes are authenticated too (prepended to the associated data).
inline constexpr uint8_t kEnvelopeVersion = 1;
inline constexpr uint8_t kAlgAes256Gcm = 1;
inline constexpr size_t kEnvelopeHeaderSize = 6;
inline constexpr size_t kEnvelopeOverhead = kEnvelopeHeaderSize + 12 + 16;

// The key id recorded in an envelope, without decrypting it.
absl::StatusOr<uint32_t> EnvelopeKeyId(std::string_view envelope);

// Authenticated encryption with associated data. There is no nonce
// parameter: the implementation draws a fresh random nonce for every call.
// Decrypt fails (InvalidArgument, "ciphertext does not open") on any change
// to the envelope or the associated data; it never says which.
// Thread safety: implementations are safe for concurrent use.
class Aead {
 public:
  virtual ~Aead() = default;
  virtual absl::StatusOr<std::string> Encrypt(std::string_view plaintext,
                                              std::string_view associated_data) const = 0;
  virtual absl::StatusOr<std::string> Decrypt(std::string_view envelope,
                                              std::string_view associated_data) const = 0;
  // The id written into every envelope this key makes.
  virtual uint32_t key_id() const = 0;
};

// AES-256-GCM through OpenSSL EVP. The key schedule is computed once per
// context; contexts are pooled per key and freed (and cleansed by OpenSSL)
// with the key, so no key material outlives this object.
//
// Pooled contexts are bounded process-wide: at most a budget of keys
// (16,384 by default, about 1.1 KB of context each) hold any. A key that
// pools a context joins them; beyond the budget, a second-chance clock over
// them frees the contexts of a key not used since the clock last passed it.
// Such a key keeps working and makes a context again when next used. This
// keeps a cache of many rarely used keys (one per end user) from holding a
// context each, while keys in steady use keep theirs.
class AesGcmAead final : public Aead {
 public:
  // REQUIRES: key.size() == 32.
  static absl::StatusOr<std::unique_ptr<AesGcmAead>> Create(SecretBytes key, uint32_t key_id);
  ~AesGcmAead() override;

  absl::StatusOr<std::string> Encrypt(std::string_view plaintext,
                                      std::string_view associated_data) const override;
  absl::StatusOr<std::string> Decrypt(std::string_view envelope,
                                      std::string_view associated_data) const override;
  uint32_t key_id() const override { return key_id_; }

  // Keys holding pooled contexts now, process-wide (a metric; tests).
  static size_t PooledKeys();
  // Contexts this key holds for reuse now (for tests).
  size_t PooledContextsForTesting() const;
  // Sets the budget of keys with pooled contexts; returns the previous one.
  static size_t SetPooledKeyBudgetForTesting(size_t budget);

 private:
  friend class ContextRegistry;
  AesGcmAead(SecretBytes key, uint32_t key_id) : key_(std::move(key)), key_id_(key_id) {}
  EVP_CIPHER_CTX* Acquire() const;
  void Release(EVP_CIPHER_CTX* ctx) const;

  // Keyed contexts waiting for reuse, by Encrypt and Decrypt alike (each
  // call sets the direction with its nonce): a key that both seals and opens
  // holds one context (about 1.1 KB) rather than one per direction. A slot
  // holds one or is empty; taking and returning one is a single atomic
  // exchange, no lock.
  static constexpr size_t kSlots = 8;
  using Slots = std::array<std::atomic<EVP_CIPHER_CTX*>, kSlots>;

  // Frees the pooled contexts (OpenSSL cleanses their key schedules).
  void FreePooled() const;

  const SecretBytes key_;
  const uint32_t key_id_;
  mutable Slots slots_{};
  // Among the keys with pooled contexts (ContextRegistry). `registered_` is
  // read without the registry's lock by Release; `index_` is guarded by it.
  mutable std::atomic<bool> registered_{false};
  mutable std::atomic<bool> referenced_{false};  // used since the clock passed
  mutable size_t index_ = 0;
};

// The raw AES-256-GCM primitive under AesGcmAead, with the nonce given: for
// known-answer tests only (Wycheproof). Refuses what convault never uses:
// keys other than 256 bits, nonces other than 96 bits. Output is ct || tag.
namespace raw {
absl::StatusOr<std::string> AesGcmSeal(std::string_view key, std::string_view nonce,
                                       std::string_view aad, std::string_view plaintext);
absl::StatusOr<std::string> AesGcmOpen(std::string_view key, std::string_view nonce,
                                       std::string_view aad, std::string_view ct_and_tag);
}  // namespace raw

}  // namespace convault::crypto
